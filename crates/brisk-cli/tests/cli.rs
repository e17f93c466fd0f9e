//! The command line's contract on valid input: formats, atomic output, stdin, the embedded data,
//! and unusual but valid files.

mod common;

use serde_json::Value;

use common::{brisk, brisk_with_stdin, json_without_source, OutputText};

fn json_of(args: &[&str]) -> Value {
    let run = brisk(args);
    assert!(run.status.success(), "{args:?}: {}", run.stderr_text());
    serde_json::from_slice(&run.stdout).unwrap()
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn no_file_summarises_the_embedded_penguins() {
    let run = brisk(&["stats"]);
    assert!(run.status.success(), "{}", run.stderr_text());
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(
        text.starts_with("penguins.csv (embedded): 344 rows"),
        "{text}"
    );
    assert!(text.contains("bill_length_mm") && text.contains("Adelie"));
}

#[test]
fn output_files_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("s.json");
    let csv = dir.path().join("s.csv");
    for out in [&json, &csv] {
        let run = brisk(&["stats", "-o", out.to_str().unwrap()]);
        assert!(run.status.success(), "{}", run.stderr_text());
        assert!(run.stdout.is_empty());
    }
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["rows"], 344);
    assert_eq!(report["columns"][0]["name"], "species");
    assert_eq!(report["columns"][0]["type"], "categorical");
    assert_eq!(report["conventions"]["ddof"], 1);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("name,type,count,null_count,mean,std,min,q25,median,q75,max,skewness,kurtosis,unique,top,freq,true_count,true_share,range\n"));
    assert!(
        text.contains("\nspecies,categorical,344,0,,,,,,,,,,3,Adelie,152,,,\n"),
        "{text}"
    );
    let run = brisk(&["stats", "-o", dir.path().join("s.svg").to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
}

#[test]
fn stdin_reads_csv() {
    let run = brisk_with_stdin(&["stats", "-", "--format", "csv"], Some(b"x\n1\n2\n3\n4\n"));
    assert!(run.status.success(), "{}", run.stderr_text());
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(text.contains("\nx,numeric,4,0,2.5,"), "{text}");
}

#[test]
fn unusual_but_valid_files() {
    let dir = tempfile::tempdir().unwrap();
    let header_only = json_of(&[
        "stats",
        &write(dir.path(), "h.csv", b"a,b\n"),
        "--format",
        "json",
    ]);
    assert_eq!(header_only["rows"], 0);
    assert_eq!(header_only["columns"][0]["count"], 0);
    assert_eq!(header_only["columns"][0]["mean"], Value::Null);

    let one = json_of(&[
        "stats",
        &write(dir.path(), "o.csv", b"a\n5\n"),
        "--format",
        "json",
    ]);
    assert_eq!(one["columns"][0]["mean"], 5.0);
    assert_eq!(one["columns"][0]["std"], Value::Null);

    let extremes =
        b"\xEF\xBB\xBFbig,const,empty,inf\r\n1e308,3,,inf\r\n-1e308,3,NA,1\r\n1e308,3,,2\r\n";
    let report = json_of(&[
        "stats",
        &write(dir.path(), "e.csv", extremes),
        "--format",
        "json",
    ]);
    let columns = report["columns"].as_array().unwrap();
    assert_eq!(columns[0]["name"], "big");
    assert_eq!(columns[0]["max"], 1e308);
    assert_eq!(columns[1]["std"], 0.0);
    assert_eq!(columns[1]["skewness"], Value::Null);
    assert_eq!(columns[2]["type"], "numeric");
    assert_eq!(columns[2]["null_count"], 3);
    assert_eq!(columns[3]["mean"], Value::Null, "inf is not JSON");

    let big_field = format!("id,text\n1,\"{}\"\n2,short\n", "x,".repeat(5 << 19));
    let report = json_of(&[
        "stats",
        &write(dir.path(), "b.csv", big_field.as_bytes()),
        "--format",
        "json",
    ]);
    assert_eq!(report["columns"][1]["unique"], 2);
}

#[test]
fn memory_limit_and_approx_flags() {
    let report = json_of(&[
        "stats",
        "--memory-limit",
        "1",
        "--format",
        "json",
        "--quiet",
    ]);
    let exact = json_of(&["stats", "--format", "json"]);
    assert_eq!(report["columns"], exact["columns"]);
    let approx = json_of(&["stats", "--approx", "--format", "json"]);
    assert!(approx["conventions"]["rank_error"].as_f64().is_some());
    assert!(approx["columns"][2]["rank_error"].as_f64().is_some());
}

/// `--profile-json` names the command and its stages, each with wall seconds, peak heap bytes and
/// allocations; `--profile` prints the table and the Amdahl hints on stderr and leaves stdout alone.
#[test]
fn profile_json_names_the_stages() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,x,label\n");
    for i in 0..20_000 {
        csv.push_str(&format!("{i},{},L{}\n", (i % 97) as f64 * 0.5, i % 7));
    }
    let input = write(dir.path(), "t.csv", csv.as_bytes());
    let out = dir.path().join("clean.csv");
    let profile = dir.path().join("profile.json");
    let run = brisk(&[
        "clean",
        &input,
        "-o",
        out.to_str().unwrap(),
        "--profile",
        "--profile-json",
        profile.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", run.stderr_text());
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    let stages = json["stages"].as_array().unwrap();
    let names: Vec<&str> = stages.iter().map(|s| s["name"].as_str().unwrap()).collect();
    // No row repeats and the values fit: the fills come with the first pass, two passes over
    // the numeric columns take the bounds as pandas does, and the last writes the rows.
    assert_eq!(names, ["clean", "duplicates", "bounds", "write"]);
    for stage in stages {
        assert!(stage["wall_seconds"].as_f64().unwrap() >= 0.0);
        assert!(stage["allocations"].as_u64().unwrap() > 0, "{stage}");
    }
    // The row hashes of 20,000 rows (24 bytes each) are on the heap while duplicates are found.
    assert!(
        stages[1]["peak_bytes"].as_u64().unwrap() > 200_000,
        "{}",
        stages[1]
    );
    assert!(json["total_seconds"].as_f64().unwrap() > 0.0);
    let stderr = run.stderr_text();
    assert!(
        stderr.contains("peak heap") && stderr.contains("halving `"),
        "{stderr}"
    );
}

#[test]
fn a_semicolon_csv_is_read_on_semicolons_and_the_guess_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "air.csv",
        b"Ozone;Solar.R;Month\n41;190;5\n36;118;5\n;149;6\n",
    );
    let run = brisk(&["stats", &path, "--format", "json"]);
    assert!(run.status.success(), "{}", run.stderr_text());
    let note = run.stderr_text();
    assert!(
        note.contains("air.csv") && note.contains("fields separated by ';'"),
        "{note}"
    );
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let names: Vec<&str> = report["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ozone", "Solar.R", "Month"]);
    assert_eq!(report["columns"][0]["null_count"], 1);
    assert_eq!(report["columns"][0]["mean"], 38.5);

    // --sep turns the guess off: on commas the file is one text column, and nothing is said.
    let run = brisk(&["stats", &path, "--sep", ",", "--format", "json"]);
    assert!(run.status.success(), "{}", run.stderr_text());
    assert!(run.stderr_text().is_empty(), "{}", run.stderr_text());
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["columns"][0]["name"], "Ozone;Solar.R;Month");

    // An explicit delimiter reads any file; a .tsv is read on --sep too.
    let pipes = write(dir.path(), "p.tsv", b"a|b\n1|2\n3|4\n");
    let report = json_of(&["stats", &pipes, "--sep", "|", "--format", "json"]);
    assert_eq!(report["columns"][1]["mean"], 3.0);
    let tabs = write(dir.path(), "t.csv", b"a\tb\n1\t2\n");
    let report = json_of(&["stats", &tabs, "--sep", "tab", "--format", "json"]);
    assert_eq!(report["columns"][1]["name"], "b");
}

