//! Exercise B.7 (exercise sheet): `pd.read_csv('huge_file.csv').groupby('category').agg({'value':
//! 'mean'})` on a 10 GB file with 16 GB of RAM. The problem: `read_csv` materialises the whole
//! file (pandas objects take a multiple of the text's size) before grouping. The fix: stream the
//! file in chunks and keep only a running sum and count per category.
//!
//! This program writes a CSV many times bigger than one chunk to a temporary directory, groups it
//! with `brisk_data::groupby::group_by` (one streaming pass, memory per group, not per row), and
//! prints the peak heap measured by brisk-profile's counting allocator next to the file's size.
//! The means are checked against sums kept while the file was written.

use std::alloc::System;
use std::io::{BufWriter, Write};

use brisk_data::groupby::{group_by, parse_aggs, GroupByOptions};
use brisk_data::input::Input;
use brisk_examples::{check, check_close, mib, quick, secs, timed, Normals};
use brisk_profile::{block, set_enabled, take_report, CountingAllocator};

#[global_allocator]
static GLOBAL: CountingAllocator<System> = CountingAllocator(System);

const CATEGORIES: usize = 12;
const CHUNK_ROWS: usize = 20_000;

fn main() {
    let rows: usize = if quick() { 100_000 } else { 4_000_000 };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("huge_file.csv");

    // Write the file, keeping the exact sum and count of every category as it goes.
    let mut sums = [(0.0f64, 0u64); CATEGORIES];
    let mut normals = Normals::new(7);
    let mut out = BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(out, "id,category,value").unwrap();
    for id in 0..rows {
        let c = (normals.uniform() * CATEGORIES as f64) as usize;
        let text = format!("{:.6}", 10.0 * c as f64 + normals.next());
        sums[c].0 += text.parse::<f64>().unwrap();
        sums[c].1 += 1;
        writeln!(out, "{id},cat_{c:02},{text}").unwrap();
    }
    out.into_inner().unwrap().sync_all().unwrap();
    let file_bytes = std::fs::metadata(&path).unwrap().len();
    println!(
        "{rows} rows, {} on disk, read {CHUNK_ROWS} rows at a time",
        mib(file_bytes)
    );

    let options = GroupByOptions {
        by: vec!["category".into()],
        aggs: parse_aggs("count(), mean(value) as mean").unwrap(),
        chunk_rows: CHUNK_ROWS,
        ..GroupByOptions::default()
    };
    let input = Input::open(&path).unwrap();
    set_enabled(true);
    let (frame, wall) = timed(|| {
        let _stage = block("groupby");
        group_by(&input, &options, &mut |_| {}).expect("the group-by")
    });
    set_enabled(false);
    let peak = take_report().stages[0].peak_bytes;

    let names = frame.column("category").unwrap().str().unwrap().clone();
    let counts = frame.column("count()").unwrap().i64().unwrap().clone();
    let means = frame.column("mean").unwrap().f64().unwrap().clone();
    println!("\ncategory   count        mean");
    for i in 0..frame.height() {
        let (name, n, m) = (
            names.get(i).unwrap(),
            counts.get(i).unwrap(),
            means.get(i).unwrap(),
        );
        println!("{name:<8} {n:>7} {m:>11.6}");
    }
    println!(
        "\ngroup-by: {}, peak heap {} for a {} file",
        secs(wall),
        mib(peak),
        mib(file_bytes)
    );

    check(rows > 4 * CHUNK_ROWS, "the file spans many chunks");
    check(frame.height() == CATEGORIES, "one row per category");
    let mut worst = 0.0f64;
    for (c, &(sum, n)) in sums.iter().enumerate() {
        check(
            counts.get(c) == Some(n as i64),
            format!("count of cat_{c:02} = {n}"),
        );
        let mean = means.get(c).unwrap();
        worst = worst.max((mean - sum / n as f64).abs() / (sum / n as f64).abs().max(1.0));
    }
    check_close(
        worst,
        0.0,
        1e-10,
        "means equal the sums kept while writing (relative)",
    );
    // The bound: the chunks in flight and the per-group state, whatever the file's length.
    let bound = 64 << 20;
    check(
        peak < bound,
        format!("peak heap {} stays under {}", mib(peak), mib(bound)),
    );
    if !quick() {
        check(
            peak < file_bytes / 2,
            "peak heap is under half the file's size",
        );
    }
}
