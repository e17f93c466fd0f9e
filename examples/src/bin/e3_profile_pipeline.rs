//! Exercise E.3 (exercise sheet): a `profile_block` that captures wall time, peak memory and the
//! number of allocations, used to profile a whole pipeline (load → clean → transform → visualise)
//! and report on it.
//!
//! `brisk_profile::block` (here through `with_block`) is that context manager: the counting
//! allocator installed below measures every stage's peak heap and allocations. The pipeline reads a
//! generated CSV (with duplicates, nulls and outliers) from a temporary directory, cleans it with
//! `clean_dataset`, analyses it as `brisk report` does (statistics, correlation, importance,
//! standardised PCA and k-means, each a nested stage) and draws two charts into the temporary
//! directory. Prints the stage table and the Amdahl hints. `--quick` uses 5,000 rows, otherwise
//! 200,000.

use std::alloc::System;
use std::io::{BufWriter, Write};
use std::path::Path;

use brisk_data::frame::{clean_dataset, read_frame, CleanOptions};
use brisk_data::input::Input;
use brisk_data::table::frame_columns;
use brisk_examples::{check, print_profile, quick, Normals};
use brisk_profile::{set_enabled, take_report, with_block, CountingAllocator};
use brisk_report::analysis::{analyse, Analysis, AnalysisOptions};
use brisk_report::chart::{cluster_scatter, plot_feature_importance, ImageFormat, ImportanceChart};
use ndarray::s;

#[global_allocator]
static GLOBAL: CountingAllocator<System> = CountingAllocator(System);

const SPECIES: [&str; 3] = ["Alpha", "beta", "GAMMA"];
const STAGES: [&str; 4] = ["load", "clean", "transform", "visualise"];

fn main() {
    let rows = if quick() { 5_000 } else { 200_000 };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("raw.csv");
    let duplicates = write_raw(&path, rows);

    set_enabled(true);
    let loaded = with_block("load", || read_frame(&Input::open(&path).unwrap()).unwrap());
    let options = CleanOptions::default();
    let (clean, report) = with_block("clean", || clean_dataset(&loaded.frame, &options).unwrap());
    let analysis = with_block("transform", || {
        let columns = frame_columns(&clean, "raw.csv").unwrap();
        let options = AnalysisOptions {
            target: Some("species".into()),
            ..Default::default()
        };
        analyse(&columns, "raw.csv", &options).unwrap()
    });
    let ranking = with_block("visualise", || visualise(dir.path(), &analysis));
    set_enabled(false);

    let profile = take_report();
    let (dup, out) = (report.duplicates_removed, report.outlier_rows_removed);
    println!("{rows} rows; {dup} duplicates and {out} outlier rows removed\n");
    print_profile(&profile);

    let top: Vec<_> = profile.stages.iter().filter(|s| s.depth == 0).collect();
    let names: Vec<&str> = top.iter().map(|s| s.name.as_str()).collect();
    check(names == STAGES, "four top-level stages, in pipeline order");
    check(
        top.iter().all(|s| s.allocations > 0),
        "every stage allocated",
    );
    let planted = format!("the {duplicates} planted duplicates removed");
    check(dup == duplicates, planted);
    check(
        ranking.last().unwrap() == "noise",
        "the noise column ranks last",
    );
    for file in ["importance.png", "clusters.png"] {
        let written = std::fs::read(dir.path().join(file)).unwrap();
        check(written.starts_with(b"\x89PNG"), format!("{file} written"));
    }
}

/// Draws the importance chart and the PCA scatter into `dir`; returns the features by importance.
fn visualise(dir: &Path, analysis: &Analysis) -> Vec<String> {
    let importance = analysis.importance.as_ref().unwrap();
    let names: Vec<String> = importance
        .features
        .iter()
        .map(|f| f.feature.clone())
        .collect();
    let values: Vec<f64> = importance.features.iter().map(|f| f.score).collect();
    let options = ImportanceChart::default();
    let chart = plot_feature_importance(&names, &values, &options, ImageFormat::Png).unwrap();
    std::fs::write(dir.join("importance.png"), chart.as_bytes()).unwrap();
    let projection = analysis.projection.as_ref().unwrap();
    let shown = projection.rows.min(5_000); // every point would hide them all
    let points = projection.scores.slice(s![..shown, ..]);
    let (labels, title) = (&projection.labels[..shown], "PCA scores by k-means cluster");
    let scatter = cluster_scatter(
        points,
        labels,
        ["PC 1", "PC 2"],
        title,
        ImageFormat::Png,
        (900, 600),
    );
    std::fs::write(dir.join("clusters.png"), scatter.unwrap().as_bytes()).unwrap();
    names
}

/// Writes `rows` lines of three classes with nulls, outliers and repeated lines; returns how many
/// lines repeat the one before.
fn write_raw(path: &Path, rows: usize) -> u64 {
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    let mut rng = Normals::new(1);
    writeln!(out, "species,size,weight,height,noise").unwrap();
    let (mut line, mut duplicates) = (String::new(), 0);
    for r in 0..rows {
        if r % 50 == 49 {
            duplicates += 1; // the previous line again
        } else {
            let c = r % 3;
            let spread = if r % 997 == 0 { 30.0 } else { 1.0 };
            let size = 10.0 + 4.0 * c as f64 + spread * rng.next();
            let weight = 50.0 + 5.0 * c as f64 + 3.0 * rng.next();
            let height = format!("{:.3}", 2.0 * rng.next() + c as f64);
            let height = if r % 101 == 0 { "NA" } else { &height };
            let (species, noise) = (SPECIES[c], rng.next());
            line = format!("{species},{size:.3},{weight:.3},{height},{noise:.3}");
        }
        writeln!(out, "{line}").unwrap();
    }
    out.into_inner().unwrap().sync_all().unwrap();
    duplicates
}
