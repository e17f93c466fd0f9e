//! `brisk stats --partial-out` and `brisk merge`: real files cut into parts, summarised part by
//! part in two passes through the binary, give `brisk stats` on the whole file; a bad state is
//! refused with its file named, and nothing is written.

mod common;

use std::path::{Path, PathBuf};

use brisk_data::partial::{encode, StateKind};
use common::{brisk, check_failure, fails_with_existing, golden_dir, succeeds, OutputText};
use serde_json::Value;

/// The figures that may differ by rounding between one pass and merged parts.
const MOMENTS: [&str; 4] = ["mean", "std", "skewness", "kurtosis"];

fn input(name: &str) -> PathBuf {
    golden_dir().join("inputs").join(name)
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A CSV text's header line and records, each with its line end; a line end inside quotes
/// belongs to its record.
fn records(text: &str) -> (&str, Vec<&str>) {
    let mut ends = Vec::new();
    let mut quoted = false;
    for (i, byte) in text.bytes().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => ends.push(i + 1),
            _ => {}
        }
    }
    if ends.last() != Some(&text.len()) {
        ends.push(text.len());
    }
    let header = &text[..ends[0]];
    let rows = ends
        .windows(2)
        .map(|w| &text[w[0]..w[1]])
        .filter(|r| !r.trim().is_empty())
        .collect();
    (header, rows)
}

/// Cuts the CSV `file` into `parts` files of consecutive records (as even as can be), each
/// with the header, in `dir`: their paths in order.
fn split(file: &Path, parts: usize, dir: &Path) -> Vec<PathBuf> {
    let whole = std::fs::read_to_string(file).unwrap();
    let (header, rows) = records(&whole);
    assert!(rows.len() >= parts, "{}: too few rows", file.display());
    (0..parts)
        .map(|k| {
            let piece = &rows[k * rows.len() / parts..(k + 1) * rows.len() / parts];
            let mut body = header.to_owned();
            for row in piece {
                body.push_str(row);
                if !row.ends_with('\n') {
                    body.push('\n');
                }
            }
            let path = dir.join(format!("part-{k}.csv"));
            std::fs::write(&path, body).unwrap();
            path
        })
        .collect()
}

/// Paths in the order a shell's glob gives them (by name: part-10 before part-2).
fn globbed(mut paths: Vec<String>) -> Vec<String> {
    paths.sort();
    paths
}

/// Runs `brisk` with `args` then `extra`.
fn run(args: &[&str], extra: &[&str]) {
    let mut all = args.to_vec();
    all.extend(extra);
    succeeds(&all);
}

/// The two-pass flow of the help's example over `parts` parts of `file`: pass 1 per part, the
/// states merged (in groups of 8, then the groups), pass 2 per part, and the final merge's JSON.
/// `pass_one` are pass 1's options, `both` those of both passes (the input's).
fn in_parts(file: &Path, parts: usize, pass_one: &[&str], both: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: String| dir.path().join(name).to_str().unwrap().to_owned();
    let pieces = split(file, parts, dir.path());
    let mut stats = Vec::new();
    for (k, piece) in pieces.iter().enumerate() {
        let state = at(format!("s-{k}.state"));
        let position = k.to_string();
        let mut args = vec![
            "stats",
            text(piece),
            "--partition",
            &position,
            "--partial-out",
            &state,
            "--quiet",
        ];
        args.extend(pass_one);
        run(&args, both);
        stats.push(state);
    }
    let groups: Vec<String> = globbed(stats)
        .chunks(8)
        .enumerate()
        .map(|(g, group)| {
            let out = at(format!("g-{g}.state"));
            let mut args = vec!["merge"];
            args.extend(group.iter().map(String::as_str));
            run(&args, &["-o", &out]);
            out
        })
        .collect();
    let merged = at("merged.state".into());
    let mut args = vec!["merge"];
    args.extend(groups.iter().map(String::as_str));
    run(&args, &["-o", &merged]);
    let mut quartiles = Vec::new();
    for (k, piece) in pieces.iter().enumerate() {
        let state = at(format!("q-{k}.state"));
        let args = [
            "stats",
            text(piece),
            "--quartiles-of",
            &merged,
            "--partial-out",
            &state,
            "--quiet",
        ];
        run(&args, both);
        quartiles.push(state);
    }
    let quartiles = globbed(quartiles);
    let mut args = vec!["merge", merged.as_str()];
    args.extend(quartiles.iter().map(String::as_str));
    args.extend(["--format", "json"]);
    let json: Value = serde_json::from_slice(&succeeds(&args).stdout).unwrap();
    assert_eq!(
        json["source"],
        merged.as_str(),
        "the source is the merged state"
    );
    json
}

