//! The streaming clean (`brisk_data::cleaning`) against the in-memory one (`clean_dataset` then
//! `write_csv`): the same bytes and the same report, whatever the batch size, and whether the row
//! hashes and the medians fit in memory or not.

use std::path::PathBuf;

use brisk_data::cleaning::{clean_to_csv, StreamOptions};
use brisk_data::frame::{clean_loaded, read_frame, write_csv, CleanOptions};
use brisk_data::input::{Format, Input};
use serde_json::Value;

fn golden(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden")
        .join(path)
}

fn in_memory(input: &Input, options: &CleanOptions) -> (Vec<u8>, Value) {
    let loaded = read_frame(input).unwrap();
    let (frame, report) = clean_loaded(&loaded, options).unwrap();
    let mut out = Vec::new();
    write_csv(&frame, &mut out, b',').unwrap();
    (out, serde_json::to_value(&report).unwrap())
}

/// The reports are equal field by field; the bounds, a mean ± sigma·std that the in-memory
/// clean sums in one order and the passes in another, to 1e-13 relative.
fn same_report(got: &Value, want: &Value, context: &str) {
    let (Value::Object(got), Value::Object(want)) = (got, want) else {
        panic!("reports are objects")
    };
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (key, w) in want {
        let g = &got[key];
        if key != "bounds" {
            assert_eq!(g, w, "{context}: {key}");
            continue;
        }
        for (column, pair) in w.as_object().unwrap() {
            for (a, b) in g[column]
                .as_array()
                .unwrap()
                .iter()
                .zip(pair.as_array().unwrap())
            {
                match (a.as_f64(), b.as_f64()) {
                    (Some(a), Some(b)) => assert!(
                        (a - b).abs() <= 1e-13 * b.abs().max(1.0),
                        "{context}: bounds of {column}: {a} {b}"
                    ),
                    (a, b) => assert_eq!(a, b, "{context}: bounds of {column}"),
                }
            }
        }
    }
}

fn check(input: &Input, options: &CleanOptions) {
    let (want, want_report) = in_memory(input, options);
    // Batches of 1 and 7 rows; a budget that keeps everything, and one that spills the row
    // hashes and sketches the medians.
    for (batch_rows, memory_limit) in [(65_536, 1 << 30), (7, 1 << 30), (1, 0), (13, 0)] {
        let stream = StreamOptions {
            clean: options.clone(),
            memory_limit,
            batch_rows,
        };
        let mut got = Vec::new();
        let report = clean_to_csv(input, &stream, &mut got, b',', &mut |_| {}).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want),
            "{} with batches of {batch_rows} and a limit of {memory_limit}",
            input.name()
        );
        same_report(
            &serde_json::to_value(&report).unwrap(),
            &want_report,
            input.name(),
        );
    }
}

#[test]
fn real_and_messy_files_clean_to_the_same_bytes() {
    for path in [
        "frames/inputs/people.csv",
        "inputs/penguins.csv",
        "inputs/messy_crlf_bom.csv",
        "frames/inputs/employees.csv",
        "inputs/penguins_raw.csv",
        "inputs/messy.csv",
        "inputs/iris.csv",
        "report/inputs/messy_small.csv",
        "report/inputs/diamonds.csv",
        "report/inputs/inf_values.csv",
    ] {
        let path = golden(path);
        if !path.exists() {
            panic!("missing fixture {}", path.display());
        }
        let input = Input::open(&path).unwrap();
        check(&input, &CleanOptions::default());
    }
}

#[test]
fn column_lists_and_sigma_are_honoured() {
    let input = Input::open(golden("frames/inputs/people.csv")).unwrap();
    let loaded = read_frame(&input).unwrap();
    let names: Vec<String> = loaded
        .frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let numeric: Vec<String> = loaded
        .frame
        .columns()
        .iter()
        .filter(|c| c.dtype().is_primitive_numeric())
        .map(|c| c.name().to_string())
        .take(1)
        .collect();
    let options = CleanOptions {
        numeric: Some(numeric),
        categorical: Some(vec![names[0].clone()]),
        sigma: 2.0,
        ..CleanOptions::default()
    };
    check(&input, &options);
}

#[test]
fn duplicates_by_value_nulls_and_late_text() {
    let mut text = String::from("id,x,label,late\n");
    for i in 0..3_000 {
        let x = if i % 11 == 0 {
            "NA".to_owned()
        } else {
            format!("{}", (i % 97) as f64 * 0.5)
        };
        let label = ["Alpha", "beta", "GAMMA", "", "Ünïcode"][i % 5];
        let late = if i > 2_500 {
            "word".to_owned()
        } else {
            (i % 7).to_string()
        };
        text.push_str(&format!("{},{x},{label},{late}\n", i % 1_000));
    }
    // Equal by value: 1 and 1.0, -0.0 and 0.
    text.push_str("1,1.0,beta,1\n1,1,beta,1\n2,-0.0,x,2\n2,0,x,2\n");
    text.push_str("5000,100000,Alpha,3\n");
    let input = Input::from_reader(text.as_bytes(), "messy.csv", Format::Csv).unwrap();
    check(&input, &CleanOptions::default());
}
