use brisk_data::input::{Format, Input};
use serde_json::Value;

use super::*;
use crate::analysis::AnalysisOptions;
use crate::report::{build_report, render_figures};

/// A table with a row index, numeric columns (one of integers, one far from 0), a text column
/// and a boolean one with nulls, and a text target with nulls: its header and rows.
fn table(rows: usize) -> (String, Vec<String>) {
    let header = "Unnamed: 0,x,y,z,kind,flag,label".to_owned();
    let lines = (0..rows)
        .map(|i| {
            let x = if i % 13 == 5 {
                String::new()
            } else {
                format!("{}", (i * 37 % 101) as f64 / 3.0)
            };
            let y = if i % 17 == 3 {
                "NA".to_owned()
            } else {
                format!("{}", i * 11 % 29)
            };
            let z = 1e6 + ((i * 7919) % 1000) as f64 * 0.001 + (i % 7) as f64;
            let kind = ["a", "b", "c", "", "b"][i % 5];
            let flag = ["True", "False", ""][i * 7 % 3];
            let label = if i % 23 == 9 {
                ""
            } else {
                ["p", "q"][(i * 5 / 3) % 2]
            };
            format!("{i},{x},{y},{z},{kind},{flag},{label}")
        })
        .collect();
    (header, lines)
}

fn input(header: &str, lines: &[String]) -> Input {
    let text = format!("{header}\n{}\n", lines.join("\n"));
    Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap()
}

fn report_options() -> ReportOptions {
    ReportOptions {
        analysis: AnalysisOptions {
            target: Some("label".into()),
            ..AnalysisOptions::default()
        },
        // The data as read then has no room to keep values (as a state's value budget of 0):
        // numeric columns are counted in histograms, and their distinct counts estimated.
        memory_limit: 128 << 20,
        sample_rows: 5_000,
        batch_rows: 100,
        ..ReportOptions::default()
    }
}

/// A small generator for the merge orders.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Merges `items` in a random tree.
fn merge_tree<T>(mut items: Vec<T>, rng: &mut Lcg, merge: impl Fn(&mut T, T)) -> T {
    while items.len() > 1 {
        let a = items.swap_remove(rng.below(items.len()));
        let mut b = items.swap_remove(rng.below(items.len()));
        merge(&mut b, a);
        items.push(b);
    }
    items.pop().unwrap()
}

/// The report of `lines` split into `parts` partitions, each state shipped as bytes and merged in
/// a shuffled tree, and the number of second passes it took.
fn partitioned(
    header: &str,
    lines: &[String],
    parts: usize,
    options: &ReportOptions,
) -> (Figures, usize) {
    let size = lines.len().div_ceil(parts);
    let inputs: Vec<Input> = lines.chunks(size).map(|c| input(header, c)).collect();
    let mut rng = Lcg(parts as u64);
    let states: Vec<ReportState> = inputs
        .iter()
        .enumerate()
        .map(|(p, rows)| {
            let mut state = ReportState::new(PartialReportOptions::of(options, p as u32));
            // Two updates: a partition's rows may come in several pieces.
            let half = rows_of(rows);
            state.update(&half.0).unwrap();
            state.update(&half.1).unwrap();
            ReportState::from_bytes(&state.to_bytes(), "part").unwrap()
        })
        .collect();
    let merged = merge_tree(states, &mut rng, |a, b| a.merge(b).unwrap());
    let mut pass = merged.pass_two().unwrap();
    let mut passes = 0;
    loop {
        passes += 1;
        let copies: Vec<ReportPass2> = inputs
            .iter()
            .enumerate()
            .map(|(p, rows)| {
                let mut copy = pass.for_partition(p as u32);
                let half = rows_of(rows);
                copy.update(&half.0).unwrap();
                copy.update(&half.1).unwrap();
                ReportPass2::from_bytes(&copy.to_bytes(), "pass").unwrap()
            })
            .collect();
        pass = merge_tree(copies, &mut rng, |a, b| a.merge(&b).unwrap());
        if !pass.needs_another_pass() {
            break;
        }
        pass.another_pass().unwrap();
    }
    (merged.finish(pass, "t.csv").unwrap(), passes)
}

/// A partition's rows in two pieces (the first possibly empty).
fn rows_of(input: &Input) -> (Input, Input) {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut input.text().unwrap(), &mut text).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_owned();
    let rows: Vec<String> = lines.map(str::to_owned).collect();
    let cut = rows.len() / 3;
    (
        input_of(&header, &rows[..cut]),
        input_of(&header, &rows[cut..]),
    )
}