/// Whether two JSON numbers (or nulls) agree to 1e-12 relative to the larger or to `scale`.
fn close(a: &Value, b: &Value, scale: f64) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(scale),
        _ => a == b,
    }
}

/// The scale of a moment's rounding error: the standard deviation for the mean (the mean of
/// values symmetric about 0 is 0 to rounding), 1 for the dimensionless skewness and kurtosis (a
/// symmetric column's skewness is 0 to rounding), none for the standard deviation.
fn scale(column: &serde_json::Map<String, Value>, key: &str) -> f64 {
    match key {
        "mean" => column["std"].as_f64().unwrap_or(0.0),
        "skewness" | "kurtosis" => 1.0,
        _ => 0.0,
    }
}

/// The merged statistics equal the single pass's: every field exactly, but the source and the
/// moments to 1e-12 relative.
fn assert_same(single: &Value, merged: &Value, label: &str) {
    for key in ["rows", "conventions"] {
        assert_eq!(single[key], merged[key], "{label}: {key}");
    }
    let (a, b) = (
        single["columns"].as_array().unwrap(),
        merged["columns"].as_array().unwrap(),
    );
    assert_eq!(a.len(), b.len(), "{label}");
    for (a, b) in a.iter().zip(b) {
        let (a, b) = (a.as_object().unwrap(), b.as_object().unwrap());
        let name = &a["name"];
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{label} {name}"
        );
        for (key, want) in a {
            let got = &b[key];
            if MOMENTS.contains(&key.as_str()) {
                let scale = scale(a, key);
                assert!(
                    close(want, got, scale),
                    "{label} {name} {key}: {want} {got}"
                );
            } else {
                assert_eq!(want, got, "{label} {name} {key}");
            }
        }
    }
}

fn single(file: &Path, options: &[&str]) -> Value {
    let mut args = vec!["stats", text(file), "--format", "json"];
    args.extend(options);
    serde_json::from_slice(&succeeds(&args).stdout).unwrap()
}

#[test]
fn parts_merged_in_two_passes_give_the_statistics_of_the_whole_file() {
    for name in [
        "penguins.csv",
        "penguins_raw.csv",
        "iris.csv",
        "dates.csv",
        "pcg64-testset-1.csv",
    ] {
        let file = input(name);
        let whole = single(&file, &[]);
        for parts in [1, 2, 7, 64] {
            let merged = in_parts(&file, parts, &[], &[]);
            assert_same(&whole, &merged, &format!("{name} in {parts} parts"));
        }
    }
}

#[test]
fn options_carry_through_the_passes() {
    let file = input("penguins.csv");
    let columns = ["--columns", "bill_length_mm,species,body_mass_g"];
    let mut options = vec!["--population"];
    options.extend(columns);
    let whole = single(&file, &options);
    assert_eq!(whole["columns"].as_array().unwrap().len(), 3);
    let merged = in_parts(&file, 7, &["--population"], &columns);
    assert_same(&whole, &merged, "population, three columns");
}

/// A job over `file` in two parts, in its own folder: the parts, their pass-1 states, the
/// merged pass 1 and the parts' pass-2 states.
struct Job {
    dir: tempfile::TempDir,
    parts: Vec<PathBuf>,
    stats: [String; 2],
    merged: String,
    quartiles: [String; 2],
}

impl Job {
    fn new(file: &Path) -> Job {
        let dir = tempfile::tempdir().unwrap();
        let parts = split(file, 2, dir.path());
        let at = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
        let stats = [at("s-0.state"), at("s-1.state")];
        let quartiles = [at("q-0.state"), at("q-1.state")];
        let merged = at("merged.state");
        for k in 0..2 {
            let position = k.to_string();
            succeeds(&[
                "stats",
                text(&parts[k]),
                "--partition",
                &position,
                "--partial-out",
                &stats[k],
            ]);
        }
        succeeds(&["merge", &stats[0], &stats[1], "-o", &merged]);
        for k in 0..2 {
            succeeds(&[
                "stats",
                text(&parts[k]),
                "--quartiles-of",
                &merged,
                "--partial-out",
                &quartiles[k],
                "--quiet",
            ]);
        }
        Job {
            dir,
            parts,
            stats,
            merged,
            quartiles,
        }
    }