#[test]
fn a_sep_that_cannot_separate_fields_is_a_usage_error() {
    for sep in ["\n", "ab", "", "é"] {
        let run = brisk(&["stats", "--sep", sep]);
        assert_eq!(run.status.code(), Some(2), "{sep:?}: {}", run.stderr_text());
        assert!(run.stderr_text().contains("--sep"), "{}", run.stderr_text());
    }
    // The quote character cannot also separate fields.
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "t.csv", b"a,b\n1,2\n");
    let run = brisk(&["stats", &path, "--sep", "\""]);
    assert_eq!(run.status.code(), Some(1), "{}", run.stderr_text());
    assert!(
        run.stderr_text()
            .contains("the delimiter and the quote character are both"),
        "{}",
        run.stderr_text()
    );
}

#[test]
fn quote_comment_and_encoding_read_a_file_like_its_plain_twin() {
    let dir = tempfile::tempdir().unwrap();
    let twin = write(
        dir.path(),
        "twin.csv",
        "city,temp,note\nKöln,7.5,\"a, b\"\nRéunion,24,x\n".as_bytes(),
    );
    // Latin-1, a quote of its own, a comment line and a trailing comment.
    let latin1 = write(
        dir.path(),
        "latin1.csv",
        b"# exported by a tool\ncity,temp,note\nK\xf6ln,7.5,'a, b'# checked\nR\xe9union,24,x\n",
    );
    let expected = json_without_source(&["stats", &twin, "--format", "json"]);
    let read = json_without_source(&[
        "stats",
        &latin1,
        "--encoding",
        "latin1",
        "--quote",
        "'",
        "--comment",
        "#",
        "--format",
        "json",
    ]);
    assert_eq!(read, expected);
    // UTF-16 with a byte-order mark, as Excel's "Unicode text" writes it.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "city\ttemp\tnote\r\nKöln\t7.5\ta, b\r\nRéunion\t24\tx\r\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let utf16 = write(dir.path(), "utf16.tsv", &utf16);
    let read = json_without_source(&["stats", &utf16, "--encoding", "utf-16", "--format", "json"]);
    assert_eq!(read, expected);
    // An unknown encoding is a usage error naming the ones brisk reads.
    let run = brisk(&["stats", &twin, "--encoding", "ebcdic"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        run.stderr_text().contains("latin1"),
        "{}",
        run.stderr_text()
    );
}

#[test]
fn an_undecodable_byte_fails_naming_the_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.csv", b"a,b\n1,x\n2,\x81\n");
    let out = dir.path().join("out.json");
    let run = brisk(&[
        "stats",
        &bad,
        "--encoding",
        "cp1252",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = run.stderr_text();
    assert!(
        stderr.contains("bad.csv:3: byte 0x81 decodes to no character in cp1252"),
        "{stderr}"
    );
    assert!(!out.exists());
    // Without --encoding, the same byte is invalid UTF-8, on the same line.
    let run = brisk(&["stats", &bad]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        run.stderr_text().contains("bad.csv:3"),
        "{}",
        run.stderr_text()
    );
}

#[test]
fn no_header_reads_the_first_row_as_data_with_numbered_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "n.csv", b"1,a\n3,b\n5,a\n");
    let report = json_of(&["stats", &path, "--no-header", "--format", "json"]);
    assert_eq!(report["rows"], 3);
    assert_eq!(report["columns"][0]["name"], "0");
    assert_eq!(report["columns"][0]["mean"], 3.0);
    assert_eq!(report["columns"][1]["name"], "1");
    assert_eq!(report["columns"][1]["top"], "a");
    // Bounded memory and a second pass read the first row as data too.
    let bounded = json_of(&[
        "stats",
        &path,
        "--no-header",
        "--memory-limit",
        "1MB",
        "--format",
        "json",
    ]);
    assert_eq!(bounded["columns"][0]["median"], 3.0);
    // With a header the same file has two rows.
    assert_eq!(json_of(&["stats", &path, "--format", "json"])["rows"], 2);
}

