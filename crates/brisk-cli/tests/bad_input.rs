//! Bad input gets one clear line naming the file (and line and column for CSV), exit 1, no panic,
//! and leaves any existing output file untouched with no temporary file behind.

mod common;

use std::path::Path;

use common::{brisk, golden_dir, OutputText};

/// Runs `brisk stats FILE -o OUT` against an existing OUT and checks the failure contract; returns
/// the error line.
fn fails_cleanly(file: &Path) -> String {
    fails_cleanly_with(&["stats", file.to_str().unwrap()], "out.json")
}

/// Runs `brisk ARGS -o OUT` against an existing OUT (named `out_name`) and checks the failure
/// contract; returns the error line.
fn fails_cleanly_with(args: &[&str], out_name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(out_name);
    std::fs::write(&out, "previous result").unwrap();
    let mut args = args.to_vec();
    args.extend(["-o", out.to_str().unwrap()]);
    let run = brisk(&args);
    let stderr = run.stderr_text();
    assert_eq!(run.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("brisk: "), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous result");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "a temporary file was left behind");
    assert!(run.stdout.is_empty());
    stderr
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn missing_file_and_directory() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails_cleanly(&dir.path().join("nope.csv"));
    assert!(err.contains("nope.csv: no such file"), "{err}");
    let sub = dir.path().join("data.csv");
    std::fs::create_dir(&sub).unwrap();
    assert!(fails_cleanly(&sub).contains("is a directory"));
    let sub = sub.to_str().unwrap();
    for (job, out) in [
        (&["report", sub][..], "page.html"),
        (&["importance", sub, "--target", "a"], "out.json"),
        (&["plot", "panel", sub], "out.png"),
    ] {
        assert!(
            fails_cleanly_with(job, out).contains("is a directory"),
            "{job:?}"
        );
    }
    // An array file is not a table for the panel (the report reads its columns as numbers).
    let npy = golden_dir().join("inputs/f32.npy");
    let err = fails_cleanly_with(&["plot", "panel", npy.to_str().unwrap()], "out.png");
    assert!(err.contains("this command works on tables"), "{err}");
}

#[test]
fn csv_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 5] = [
        (
            "ragged.csv",
            b"a,b,c\n1,2,3\n4,5,6,7\n",
            "ragged.csv:3: column 4: the record has 4 fields, more than the header's 3",
        ),
        (
            "short.csv",
            b"a,b,c\n1,2,3\n4,5\n",
            "short.csv:3: column 3 (\"c\"): the record has 2 fields, fewer",
        ),
        (
            "quote.csv",
            b"a,b\n1,\"open\n2,3\n",
            "quote.csv:2: column 2 (\"b\"): a quoted field is never closed",
        ),
        (
            "latin1.csv",
            b"name,x\ncaf\xe9,1\n",
            "latin1.csv:2: column 1 (\"name\"): invalid UTF-8",
        ),
        (
            "binary.csv",
            b"a,b\n\x1f\x8b\x08\x00,\x00\x00\n",
            "binary.csv:2: column 1 (\"a\"): a NUL byte",
        ),
    ];
    let good = write(dir.path(), "good.csv", b"a,b\n1,2\n");
    let good = good.to_str().unwrap();
    for (name, bytes, want) in cases {
        let bad = write(dir.path(), name, bytes);
        let err = fails_cleanly(&bad);
        assert!(err.contains(want), "{name}: {err}");
        // The dataset jobs read through the same reader and say the same.
        let bad = bad.to_str().unwrap();
        let header = String::from_utf8_lossy(bytes);
        let key = header.split([',', '\n']).next().unwrap();
        let jobs: [(&[&str], &str); 7] = [
            (&["clean", bad], "out.csv"),
            (
                &["groupby", bad, "--by", key, "--agg", "count()"],
                "out.csv",
            ),
            (&["join", bad, good, "--on", key], "out.csv"),
            (&["join", good, bad, "--on", "a"], "out.csv"),
            (&["importance", bad, "--target", key], "out.json"),
            (&["plot", "panel", bad], "out.png"),
            (&["report", bad, "--target", key], "page.html"),
        ];
        for (job, out) in jobs {
            let err = fails_cleanly_with(job, out);
            assert!(err.contains(want), "{job:?}: {err}");
        }
    }
    let real = fails_cleanly(&golden_dir().join("inputs/umath-validation-set-log.csv"));
    assert!(real.contains("umath-validation-set-log.csv:2:"), "{real}");
}

