//! Exercise C.2 (exercise sheet): `clean_dataset(df, numeric_cols, categorical_cols)` — drop
//! duplicate rows, fill missing numbers with the column median and missing categories with the
//! mode, lowercase the strings, drop rows with a number beyond 3 standard deviations from its
//! column's mean, and return the cleaned frame with a report of every modification.
//!
//! Done with `brisk_data::frame::clean_dataset` on a small raw table built to contain one of each
//! problem; the counts are checked against what was planted, and the cleaned frame against the
//! rules (no nulls, lowercase text, every number inside the reported bounds).

use brisk_data::frame::{clean_dataset, read_frame, CleanOptions, FillValue};
use brisk_data::input::{Format, Input};
use brisk_examples::check;
use polars::prelude::DataType;

/// 20 customers: line 4 repeats line 3, two ages and one income are missing, one city and one plan
/// are missing, the text is in mixed case, and one income (9000) is far out of range.
const RAW: &str = "age,income,city,plan
34,52,Paris,basic\n41,61,London,Pro\n29,47,paris,basic\n29,47,paris,basic\n52,75,LONDON,pro
NA,58,Berlin,Basic\n45,66,Paris,pro\n31,50,berlin,basic\n27,NA,Paris,basic\n36,55,,Pro
48,70,Paris,basic\nNA,51,Berlin,basic\n39,59,paris,pro\n42,63,London,basic\n30,48,Paris,
35,54,Berlin,pro\n44,9000,Paris,basic\n37,57,London,Pro\n28,45,Paris,basic\n50,72,Berlin,pro\n";

fn main() {
    let input = Input::from_reader(RAW.as_bytes(), "raw.csv", Format::Csv).unwrap();
    let raw = read_frame(&input).unwrap().frame;
    let options = CleanOptions {
        numeric: Some(vec!["age".into(), "income".into()]),
        categorical: Some(vec!["city".into(), "plan".into()]),
        sigma: 3.0,
        ..CleanOptions::default()
    };
    let (clean, report) = clean_dataset(&raw, &options).expect("the cleaning");

    println!(
        "rows in {}, duplicates removed {}, outlier rows removed {}, rows out {}",
        report.rows_in, report.duplicates_removed, report.outlier_rows_removed, report.rows_out
    );
    for (name, n) in report
        .numeric_filled
        .0
        .iter()
        .chain(&report.categorical_filled.0)
    {
        let value = match report.fill_values.get(name) {
            Some(FillValue::Number(Some(x))) => x.to_string(),
            Some(FillValue::Text(Some(t))) => format!("{t:?}"),
            _ => "nothing".into(),
        };
        println!("  {name}: {n} filled with {value}");
    }
    println!("  values lowercased: {}", report.values_lowercased);
    for (name, [lo, hi]) in &report.bounds.0 {
        println!(
            "  {name}: kept within [{:.2}, {:.2}]",
            lo.unwrap(),
            hi.unwrap()
        );
    }

    let filled = |name: &str| {
        let n = report.numeric_filled.get(name);
        *n.or(report.categorical_filled.get(name)).unwrap_or(&0)
    };
    for (what, got, planted) in [
        ("duplicate rows removed", report.duplicates_removed, 1),
        ("ages filled", filled("age"), 2),
        ("incomes filled", filled("income"), 1),
        ("cities filled", filled("city"), 1),
        ("plans filled", filled("plan"), 1),
        (
            "outlier rows removed (the 9000 income)",
            report.outlier_rows_removed,
            1,
        ),
        ("rows out", clean.height() as u64, 18),
    ] {
        check(got == planted, format!("{what}: {got}"));
    }

    // The plain reference for the age median: the known ages of the 19 rows left by step 1.
    let ages = raw.column("age").unwrap().f64().unwrap().clone();
    let mut known: Vec<f64> = (0..20)
        .filter(|&r| r != 3)
        .filter_map(|r| ages.get(r))
        .collect();
    known.sort_by(f64::total_cmp);
    let median = (known[(known.len() - 1) / 2] + known[known.len() / 2]) / 2.0;
    let age_fill = report.fill_values.get("age");
    let ok = age_fill == Some(&FillValue::Number(Some(median)));
    check(
        ok,
        format!("age filled with the median of the remaining ages, {median}"),
    );
    let paris = FillValue::Text(Some("Paris".into()));
    check(
        report.fill_values.get("city") == Some(&paris),
        "city filled with its mode, Paris",
    );

    check(
        clean.columns().iter().all(|c| c.null_count() == 0),
        "no nulls left",
    );
    for name in ["city", "plan"] {
        let text = clean.column(name).unwrap().str().unwrap().clone();
        let lower = text.iter().flatten().all(|t| t == t.to_lowercase());
        check(lower, format!("{name} is lowercase"));
    }
    for (name, [lo, hi]) in &report.bounds.0 {
        let (lo, hi) = (lo.unwrap(), hi.unwrap());
        let values = clean
            .column(name)
            .unwrap()
            .cast(&DataType::Float64)
            .unwrap();
        let inside = values
            .f64()
            .unwrap()
            .iter()
            .flatten()
            .all(|v| (lo..=hi).contains(&v));
        check(inside, format!("every {name} within its bounds"));
    }
}
