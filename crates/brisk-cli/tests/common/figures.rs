//! Comparing brisk's figures with the peers' golden ones (`tests/golden/**/expected/*.json`).

use brisk_data::stats::NumericSummary;
use serde_json::Value;

/// A numeric column's figures, each with its name in the golden JSON.
pub fn numeric_figures(s: &NumericSummary) -> [(&'static str, Option<f64>); 9] {
    [
        ("mean", s.mean),
        ("std", s.std),
        ("min", s.min),
        ("q25", s.q25),
        ("median", s.median),
        ("q75", s.q75),
        ("max", s.max),
        ("skewness", s.skewness),
        ("kurtosis", s.kurtosis),
    ]
}

/// Relative tolerance of each figure, as the issue states it, and an absolute floor: skewness and
/// kurtosis are dimensionless, and a symmetric column's skewness is 0 in pandas but may be 1e-17
/// after rounding.
pub fn tolerance(stat: &str) -> (f64, f64) {
    match stat {
        "skewness" | "kurtosis" => (1e-7, 1e-12),
        _ => (1e-9, 1e-300),
    }
}

/// The expected value of a figure: JSON null means undefined unless `nonfinite` names it.
pub fn expected_figure(column: &Value, stat: &str) -> Option<f64> {
    match column["nonfinite"].get(stat).and_then(Value::as_str) {
        Some("inf") => Some(f64::INFINITY),
        Some("-inf") => Some(f64::NEG_INFINITY),
        Some(_) => Some(f64::NAN),
        None => column[stat].as_f64(),
    }
}

/// Whether a figure matches the expected one: both undefined, both NaN, equal infinities, or
/// within `rel` relative plus `abs` absolute.
pub fn same(got: Option<f64>, want: Option<f64>, (rel, abs): (f64, f64)) -> bool {
    match (got, want) {
        (None, None) => true,
        (Some(g), Some(w)) if g.is_nan() || w.is_nan() => g.is_nan() && w.is_nan(),
        (Some(g), Some(w)) if g.is_infinite() || w.is_infinite() => g == w,
        (Some(g), Some(w)) => (g - w).abs() <= rel * g.abs().max(w.abs()) + abs,
        _ => false,
    }
}