#[test]
fn bad_npy_files_say_what_they_are() {
    let bad = golden_dir().join("inputs/bad");
    let cases = [
        ("truncated.npy", "truncated: the header promises"),
        ("unicode.npy", "unsupported dtype '<U5'"),
        ("complex.npy", "unsupported dtype '<c16'"),
        ("object.npy", "unsupported dtype '|O'"),
        ("three_d.npy", "a 3-dimensional array"),
        ("not_npy.npy", "not a .npy file"),
    ];
    for (name, want) in cases {
        let err = fails_cleanly(&bad.join(name));
        assert!(err.contains(name) && err.contains(want), "{name}: {err}");
    }
}

#[test]
fn empty_input_unknown_format_and_unknown_column() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails_cleanly(&write(dir.path(), "empty.csv", b""));
    assert!(err.contains("empty.csv: the input is empty"), "{err}");
    let empty = dir.path().join("empty.csv");
    let empty = empty.to_str().unwrap();
    let missing = dir.path().join("missing.csv");
    let missing = missing.to_str().unwrap();
    for (job, out) in [
        (&["clean", empty][..], "out.csv"),
        (
            &["groupby", empty, "--by", "a", "--agg", "count()"],
            "out.csv",
        ),
        (&["join", empty, empty, "--on", "a"], "out.csv"),
        (&["importance", empty, "--target", "a"], "out.json"),
        (&["report", empty], "page.html"),
        (&["plot", "panel", empty], "out.svg"),
        (&["clean", missing], "out.csv"),
        (
            &["groupby", missing, "--by", "a", "--agg", "count()"],
            "out.csv",
        ),
        (&["join", missing, missing, "--on", "a"], "out.csv"),
        (&["importance", missing, "--target", "a"], "out.json"),
        (&["report", missing], "page.html"),
        (&["plot", "panel", missing], "out.png"),
        (&["plot", "importance", missing], "out.png"),
    ] {
        let err = fails_cleanly_with(job, out);
        assert!(
            err.contains("the input is empty") || err.contains("no such file"),
            "{job:?}: {err}"
        );
    }
    let err = fails_cleanly(&write(dir.path(), "table.xlsx", b"a,b\n"));
    assert!(err.contains("unknown format"), "{err}");
    let file = write(dir.path(), "t.csv", b"a,b\n1,2\n");
    let run = brisk(&["stats", file.to_str().unwrap(), "--columns", "a,zz"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(run
        .stderr_text()
        .contains("--columns names \"zz\", which is not a column; the columns are: a, b"));
    let run = brisk(&[
        "groupby",
        file.to_str().unwrap(),
        "--by",
        "a",
        "--agg",
        "count()",
        "--exclude",
        "zz",
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stderr_text().contains("--exclude names \"zz\""));
}

#[test]
fn output_over_the_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "t.csv", b"a\n1\n");
    let run = brisk(&[
        "stats",
        file.to_str().unwrap(),
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(run
        .stderr_text()
        .contains("refusing to write over an input"));
    assert_eq!(std::fs::read(&file).unwrap(), b"a\n1\n");
    let json_input = write(dir.path(), "t.json", b"{}");
    let run = brisk(&["stats", json_input.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["stats", "--chunk-rows", "0"][..],
        &["stats", "--bogus"],
        &["nosuch"],
    ] {
        let run = brisk(args);
        assert_eq!(
            run.status.code(),
            Some(2),
            "{args:?}: {}",
            run.stderr_text()
        );
    }
    let run = brisk(&["stats", "--memory-limit", "lots"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(run.stderr_text().contains("not a size"));
    // The alerts' thresholds: shares within [0, 1], a skewness finite and ≥ 0.
    for (flag, value) in [
        ("--alert-missing", "1.5"),
        ("--alert-zeros", "-0.1"),
        ("--alert-correlation", "NaN"),
        ("--alert-skew", "inf"),
    ] {
        let run = brisk(&["report", "--alert-skew", "20", flag, value]);
        assert_eq!(run.status.code(), Some(2), "{flag} {value}");
        assert!(run.stderr_text().contains(flag), "{}", run.stderr_text());
    }
}
