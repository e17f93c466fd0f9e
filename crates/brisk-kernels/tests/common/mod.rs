//! Reading the golden fixtures (`tests/golden`) in the kernels' integration tests.
// Each test file compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::path::PathBuf;

use ndarray::Array2;
use serde_json::Value;

/// The JSON fixture at `path`, relative to the repository's `tests/golden`.
pub fn fixture(path: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden")
        .join(path);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// A JSON figure: null is NaN, "inf" and "-inf" are the infinities.
pub fn figure(value: &Value) -> f64 {
    match value {
        Value::Null => f64::NAN,
        Value::String(s) if s == "inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        Value::Number(n) => n.as_f64().expect("a float"),
        other => panic!("not a figure: {other}"),
    }
}

/// A JSON array of figures.
pub fn figures(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(figure)
        .collect()
}

/// A JSON array of rows of figures.
pub fn matrix(value: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = value
        .as_array()
        .expect("rows")
        .iter()
        .map(figures)
        .collect();
    let cols = rows[0].len();
    Array2::from_shape_vec((rows.len(), cols), rows.concat()).expect("a rectangular matrix")
}
