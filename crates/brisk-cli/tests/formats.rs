//! JSON-lines inputs: `brisk stats` gives the figures of the same table as CSV.

mod common;

use std::path::Path;

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
