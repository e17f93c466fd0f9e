//! Exercise C.5 (exercise sheet): `chunked_statistics(filepath, chunk_size=100000)` — read a large
//! CSV in chunks and return per-column mean, std, min, max and count without ever loading the whole
//! file, with Welford's online algorithm for a numerically stable mean and variance.
//!
//! A CSV with missing values is generated in a temporary directory and summarised by
//! `brisk_data::stats::chunked_statistics` at three chunk sizes. The algorithm underneath is shown
//! with brisk's `Moments` accumulator: Welford's update within a chunk, Chan et al.'s merge between
//! chunks. Both are checked against a two-pass computation over all values in memory. `--quick`
//! writes 50,000 rows in chunks of 5,000; otherwise 1,000,000 rows in chunks of 100,000.

use std::io::{BufWriter, Write};

use brisk_data::stats::{chunked_statistics, StatsOptions, Summary};
use brisk_examples::{check, check_close, quick, secs, timed, Normals};
use brisk_kernels::stats::{Convention, Moments};

fn main() {
    let (rows, chunk) = if quick() {
        (50_000, 5_000)
    } else {
        (1_000_000, 100_000)
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("large.csv");
    let mut normals = Normals::new(11);
    let mut columns: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut out = BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(out, "sensor,temperature,pressure").unwrap();
    for i in 0..rows {
        let t = format!("{:.4}", 20.0 + 5.0 * normals.next());
        let p = format!("{:.3}", 1e5 + 300.0 * normals.next());
        let p = if i % 97 == 0 { "NA".into() } else { p };
        writeln!(out, "s{},{t},{p}", i % 13).unwrap();
        for (values, text) in columns.iter_mut().zip([&t, &p]) {
            values.extend(text.parse::<f64>().ok());
        }
    }
    out.into_inner().unwrap().sync_all().unwrap();

    let mut reports = Vec::new();
    for chunk_rows in [chunk, chunk / 3 + 1, rows] {
        let options = StatsOptions {
            chunk_rows,
            ..StatsOptions::default()
        };
        let (report, t) = timed(|| chunked_statistics(&path, &options).expect("the statistics"));
        println!("chunks of {chunk_rows:>7} rows: {}", secs(t));
        reports.push(report);
    }
    println!(
        "\n{} rows; per numeric column (chunks of {chunk} rows):",
        reports[0].rows
    );
    println!(
        "{:<12} {:>8} {:>12} {:>9} {:>12} {:>12}",
        "column", "count", "mean", "std", "min", "max"
    );
    for (j, values) in columns.iter().enumerate() {
        let stats = |r: usize| match &reports[r].columns[j + 1].summary {
            Summary::Numeric(s) => s.clone(),
            _ => panic!("the column is numeric"),
        };
        let s = stats(0);
        let name = &reports[0].columns[j + 1].name;
        let [mean, std, min, max] = [s.mean, s.std, s.min, s.max].map(Option::unwrap);
        println!(
            "{name:<12} {:>8} {mean:>12.4} {std:>9.4} {min:>12.4} {max:>12.4}",
            s.count
        );

        // Welford within each chunk, Chan's merge between chunks.
        let mut merged = Moments::new();
        for part in values.chunks(chunk) {
            let mut m = Moments::new();
            part.iter().for_each(|&v| m.add(v));
            merged.merge(&m);
        }
        // The two-pass reference over every value in memory.
        let n = values.len() as f64;
        let rough = values.iter().sum::<f64>() / n;
        let ref_mean = rough + values.iter().map(|v| v - rough).sum::<f64>() / n;
        let ss = values.iter().map(|v| (v - ref_mean).powi(2)).sum::<f64>();
        let ref_std = (ss / (n - 1.0)).sqrt();
        let ref_min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let ref_max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);

        check(
            s.count == values.len() as u64 && merged.count() == s.count,
            "count of non-null values",
        );
        check(min == ref_min && max == ref_max, "min and max exact");
        check_close(
            mean,
            ref_mean,
            1e-12 * ref_mean.abs(),
            "mean equals the two-pass one (relative 1e-12)",
        );
        check_close(
            std,
            ref_std,
            1e-12 * ref_std,
            "std equals the two-pass one (relative 1e-12)",
        );
        let welford_std = merged.std(Convention::Sample).unwrap();
        check_close(
            welford_std,
            ref_std,
            1e-12 * ref_std,
            "merged Welford std equals it too",
        );
        let same = (1..3).all(|r| {
            let o = stats(r);
            (o.mean.unwrap() - mean).abs() <= 1e-12 * mean.abs()
                && (o.std.unwrap() - std).abs() <= 1e-12 * std
        });
        check(same, "the same figures at every chunk size");
    }
}
