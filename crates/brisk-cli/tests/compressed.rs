//! Compressed CSV and TSV inputs (`.gz`, `.zst`): read as the plain text is, on every pass, with
//! clear errors for a damaged file.

mod common;

use std::io::Write;
use std::path::Path;

use serde_json::Value;

use common::{brisk, json_without_source, OutputText};

/// A table with nulls, text and a column that turns to text late, long enough for several
/// chunks and a second pass.
fn table(rows: usize, sep: char) -> String {
    let mut text = format!("x{sep}y{sep}label\n");
    for i in 0..rows {
        let y = if i == rows - 3 {
            "late text".to_owned()
        } else if i % 17 == 0 {
            String::new()
        } else {
            format!("{}", (i * 7919 % 1000) as f64 / 8.0)
        };
        text.push_str(&format!("{i}{sep}{y}{sep}{}\n", ["a", "b", "c"][i % 3]));
    }
    text
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    out.write_all(bytes).unwrap();
    out.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

/// `brisk ARGS FILE --format json` without the `source` field, which names the file.
fn stats(path: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["stats", path.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    json_without_source(&args)
}

#[test]
fn gzip_and_zstandard_give_the_figures_of_the_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = table(5000, ',');
    let plain = dir.path().join("t.csv");
    std::fs::write(&plain, &text).unwrap();
    let expected = stats(&plain, &["--memory-limit", "1MB"]);
    // Two gzip members, as `cat a.gz b.gz` or bgzip make.
    let (head, tail) = text.split_at(text.len() / 2);
    let members = [gzip(head.as_bytes()), gzip(tail.as_bytes())].concat();
    for (name, bytes) in [
        ("t.csv.gz", gzip(text.as_bytes())),
        ("t.CSV.GZ", members),
        ("t.csv.zst", zstd(text.as_bytes())),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(stats(&path, &["--memory-limit", "1MB"]), expected, "{name}");
    }
    let tsv = dir.path().join("t.tsv.gz");
    std::fs::write(&tsv, gzip(table(5000, '\t').as_bytes())).unwrap();
    assert_eq!(stats(&tsv, &["--memory-limit", "1MB"]), expected);
}

#[test]
fn the_streaming_clean_of_a_compressed_file_writes_the_plain_files_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let text = table(3000, ',');
    let plain = dir.path().join("t.csv");
    std::fs::write(&plain, &text).unwrap();
    let zst = dir.path().join("t.csv.zst");
    std::fs::write(&zst, zstd(text.as_bytes())).unwrap();
    let mut outputs = Vec::new();
    for input in [&plain, &zst] {
        let out = dir.path().join("out.csv");
        let run = brisk(&[
            "clean",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--memory-limit",
            "1MB",
            "--quiet",
        ]);
        assert!(run.status.success(), "{}", run.stderr_text());
        outputs.push(std::fs::read(&out).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn a_damaged_compressed_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let text = table(20_000, ',');
    let whole = gzip(text.as_bytes());
    let cases = [
        ("bad.csv.gz", b"not gzip at all".to_vec(), "gzip"),
        (
            "cut.csv.gz",
            whole[..whole.len() / 2].to_vec(),
            "cut.csv.gz:",
        ),
        ("wrong.csv.zst", whole.clone(), "Zstandard"),
        ("empty.csv.zst", Vec::new(), "empty.csv.zst"),
    ];
    for (name, bytes, says) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let run = brisk(&["stats", path.to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(1), "{name}: {}", run.stderr_text());
        let message = run.stderr_text();
        assert!(
            message.contains(name) && message.contains(says),
            "{name}: {message}"
        );
        assert!(!message.contains("panicked"), "{message}");
    }
    let run = brisk(&["stats", dir.path().join("t.parquet.gz").to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stderr_text().contains("unknown format"));
}