    /// A file in the job's folder holding `bytes`.
    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

#[test]
fn a_state_goes_to_stdout_and_a_note_to_stderr() {
    let job = Job::new(&input("penguins.csv"));
    let part = text(&job.parts[0]);
    let run = succeeds(&["stats", part, "--partial-out", "-"]);
    assert_eq!(run.stdout, std::fs::read(&job.stats[0]).unwrap());
    let note = run.stderr_text();
    assert!(
        note.starts_with("brisk: ")
            && note.contains("statistics (pass 1) state of 172 rows written to stdout"),
        "{note}"
    );
    let quiet = succeeds(&["stats", part, "--partial-out", "-", "--quiet"]);
    assert!(quiet.stderr.is_empty());
}

#[test]
fn merge_prints_as_stats_prints_and_writes_json_and_csv() {
    let file = input("penguins.csv");
    let job = Job::new(&file);
    let merge = |format: &str| {
        let args = [
            "merge",
            &job.merged,
            &job.quartiles[0],
            &job.quartiles[1],
            "--format",
            format,
            "--source",
            "penguins.csv",
        ];
        succeeds(&args).stdout
    };
    let whole = |format: &str| {
        let folder = file.parent().unwrap();
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_brisk"))
            .args(["stats", "penguins.csv", "--format", format])
            .current_dir(folder)
            .output()
            .unwrap();
        run.stdout
    };
    // The table rounds the moments; JSON and CSV print them to the bit, and they are the same
    // to rounding.
    assert_eq!(
        String::from_utf8(merge("table")).unwrap(),
        String::from_utf8(whole("table")).unwrap()
    );
    let json = |bytes: Vec<u8>| serde_json::from_slice::<Value>(&bytes).unwrap();
    assert_same(&json(whole("json")), &json(merge("json")), "json");
    assert_eq!(json(merge("json"))["source"], "penguins.csv");
    let csv = String::from_utf8(merge("csv")).unwrap();
    let lines = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| l.split(',').take(4).collect::<Vec<_>>().join(","))
            .collect()
    };
    assert_eq!(
        lines(&csv),
        lines(&String::from_utf8(whole("csv")).unwrap())
    );
    let out = job.dir.path().join("stats.csv");
    let args = [
        "merge",
        &job.merged,
        &job.quartiles[0],
        &job.quartiles[1],
        "--source",
        "penguins.csv",
        "-o",
        text(&out),
    ];
    succeeds(&args);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), csv);
}

#[test]
fn approx_estimates_the_quartiles_from_pass_one_alone() {
    let file = input("penguins.csv");
    let job = Job::new(&file);
    let exact = single(&file, &[]);
    let args = [
        "merge",
        &job.stats[0],
        &job.stats[1],
        "--approx",
        "--format",
        "json",
    ];
    let approx: Value = serde_json::from_slice(&succeeds(&args).stdout).unwrap();
    let bound = approx["conventions"]["rank_error"].as_f64().unwrap();
    assert!(bound > 0.0 && bound < 1.0, "{bound}");
    assert_eq!(
        approx["source"],
        format!("{}, {}", job.stats[0], job.stats[1])
    );
    for (a, b) in exact["columns"]
        .as_array()
        .unwrap()
        .iter()
        .zip(approx["columns"].as_array().unwrap())
    {
        for key in ["count", "null_count", "min", "max", "unique", "top", "freq"] {
            assert_eq!(a.get(key), b.get(key), "{key}");
        }
        if b["type"] == "numeric" {
            assert!(b["rank_error"].as_f64().unwrap() <= bound);
        }
    }
}

