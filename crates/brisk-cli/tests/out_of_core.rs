//! The streaming jobs (`report`, `clean`, `importance`) on inputs that go wrong far from the
//! start, and on spills that cannot be written: one error line naming the file and line, exit
//! status 1, no output written and the input untouched.

mod common;

use std::process::{Command, Stdio};

use common::{fails_with_existing, succeeds, OutputText};

/// A CSV with `good` rows of numbers and a text label, then one ragged row.
fn late_bad_line(dir: &std::path::Path, good: usize) -> String {
    let mut text = String::with_capacity(good * 24);
    text.push_str("x,y,label\n");
    for i in 0..good {
        text.push_str(&format!(
            "{},{},{}\n",
            i % 1000,
            (i * 7) % 113,
            ["a", "b"][i % 2]
        ));
    }
    text.push_str("1,2,a,oops\n");
    let path = dir.join("late.csv");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn a_line_that_goes_bad_after_many_good_ones_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let good = 300_000;
    let input = late_bad_line(dir.path(), good);
    let line = format!("late.csv:{}:", good + 2);
    for (args, existing) in [
        (
            vec!["report", input.as_str(), "--target", "label"],
            "page.html",
        ),
        (vec!["clean", input.as_str()], "clean.csv"),
        (
            vec!["importance", input.as_str(), "--target", "label"],
            "scores.json",
        ),
    ] {
        let message = fails_with_existing(&args, &[input.as_str()], 1, existing, b"previous");
        assert!(
            message.contains(&line) && message.contains("4 fields"),
            "{args:?}: {message}"
        );
    }
}

#[test]
fn a_spill_that_cannot_be_written_is_an_error_and_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("id,x\n");
    for i in 0..50_000 {
        text.push_str(&format!("{i},{}\n", i % 97));
    }
    let input = dir.path().join("big.csv");
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("clean.csv");
    std::fs::write(&out, "previous").unwrap();
    // A memory limit below the working buffers sends the row hashes to disk at once, and the
    // temporary folder does not exist: the spill fails as a full disk would.
    let run = Command::new(env!("CARGO_BIN_EXE_brisk"))
        .args([
            "clean",
            input.to_str().unwrap(),
            "--memory-limit",
            "1MB",
            "-o",
        ])
        .arg(&out)
        .env("TMPDIR", dir.path().join("no-such-folder"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = run.stderr_text();
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("big.csv") && stderr.contains("spilled"),
        "{stderr}"
    );
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous");
}

#[test]
fn spilled_and_in_memory_cleans_write_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("id,x,label\n");
    for row in 0..60_000 {
        // Rows 20,000 apart are equal.
        let i = row % 20_000;
        let x = if i % 13 == 0 {
            "NA".to_owned()
        } else {
            format!("{}", (i % 89) as f64 / 4.0)
        };
        text.push_str(&format!("{i},{x},{}\n", ["Ab", "cD", ""][i % 3]));
    }
    let input = dir.path().join("t.csv");
    std::fs::write(&input, text).unwrap();
    let input = input.to_str().unwrap();
    let small = dir.path().join("small.csv");
    let large = dir.path().join("large.csv");
    succeeds(&[
        "clean",
        input,
        "--memory-limit",
        "1MB",
        "-o",
        small.to_str().unwrap(),
    ]);
    succeeds(&[
        "clean",
        input,
        "--memory-limit",
        "4GB",
        "-o",
        large.to_str().unwrap(),
    ]);
    let (small, large) = (std::fs::read(small).unwrap(), std::fs::read(large).unwrap());
    assert_eq!(small, large);
    // 60,000 rows of which 40,000 repeat an earlier one.
    assert_eq!(small.iter().filter(|&&b| b == b'\n').count(), 1 + 20_000);
}

#[test]
fn the_report_json_has_the_figures_and_says_what_rows_the_analyses_read() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("p.html");
    let json = dir.path().join("p.json");
    for (flag, rows) in [(None, "as read"), (Some("--clean"), "cleaned")] {
        let mut args = vec![
            "report",
            "-o",
            page.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
            "--sample-rows",
            "100",
        ];
        args.extend(flag);
        succeeds(&args);
        let figures: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        assert_eq!(figures["analysis_rows"], rows);
        assert_eq!(figures["rows_in"], 344);
        assert_eq!(figures["kmeans"]["sample_rows"], 100);
        let sizes: u64 = figures["kmeans"]["sizes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_u64().unwrap())
            .sum();
        assert_eq!(sizes, figures["kmeans"]["rows"].as_u64().unwrap());
        assert!(std::fs::read_to_string(&page)
            .unwrap()
            .contains(if flag.is_some() {
                "after cleaning"
            } else {
                "as read"
            }));
    }
}

#[test]
fn without_room_for_the_numeric_spill_the_passes_read_the_input_again() {
    // The numeric spill is an optimisation: with no temporary folder, the report and the clean
    // read the input again and give the same figures and bytes.
    let dir = tempfile::tempdir().unwrap();
    let input = common::golden_dir().join("frames/inputs/edge.csv");
    let input = input.to_str().unwrap();
    let run = |tmpdir: &std::path::Path, name: &str| {
        let json = dir.path().join(format!("{name}.json"));
        let page = dir.path().join(format!("{name}.html"));
        let cleaned = dir.path().join(format!("{name}.csv"));
        for args in [
            vec!["report", input, "--target", "label", "-o"],
            vec!["clean", input, "-o"],
        ] {
            let out = if args[0] == "report" { &page } else { &cleaned };
            let mut command = Command::new(env!("CARGO_BIN_EXE_brisk"));
            command.args(&args).arg(out);
            if args[0] == "report" {
                command.arg("--json").arg(&json);
            }
            let done = command
                .env("TMPDIR", tmpdir)
                .stdin(Stdio::null())
                .output()
                .unwrap();
            assert!(done.status.success(), "{}", done.stderr_text());
        }
        (
            std::fs::read_to_string(&json).unwrap(),
            std::fs::read(&cleaned).unwrap(),
        )
    };
    let with_spill = run(dir.path(), "spilled");
    let without = run(&dir.path().join("no-such-folder"), "read");
    assert_eq!(with_spill.0, without.0);
    assert_eq!(with_spill.1, without.1);
    let golden = common::golden_dir().join("frames/expected/clean_edge.csv");
    assert_eq!(with_spill.1, std::fs::read(golden).unwrap());
}