fn input_of(header: &str, rows: &[String]) -> Input {
    let mut text = format!("{header}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap()
}

/// The JSON but what the partitions do not give: k-means (fitted on a sample drawn by partition)
/// and the cleaning (not run).
fn comparable(json: &crate::report::ReportJson) -> Value {
    let mut value = serde_json::to_value(json).unwrap();
    let object = value.as_object_mut().unwrap();
    for key in ["kmeans", "cleaning", "cleaning_warnings", "rows_out"] {
        object.remove(key);
    }
    value
}

fn close(a: &Value, b: &Value, path: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            // 1e-12 relative; a figure that is 0 in one sum (a skewness of evenly spread values)
            // may be a rounding's 1e-16 in another.
            assert!(
                (x - y).abs() <= 1e-12 * y.abs().max(x.abs()) + 1e-15,
                "{path}: {x} {y}"
            );
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}");
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                close(x, y, &format!("{path}[{i}]"));
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            let keys = |o: &serde_json::Map<String, Value>| o.keys().cloned().collect::<Vec<_>>();
            assert_eq!(keys(x), keys(y), "{path}");
            for (k, v) in x {
                close(v, &y[k], &format!("{path}.{k}"));
            }
        }
        (x, y) => assert_eq!(x, y, "{path}"),
    }
}

