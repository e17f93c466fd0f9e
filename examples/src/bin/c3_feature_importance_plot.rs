//! Exercise C.3 (exercise sheet): `plot_feature_importance(feature_names, importances, top_n=15,
//! title=..., save_path=...)` — a horizontal bar chart with the bars sorted (highest on top), a
//! colour gradient from low to high, each bar annotated with its value, clean enough for a report.
//!
//! The scores are those of every numeric column of the Palmer Penguins data (embedded in brisk)
//! for the `species` target, by `brisk_report::importance` (scikit-learn's `f_classif`, one-way
//! ANOVA F); the chart is drawn by `brisk_report::chart::plot_feature_importance`, as SVG and PNG,
//! into a temporary directory. The F scores are checked against a plain one-way ANOVA.

use std::collections::BTreeMap;

use brisk_data::datasets::{PENGUINS_CSV, PENGUINS_NAME};
use brisk_data::frame::read_frame;
use brisk_data::input::{Format, Input};
use brisk_data::table::{frame_columns, TableColumn};
use brisk_examples::{check, check_close};
use brisk_report::chart::{plot_feature_importance, Image, ImageFormat, ImportanceChart};
use brisk_report::importance::{feature_importance, Method};

/// One-way ANOVA F of `values` between the groups `labels`: (SSB / (k − 1)) / (SSW / (n − k)).
fn anova_f(values: &[f64], labels: &[&str]) -> f64 {
    let mut groups: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for (v, l) in values.iter().zip(labels) {
        groups.entry(l).or_default().push(*v);
    }
    let n = values.len() as f64;
    let k = groups.len() as f64;
    let grand = values.iter().sum::<f64>() / n;
    let (mut between, mut within) = (0.0, 0.0);
    for g in groups.values() {
        let mean = g.iter().sum::<f64>() / g.len() as f64;
        between += g.len() as f64 * (mean - grand).powi(2);
        within += g.iter().map(|v| (v - mean).powi(2)).sum::<f64>();
    }
    (between / (k - 1.0)) / (within / (n - k))
}

/// The values of the numeric column `name`.
fn numbers<'a>(columns: &'a [TableColumn], name: &str) -> &'a [f64] {
    match columns.iter().find(|c| c.name() == name) {
        Some(TableColumn::Numeric { values, .. }) => values,
        _ => panic!("{name} is a numeric column"),
    }
}

fn main() {
    let input = Input::from_reader(PENGUINS_CSV, PENGUINS_NAME, Format::Csv).unwrap();
    let columns = frame_columns(&read_frame(&input).unwrap().frame, PENGUINS_NAME).unwrap();
    let importance = feature_importance(&columns, PENGUINS_NAME, "species", Method::Auto).unwrap();
    println!(
        "{} for target `species` ({} rows used, {} dropped for nulls):",
        importance.method, importance.rows, importance.rows_dropped
    );
    for f in &importance.features {
        println!(
            "  {:<18} F = {:>9.2}   p = {:.3e}",
            f.feature, f.score, f.p_value
        );
    }

    let names: Vec<String> = importance
        .features
        .iter()
        .map(|f| f.feature.clone())
        .collect();
    let scores: Vec<f64> = importance.features.iter().map(|f| f.score).collect();
    let options = ImportanceChart {
        title: "Penguins: what tells the species apart".into(),
        ..ImportanceChart::default()
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    for format in [ImageFormat::Svg, ImageFormat::Png] {
        let image = plot_feature_importance(&names, &scores, &options, format).expect("the chart");
        let file = format!("importance.{}", format.extension());
        std::fs::write(dir.path().join(&file), image.as_bytes()).unwrap();
        println!(
            "wrote {file} ({} bytes) to a temporary directory",
            image.as_bytes().len()
        );
        match &image {
            Image::Svg(svg) => check(
                svg.starts_with("<svg")
                    && svg.contains("flipper_length_mm")
                    && svg.contains("594.8"),
                "the SVG names the top feature and annotates its bar with 594.8",
            ),
            Image::Png(png) => check(png.starts_with(b"\x89PNG"), "the PNG has a PNG signature"),
        }
    }

    // The plain reference: the rows with a species and every number present, grouped by species.
    let TableColumn::Text { values: sp, .. } = &columns[0] else {
        unreachable!()
    };
    let complete = |r: &usize| names.iter().all(|n| numbers(&columns, n)[*r].is_finite());
    let keep: Vec<usize> = (0..sp.len())
        .filter(|r| sp[*r].is_some() && complete(r))
        .collect();
    let labels: Vec<&str> = keep.iter().filter_map(|&r| sp[r].as_deref()).collect();
    check(
        importance.method == "f_classif" && importance.rows == keep.len(),
        "f_classif on the 342 complete rows",
    );
    for (name, score) in names.iter().zip(&scores) {
        let kept: Vec<f64> = keep.iter().map(|&r| numbers(&columns, name)[r]).collect();
        let expected = anova_f(&kept, &labels);
        check_close(
            *score,
            expected,
            1e-9 * expected,
            format!("F of {name} equals a plain ANOVA"),
        );
    }
    let top = format!("{} {:.1}", names[0], scores[0]);
    check(
        top == "flipper_length_mm 594.8",
        "top: flipper_length_mm, F = 594.8 as f_classif",
    );
}
