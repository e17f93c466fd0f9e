//! JSON-lines and Arrow inputs: `brisk stats` gives the figures of the same table as CSV.

mod common;

use std::path::Path;
use std::sync::Arc;

use brisk_data::frame::read_frame;
use brisk_data::input::Input;
use polars::prelude::CompatLevel;
use polars_arrow::io::ipc::write::{Compression, FileWriter, StreamWriter, WriteOptions};

use common::{brisk, golden_dir, json_without_source, OutputText};

/// The penguins table as JSON lines: numbers as their literals, `NA` as null, the rest strings.
fn penguins_as_json_lines() -> String {
    let csv = std::fs::read_to_string(golden_dir().join("inputs/penguins.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut out = String::new();
    for line in lines {
        let fields = header.iter().zip(line.split(',')).map(|(key, field)| {
            let value = if field == "NA" {
                "null".to_owned()
            } else if field.parse::<f64>().is_ok() {
                field.to_owned()
            } else {
                serde_json::Value::from(field).to_string()
            };
            format!("{key:?}:{value}")
        });
        out.push_str(&format!("{{{}}}\n", fields.collect::<Vec<_>>().join(",")));
    }
    out
}

/// The penguins table as pandas' `to_feather` writes it (lz4-compressed Feather v2), and as an
/// Arrow stream.
fn penguins_as_arrow() -> (Vec<u8>, Vec<u8>) {
    let input = Input::open(golden_dir().join("inputs/penguins.csv")).unwrap();
    let mut frame = read_frame(&input).unwrap().frame;
    frame.rechunk_mut();
    let options = WriteOptions {
        compression: Some(Compression::LZ4),
    };
    let records: Vec<_> = frame.iter_chunks(CompatLevel::oldest(), false).collect();
    let schema = Arc::new(records[0].schema().clone());
    let mut file = FileWriter::try_new(Vec::new(), Arc::clone(&schema), None, options).unwrap();
    let mut stream = StreamWriter::new(Vec::new(), WriteOptions::default());
    stream.start(&schema, None).unwrap();
    for record in &records {
        file.write(record, None).unwrap();
        stream.write(record, None).unwrap();
    }
    file.finish().unwrap();
    stream.finish().unwrap();
    (file.into_inner(), stream.into_inner())
}

fn stats(path: &Path) -> serde_json::Value {
    json_without_source(&["stats", path.to_str().unwrap(), "--format", "json"])
}

#[test]
fn stats_on_json_lines_match_stats_on_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let expected = stats(&golden_dir().join("inputs/penguins.csv"));
    let path = dir.path().join("penguins.jsonl");
    std::fs::write(&path, penguins_as_json_lines()).unwrap();
    assert_eq!(stats(&path), expected);
}

#[test]
fn stats_on_feather_and_an_arrow_stream_match_stats_on_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let expected = stats(&golden_dir().join("inputs/penguins.csv"));
    let (file, stream) = penguins_as_arrow();
    for (name, bytes) in [("penguins.feather", file), ("penguins.arrows", stream)] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(stats(&path), expected, "{name}");
    }
}

#[test]
fn a_truncated_arrow_file_fails_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = penguins_as_arrow();
    let path = dir.path().join("cut.arrow");
    std::fs::write(&path, &file[..file.len() / 2]).unwrap();
    let run = brisk(&["stats", path.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let message = run.stderr_text();
    assert!(
        message.contains("cut.arrow") && !message.contains("panicked"),
        "{message}"
    );
}

#[test]
fn a_nested_json_value_fails_naming_the_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ndjson");
    std::fs::write(&path, "{\"a\":1,\"b\":\"x\"}\n{\"a\":2,\"b\":{\"c\":3}}\n").unwrap();
    let run = brisk(&["stats", path.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let message = run.stderr_text();
    assert!(
        message.contains("t.ndjson:2: column 2 (\"b\")"),
        "{message}"
    );
}
