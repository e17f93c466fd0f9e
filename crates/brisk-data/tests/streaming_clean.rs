//! The streaming clean (`brisk_data::cleaning`) against the in-memory one (`clean_dataset` then
//! `write_csv`): the same bytes and the same report, whatever the batch size, and whether the row
//! hashes and the medians fit in memory or not.

use std::path::PathBuf;

use brisk_data::batch::Batches;
use brisk_data::cleaning::{clean_to_csv, count_surviving, AsRead, FusedClean, StreamOptions};
use brisk_data::frame::{clean_loaded, read_frame, write_csv, CleanOptions};
use brisk_data::input::{Format, Input};
use brisk_data::summary::TableSummary;
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

/// The reports are equal field by field, the bounds to the last bit: both cleans take them as
/// pandas does.
fn same_report(got: &Value, want: &Value, context: &str) {
    assert_eq!(got, want, "{context}");
}

fn check(input: &Input, options: &CleanOptions) {
    let (want, want_report) = in_memory(input, options);
    // Batches of 1 and 7 rows; a budget that keeps everything, and one that spills the row
    // hashes and counts the medians in histograms.
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
        "frames/inputs/edge.csv",
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

#[test]
fn a_crowded_median_takes_more_passes_and_the_same_bytes() {
    // `c`: a cluster near 1e9 and one far value, which crowds its median's bucket past a zero
    // budget; with and without repeated rows (the medians over the distinct rows, or of the
    // first pass).
    for repeats in [false, true] {
        let mut text = String::from("id,c\n");
        for i in 0..6_000 {
            let c = if i == 5 {
                1e-300
            } else {
                1e9 + (i * 7919 % 6_000) as f64 * 1e-6
            };
            let id = if repeats && i % 10 == 0 { 0 } else { i };
            let c = if repeats && i % 10 == 0 { 1.0 } else { c };
            text.push_str(&format!("{id},{c}\n"));
        }
        let input = Input::from_reader(text.as_bytes(), "crowded.csv", Format::Csv).unwrap();
        check(&input, &CleanOptions::default());
    }
}

/// The report's fused passes: the cleaning rides the statistics' two passes over the rows as
/// read, with the statistics' median ranges; the outliers it counts in the second pass (when it
/// can) equal those a pass of their own counts, with medians kept or located by a histogram.
fn fused_count(input: &Input, batch_rows: usize, value_budget: u64) -> Option<Value> {
    let options = StreamOptions {
        clean: CleanOptions::default(),
        memory_limit: (64 << 20) + (1 << 20),
        batch_rows,
    };
    let mut fused = FusedClean::new(input.name(), &options).with_medians_given();
    let mut batches = Batches::open(input, batch_rows).unwrap();
    let first = batches.next_batch().unwrap();
    let types = batches.types().clone();
    let mut summary = TableSummary::new(&types, value_budget);
    fused.start_first(&types).unwrap();
    let mut next = first;
    while let Some(batch) = next {
        summary.add(&batch, batches.types());
        fused.first(&batch).unwrap();
        next = batches.next_batch().unwrap();
    }
    let types = batches.types().clone();
    assert!(!types.turned_late());
    let mut quartiles = summary.needs_second_pass().then(|| summary.quartile_pass());
    assert_eq!(quartiles.is_some(), value_budget == 0);
    let ranges = summary.median_ranges(quartiles.as_ref());
    let moments = summary.moments_as_read();
    let as_read = AsRead {
        median_ranges: &ranges,
        moments: &moments,
    };
    fused.start_second(&types, Some(as_read)).unwrap();
    let mut batches = Batches::with_types(input, &types, batch_rows).unwrap();
    while let Some(batch) = batches.next_batch().unwrap() {
        if let Some(q) = &mut quartiles {
            q.add(&batch);
        }
        fused.second(&batch);
    }
    let (_, medians) = summary.finish_with_medians(&types, quartiles).unwrap();
    let mut prepared = fused
        .finish(input, None, Some(medians), &mut |_| {})
        .unwrap();
    // As the report does: pandas' own bounds where a row kept aside lies within their rounding.
    if prepared.counted_report().is_none() {
        prepared.settle_for_count(input, None, batch_rows).unwrap();
    }
    let early = prepared.counted_report();
    prepared
        .settle_bounds(input, None, batch_rows, &mut |_| {})
        .unwrap();
    let counted = count_surviving(input, &prepared, batch_rows).unwrap();
    let early = early?;
    let context = format!(
        "{} in batches of {batch_rows}, budget {value_budget}",
        input.name()
    );
    assert_eq!(
        early.outlier_rows_removed, counted.outlier_rows_removed,
        "{context}"
    );
    let fused = prepared
        .counted_report()
        .expect("a count with settled bounds");
    assert_eq!(
        serde_json::to_value(&fused).unwrap(),
        serde_json::to_value(&counted).unwrap(),
        "{context}"
    );
    Some(serde_json::to_value(&fused).unwrap())
}

/// Distinct rows with nulls, tails on both sides, a rare 0/1 flag and a text column.
fn outlier_table(rows: usize, constant: bool) -> String {
    let mut text = String::from("id,normal,heavy,flag,near,label\n");
    let mut state = 99u64;
    let mut uniform = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for i in 0..rows {
        let (u, v) = (uniform(), uniform());
        let normal = (-2.0 * u.max(1e-300).ln()).sqrt() * (std::f64::consts::TAU * v).cos();
        let heavy = (std::f64::consts::PI * (uniform() - 0.5)).tan();
        let cell = |x: f64, k: usize| {
            if i % k == 0 {
                String::new()
            } else {
                format!("{x}")
            }
        };
        let flag = u64::from(i % 97 == 0);
        let near = if constant { 1e9 } else { 1e9 + v * 1e-3 };
        text.push_str(&format!(
            "{i},{},{},{flag},{},{}\n",
            cell(normal, 13),
            cell(heavy, 17),
            cell(near, 19),
            ["a", "B", ""][i % 3]
        ));
    }
    text
}

#[test]
fn outliers_counted_in_the_second_pass_equal_a_pass_of_their_own() {
    let input = Input::from_reader(
        outlier_table(20_000, false).as_bytes(),
        "tails.csv",
        Format::Csv,
    )
    .unwrap();
    for (batch_rows, budget) in [(65_536, 1 << 30), (7, 1 << 30), (1000, 0), (13, 0)] {
        let counted = fused_count(&input, batch_rows, budget);
        assert!(
            counted.is_some(),
            "batches of {batch_rows}, budget {budget}: the count was given up"
        );
        assert!(counted.unwrap()["outlier_rows_removed"].as_u64().unwrap() > 0);
    }
    // A constant column leaves every row undecided until its bounds are final: past the budget
    // the count is given up, and the caller's own pass is the answer.
    let input = Input::from_reader(
        outlier_table(50_000, true).as_bytes(),
        "constant.csv",
        Format::Csv,
    )
    .unwrap();
    assert!(fused_count(&input, 4096, 0).is_none());
}

#[test]
fn a_count_with_rows_on_the_edge_of_a_bound_is_pandas_own() {
    // The golden edge file without its two repeated lines: the same distinct rows, so pandas
    // removes the same outliers; some lie within an ulp of a bound.
    let text = std::fs::read_to_string(golden("frames/inputs/edge.csv")).unwrap();
    let mut seen = std::collections::HashSet::new();
    let distinct: String = text
        .lines()
        .filter(|line| seen.insert(*line))
        .map(|line| format!("{line}\n"))
        .collect();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(golden("frames/expected/clean_edge.json")).unwrap(),
    )
    .unwrap();
    let want = &expected["report"]["outlier_rows_removed"];
    let input = Input::from_reader(distinct.as_bytes(), "edge.csv", Format::Csv).unwrap();
    for (batch_rows, budget) in [(65_536, 1 << 30), (97, 0)] {
        let counted = fused_count(&input, batch_rows, budget).expect("counted on the way");
        assert_eq!(&counted["outlier_rows_removed"], want);
        assert_eq!(counted["duplicates_removed"], 0);
    }
}