#[test]
fn any_split_merged_in_any_tree_gives_the_single_report() {
    let (header, lines) = table(1_300);
    let options = report_options();
    let single = build_report(&input(&header, &lines), &options, &mut |_| {}).unwrap();
    let reference = comparable(&single.json);
    assert_eq!(reference["index_dropped"], "Unnamed: 0");
    // Every figure is there to compare.
    for key in [
        "importance",
        "pca",
        "correlation",
        "pairwise_correlation",
        "cramers_v",
    ] {
        assert!(!reference[key].is_null(), "{key}");
    }
    assert_eq!(
        reference["categorical_importance"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        reference["sample_rows"]["sample"].as_array().unwrap().len(),
        10
    );
    for parts in [1, 2, 7, 64] {
        let (figures, passes) = partitioned(&header, &lines, parts, &options);
        assert_eq!(passes, 1);
        let page = render_figures(&figures, &options).unwrap();
        close(
            &comparable(&page.json),
            &reference,
            &format!("{parts} parts"),
        );
        assert!(page.json.kmeans.is_some());
        assert!(page.html.contains("<section id=\"projection\">"));
    }
}

#[test]
fn a_row_index_that_does_not_count_across_the_partitions_is_refused_unless_kept() {
    let (header, mut lines) = table(300);
    // Partition 1's rows first: each partition counts, the table does not.
    lines.rotate_left(150);
    let options = report_options();
    let parts: Vec<Input> = lines.chunks(150).map(|c| input(&header, c)).collect();
    let merged = |keep_index: bool| {
        let mut states = parts.iter().enumerate().map(|(p, rows)| {
            let options = ReportOptions {
                keep_index,
                ..options.clone()
            };
            let mut state = ReportState::new(PartialReportOptions::of(&options, p as u32));
            state.update(rows).unwrap();
            state
        });
        let mut first = states.next().unwrap();
        first.merge(states.next().unwrap()).unwrap();
        first
    };
    let message = merged(false).pass_two().unwrap_err().to_string();
    assert!(
        message.contains("\"Unnamed: 0\" is named as a row index"),
        "{message}"
    );
    let kept = merged(true);
    let pass = kept.pass_two().unwrap();
    let mut copies = parts.iter().enumerate().map(|(p, rows)| {
        let mut copy = pass.for_partition(p as u32);
        copy.update(rows).unwrap();
        copy
    });
    let mut pass = copies.next().unwrap();
    pass.merge(&copies.next().unwrap()).unwrap();
    let figures = kept.finish(pass, "t.csv").unwrap();
    let single = ReportOptions {
        keep_index: true,
        ..options.clone()
    };
    let single = build_report(&input(&header, &lines), &single, &mut |_| {}).unwrap();
    let page = render_figures(&figures, &options).unwrap();
    close(&comparable(&page.json), &comparable(&single.json), "kept");
}

#[test]
fn crowded_quartiles_and_a_sampled_table_take_more_passes_and_give_the_single_report() {
    // `c`: a cluster near 1e9 and one far value, which crowds its quartiles' buckets when no
    // memory is left to keep their values; more rows than the pairwise correlations' sample
    // (1,000 rows with no memory), drawn by the rows' numbers in the table as one pass draws it.
    let header = "x,c,label".to_owned();
    let lines: Vec<String> = (0..6000)
        .map(|i| {
            let c = if i == 5 {
                1e-300
            } else {
                1e9 + (i * 7919 % 6000) as f64 * 1e-6
            };
            format!("{},{c},{}", (i * 37 % 101) as f64 / 3.0, ["a", "b"][i % 2])
        })
        .collect();
    let options = ReportOptions {
        memory_limit: 0,
        ..report_options()
    };
    let single = build_report(&input(&header, &lines), &options, &mut |_| {}).unwrap();
    let reference = comparable(&single.json);
    assert_eq!(reference["pairwise_correlation"]["exact"], false);
    for parts in [3, 16] {
        let (figures, passes) = partitioned(&header, &lines, parts, &options);
        assert!(passes > 1, "{passes} passes");
        let page = render_figures(&figures, &options).unwrap();
        close(
            &comparable(&page.json),
            &reference,
            &format!("{parts} parts"),
        );
    }
}

#[test]
fn an_empty_partition_takes_part_in_both_passes() {
    let options = report_options();
    let rows = "x,y,label\n1,2,p\n2,3,q\n3,5,p\n4,1,q\n";
    let empty = "x,y,label\n";
    let mut first = state(rows, 0, &options);
    first.merge(state(empty, 1, &options)).unwrap();
    let pass = first.pass_two().unwrap();
    let input = |t: &str| Input::from_reader(t.as_bytes(), "t.csv", Format::Csv).unwrap();
    let mut copy = pass.for_partition(0);
    copy.update(&input(rows)).unwrap();
    let mut other = pass.for_partition(1);
    other.update(&input(empty)).unwrap();
    copy.merge(&other).unwrap();
    assert_eq!(first.finish(copy, "t.csv").unwrap().rows, 4);
}

/// A state of `text`'s rows as partition `p`.
fn state(text: &str, p: u32, options: &ReportOptions) -> ReportState {
    let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
    let mut state = ReportState::new(PartialReportOptions::of(options, p));
    state.update(&input).unwrap();
    state
}

#[test]
fn states_of_other_options_columns_types_or_partitions_are_refused() {
    let options = report_options();
    let a = "x,y,label\n1,2,p\n2,3,q\n3,5,p\n";
    let merge = |mut a: ReportState, b: ReportState| a.merge(b).unwrap_err().to_string();
    let other = ReportOptions {
        bins: 7,
        ..options.clone()
    };
    assert!(merge(state(a, 0, &options), state(a, 1, &other)).contains("other report options"));
    let columns = "x,w,label\n1,2,p\n";
    assert!(merge(state(a, 0, &options), state(columns, 1, &options))
        .contains("tables with other columns"));
    let text = "x,y,label\n1,two,p\n2,3,q\n";
    let message = merge(state(a, 0, &options), state(text, 1, &options));
    assert!(message.contains("differ on y"), "{message}");
    let message = merge(state(a, 3, &options), state(a, 3, &options));
    assert!(message.contains("two states of partition 3"), "{message}");
    // Bytes of the other pass, or corrupt, are refused before any merge.
    let bytes = state(a, 0, &options).to_bytes();
    let message = ReportPass2::from_bytes(&bytes, "s.state")
        .unwrap_err()
        .to_string();
    assert!(message.contains("where a report (pass 2)"), "{message}");
    let message = ReportState::from_bytes(&bytes[..bytes.len() - 3], "s.state")
        .unwrap_err()
        .to_string();
    assert!(message.contains("truncated"), "{message}");
}

#[test]
fn a_second_pass_of_other_rows_or_no_partition_is_refused() {
    let options = report_options();
    let a = "x,y,label\n1,2,p\n2,3,q\n3,5,p\n4,1,q\n";
    let first = state(a, 0, &options);
    let pass = first.pass_two().unwrap();
    let input = |t: &str| Input::from_reader(t.as_bytes(), "t.csv", Format::Csv).unwrap();
    let message = pass.clone().update(&input(a)).unwrap_err().to_string();
    assert!(message.contains("for no partition"), "{message}");
    let mut copy = pass.for_partition(0);
    copy.update(&input("x,y,label\n1,2,p\n")).unwrap();
    let message = first.finish(copy, "t.csv").unwrap_err().to_string();
    assert!(message.contains("other rows than pass 1"), "{message}");
}

#[test]
fn a_numeric_column_with_no_value_anywhere_is_refused_by_name() {
    let options = report_options();
    let text = "x,y,e,label\n1,2,,p\n2,3,,q\n3,5,,p\n";
    let message = state(text, 0, &options).pass_two().unwrap_err().to_string();
    assert!(message.contains("\"e\" holds no value"), "{message}");
}