#[test]
fn exact_quartiles_without_pass_two_say_how_to_run_it() {
    let job = Job::new(&input("penguins.csv"));
    let args = ["merge", &job.stats[0], &job.stats[1], "--format", "json"];
    let message = fails_with_existing(&args, &[], 1, "stats.json", b"previous");
    for part in [
        "--quartiles-of",
        "--partial-out",
        "brisk merge merged.state",
        "--approx",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
}

/// `args` (merge arguments without -o) fail naming `file` and saying `what`, with an existing
/// -o file of the statistics (and with `state`, of a merged state) untouched.
fn refused(args: &[&str], inputs: &[&str], file: &str, what: &str, state: bool) {
    let existing: &[&str] = if state {
        &["out.json", "out.state"]
    } else {
        &["out.json"]
    };
    for &existing in existing {
        let message = fails_with_existing(args, inputs, 1, existing, b"previous");
        assert!(
            message.starts_with(&format!("brisk: {file}: ")) && message.contains(what),
            "{args:?}: {message}"
        );
    }
}

#[test]
fn a_bad_state_is_refused_by_name_and_nothing_is_merged() {
    let job = Job::new(&input("penguins.csv"));
    let good = std::fs::read(&job.stats[1]).unwrap();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x04;
    let mut version = good.clone();
    version[8] = 2;
    let cases = [
        (
            "truncated.state",
            good[..good.len() - 9].to_vec(),
            "truncated",
        ),
        ("flipped.state", flipped, "checksum"),
        ("version.state", version, "format version 2"),
        ("empty.state", Vec::new(), "not a brisk partial state"),
        (
            "groupby.state",
            encode(StateKind::GroupBy, &vec![1u64, 2]),
            "a group-by state",
        ),
    ];
    for (name, bytes, what) in cases {
        let bad = job.write(name, &bytes);
        let args = ["merge", &job.stats[0], &bad, "--format", "json"];
        refused(&args, &[&job.stats[0], &bad], &bad, what, true);
    }
    let missing = job.dir.path().join("missing.state");
    let args = ["merge", &job.stats[0], text(&missing)];
    refused(&args, &[], text(&missing), "no such file", true);
}

#[test]
fn a_state_of_the_wrong_kind_or_table_is_refused_by_name() {
    let job = Job::new(&input("penguins.csv"));
    // Quartile states where statistics are expected.
    let args = ["merge", &job.quartiles[0], &job.quartiles[1]];
    refused(
        &args,
        &[],
        &format!("{}, {}", job.quartiles[0], job.quartiles[1]),
        "quartile states alone hold no statistics",
        false,
    );
    // A statistics state of another table.
    let other = Job::new(&input("iris.csv"));
    let args = ["merge", &job.stats[0], &other.stats[1]];
    refused(
        &args,
        &[],
        &other.stats[1],
        "tables with other columns",
        true,
    );
    // Quartiles made from another table's pass 1.
    let args = ["merge", &job.quartiles[0], &other.quartiles[1]];
    refused(&args, &[], &other.quartiles[1], "other pass-1 states", true);
    // Both kinds into one state file.
    let both = job.dir.path().join("both.state");
    let run = brisk(&["merge", &job.merged, &job.quartiles[0], "-o", text(&both)]);
    let message = check_failure(&run, 1, &[]);
    assert!(message.contains("one kind of state"), "{message}");
    assert!(!both.exists());
}

/// Runs `brisk stats` with `--partial-out` an existing file: it fails naming `file` and saying
/// `what`, and the existing file keeps its bytes.
fn pass_refused(job: &Job, args: &[&str], file: &str, what: &str) {
    let out = job.write("existing.state", b"previous");
    let mut all = args.to_vec();
    all.extend(["--partial-out", &out]);
    let message = check_failure(&brisk(&all), 1, &all);
    assert!(
        message.starts_with(&format!("brisk: {file}: ")) && message.contains(what),
        "{all:?}: {message}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"previous");
    common::assert_no_temporary(job.dir.path());
}

#[test]
fn a_pass_from_a_bad_state_or_over_other_rows_is_refused() {
    let job = Job::new(&input("penguins.csv"));
    let part = text(&job.parts[0]);
    // A part's own pass 2, which needs no other pass, in place of the merged pass 1.
    let args = ["stats", part, "--quartiles-of", &job.quartiles[1]];
    pass_refused(&job, &args, &job.quartiles[1], "needs no other pass");
    let mut truncated = std::fs::read(&job.merged).unwrap();
    truncated.truncate(40);
    let bad = job.write("truncated.state", &truncated);
    let args = ["stats", part, "--quartiles-of", &bad];
    pass_refused(&job, &args, &bad, "truncated");
    // Another table's part, with other columns than pass 1's.
    let elsewhere = tempfile::tempdir().unwrap();
    let iris = split(&input("iris.csv"), 1, elsewhere.path()).remove(0);
    let args = ["stats", text(&iris), "--quartiles-of", &job.merged];
    pass_refused(&job, &args, text(&iris), "other columns than pass 1");
    // A pass over the wrong part: the merge says the rows differ.
    let again = job.write("q-again.state", b"");
    succeeds(&[
        "stats",
        part,
        "--quartiles-of",
        &job.merged,
        "--partial-out",
        &again,
    ]);
    let args = ["merge", &job.merged, &job.quartiles[0], &again];
    refused(&args, &[], &job.merged, "other rows than pass 1", false);
}

#[test]
fn a_state_never_replaces_an_input() {
    let job = Job::new(&input("penguins.csv"));
    let part = text(&job.parts[0]);
    let args = [
        "stats",
        part,
        "--quartiles-of",
        &job.merged,
        "--partial-out",
        &job.merged,
    ];
    let before = std::fs::read(&job.merged).unwrap();
    let message = check_failure(&brisk(&args), 1, &args);
    assert!(message.contains("refusing to write over an input; choose another --partial-out"));
    let args = ["merge", &job.stats[0], &job.stats[1], "-o", &job.stats[1]];
    let message = check_failure(&brisk(&args), 1, &args);
    assert!(message.contains("refusing to write over an input; choose another -o"));
    assert_eq!(std::fs::read(&job.merged).unwrap(), before);
    let args = ["stats", part, "--partial-out", "stats.json"];
    let message = check_failure(&brisk(&args), 1, &args);
    assert!(message.contains("use .state"), "{message}");
    // Pass 1's options belong to pass 1.
    for extra in [["--approx", ""], ["--partition", "1"]] {
        let mut args = vec![
            "stats",
            part,
            "--quartiles-of",
            &job.merged,
            "--partial-out",
            "x.state",
        ];
        args.extend(extra.iter().filter(|a| !a.is_empty()));
        check_failure(&brisk(&args), 2, &args);
    }
}

/// A column whose lower quartile lies among spread values and whose median and upper quartile
/// lie in a tight cluster of distinct values: with little memory, the cluster's bucket is
/// counted, and its quartiles take another pass.
fn crowded(path: &Path) {
    let mut text = String::from("x,label\n");
    for r in 0..100_000u32 {
        let x = if r % 5 < 2 {
            (f64::from(r / 5 * 2 + r % 5) * 5e-4).exp()
        } else {
            1e9 + f64::from(r) * 1e-6
        };
        text.push_str(&format!("{x},{}\n", ["a", "b", "c"][r as usize % 3]));
    }
    text.push_str("1e-300,a\n");
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_pass_that_needs_another_is_run_again_from_the_merged_quartiles() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let file = dir.path().join("crowded.csv");
    crowded(&file);
    let parts = split(&file, 3, dir.path());
    let stats: Vec<String> = (0..3).map(|k| at(&format!("s-{k}.state"))).collect();
    for (k, part) in parts.iter().enumerate() {
        let position = k.to_string();
        let args = [
            "stats",
            text(part),
            "--partition",
            &position,
            "--partial-out",
            &stats[k],
        ];
        succeeds(&args);
    }
    let merged = at("merged.state");
    succeeds(&["merge", &stats[0], &stats[1], &stats[2], "-o", &merged]);
    let mut from = merged.clone();
    let mut passes = 0;
    let json = loop {
        passes += 1;
        let quartiles: Vec<String> = (0..3)
            .map(|k| at(&format!("q{passes}-{k}.state")))
            .collect();
        for (k, part) in parts.iter().enumerate() {
            let args = [
                "stats",
                text(part),
                "--quartiles-of",
                &from,
                "--memory-limit",
                "1",
                "--partial-out",
                &quartiles[k],
            ];
            succeeds(&args);
        }
        let mut args = vec!["merge", merged.as_str()];
        args.extend(quartiles.iter().map(String::as_str));
        args.extend(["--format", "json"]);
        let run = brisk(&args);
        if run.status.success() {
            break serde_json::from_slice::<Value>(&run.stdout).unwrap();
        }
        let message = check_failure(&run, 1, &args);
        assert!(
            message.contains("need another pass") && message.contains("-o q.state"),
            "{message}"
        );
        assert!(passes < 4, "{message}");
        from = at(&format!("q{passes}.state"));
        succeeds(&[
            "merge",
            &quartiles[0],
            &quartiles[1],
            &quartiles[2],
            "-o",
            &from,
        ]);
    };
    assert!(passes > 1, "the cluster took no other pass");
    assert_same(&single(&file, &[]), &json, "crowded");
}