#[test]
fn a_semicolon_file_with_decimal_commas_reads_like_its_comma_twin() {
    let dir = tempfile::tempdir().unwrap();
    let excel = write(
        dir.path(),
        "excel.csv",
        b"Ozone;Wind;Note\n41;7,4;\"a, b\"\n36;8;x\n;12,6;1.5\n18;11,5;y\n",
    );
    let twin = write(
        dir.path(),
        "twin.csv",
        b"Ozone,Wind,Note\n41,7.4,\"a, b\"\n36,8,x\n,12.6,1.5\n18,11.5,y\n",
    );
    let read = json_without_source(&["stats", &excel, "--decimal", ",", "--format", "json"]);
    assert_eq!(
        read,
        json_without_source(&["stats", &twin, "--format", "json"])
    );
    assert_eq!(read["columns"][1]["mean"], 9.875);
    // With a decimal comma, `1.5` is text, as in pandas: Note stays a text column either way.
    assert_eq!(read["columns"][2]["type"], "categorical");
    // The cleaned CSVs are the same bytes: numbers are written with a decimal point.
    let mut cleaned = Vec::new();
    for (input, extra) in [(&excel, vec!["--decimal", ","]), (&twin, vec![])] {
        let out = dir.path().join("out.csv");
        let mut args = vec![
            "clean",
            input.as_str(),
            "-o",
            out.to_str().unwrap(),
            "--quiet",
        ];
        args.extend(extra);
        let run = brisk(&args);
        assert!(run.status.success(), "{}", run.stderr_text());
        cleaned.push(std::fs::read(&out).unwrap());
    }
    assert_eq!(cleaned[0], cleaned[1]);
    let run = brisk(&["stats", &twin, "--decimal", ";"]);
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn dash_is_stdout_and_a_device_is_written_in_place() {
    let plain = brisk(&["stats", "--format", "json"]);
    let dash = brisk(&["stats", "--format", "json", "-o", "-"]);
    assert!(dash.status.success(), "{}", dash.stderr_text());
    assert_eq!(dash.stdout, plain.stdout);
    #[cfg(unix)]
    for args in [
        &["stats", "-o", "/dev/null"][..],
        &["report", "-o", "/dev/null"][..],
    ] {
        let run = brisk(args);
        assert!(run.status.success(), "{args:?}: {}", run.stderr_text());
        assert!(std::path::Path::new("/dev/null").exists());
    }
}

#[test]
fn clean_warns_of_a_column_filled_in_more_than_half_of_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "m.csv",
        b"x,y,t\n1,,a\n2,,\n3,5,\n4,6,b\n1,,a\n",
    );
    let out = dir.path().join("out.csv");
    let run = brisk(&["clean", &path, "-o", out.to_str().unwrap(), "--quiet"]);
    assert!(run.status.success(), "{}", run.stderr_text());
    let warning = run.stderr_text();
    // After the repeated row, y is null in 2 of 4 rows (not more than half) and t in 2 of 4.
    assert!(warning.is_empty(), "{warning}");
    let path = write(dir.path(), "n.csv", b"x,y\n1,\n2,\n3,5\n");
    let run = brisk(&["clean", &path, "-o", out.to_str().unwrap(), "--quiet"]);
    assert!(run.status.success(), "{}", run.stderr_text());
    let warning = run.stderr_text();
    assert!(
        warning.contains("\"y\"") && warning.contains("2 of 3 rows") && warning.contains("median"),
        "{warning}"
    );
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = brisk(&["completions", shell]);
        assert!(run.status.success(), "{shell}: {}", run.stderr_text());
        let script = String::from_utf8(run.stdout).unwrap();
        assert!(
            script.contains("brisk") && script.contains("report") && script.contains("--sep"),
            "{shell}"
        );
    }
    assert_eq!(brisk(&["completions", "tcsh"]).status.code(), Some(2));
    // A reader that stops early (`brisk completions bash | head`) is no failure.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_brisk"))
        .args(["completions", "bash"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let run = child.wait_with_output().unwrap();
    assert!(run.status.success(), "{}", run.stderr_text());
    assert!(run.stderr.is_empty(), "{}", run.stderr_text());
}

#[test]
fn an_r_row_index_is_left_out_of_every_analysis_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("\"\",x,y,label\n");
    for i in 0..60 {
        let x = (i * 7 % 11) as f64;
        text.push_str(&format!(
            "{},{x},{},{}\n",
            i + 1,
            x * 0.5 + (i % 3) as f64,
            ["a", "b"][i % 2]
        ));
    }
    let path = write(dir.path(), "r.csv", text.as_bytes());
    for args in [
        vec!["pca", &path, "-k", "1", "--format", "json"],
        vec!["cov", &path, "--format", "json"],
        vec!["importance", &path, "--target", "label", "--format", "json"],
    ] {
        let run = brisk(&args);
        assert!(run.status.success(), "{args:?}: {}", run.stderr_text());
        assert!(
            run.stderr_text()
                .contains("\"Unnamed: 0\" holds the row numbers"),
            "{args:?}: {}",
            run.stderr_text()
        );
        let json: Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(json["index_dropped"], "Unnamed: 0", "{args:?}");
        // Named once: as the column left out, never as a feature.
        let all = serde_json::to_string(&json).unwrap();
        assert_eq!(all.matches("Unnamed").count(), 1, "{args:?}: {all}");
        let mut kept = args.clone();
        kept.push("--keep-index");
        let run = brisk(&kept);
        assert!(
            run.status.success() && run.stderr_text().is_empty(),
            "{kept:?}"
        );
        let json: Value = serde_json::from_slice(&run.stdout).unwrap();
        assert!(json.get("index_dropped").is_none(), "{kept:?}");
    }
}
