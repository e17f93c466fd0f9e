use super::*;
use crate::input::{Format, Input};
use crate::stats::{statistics, StatsOptions, StatsReport, Summary};

/// A table with nulls, ties, text whose `top` ties, booleans, dates and a column that is empty
/// in its first rows and text later.
fn table(rows: usize) -> (String, Vec<String>) {
    let header = "x,i,s,b,d,late".to_owned();
    let mut state = 11u64;
    let lines = (0..rows)
        .map(|r| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            let x = if r % 17 == 3 {
                String::new()
            } else {
                format!("{}", 1e6 + u * 1000.0)
            };
            let s = ["b", "a", "c", ""][r % 4];
            let b = ["True", "False", ""][(r / 3) % 3];
            let d = if r % 5 == 0 {
                String::new()
            } else {
                format!("2024-0{}-1{}", 1 + r % 9, r % 10)
            };
            let late = if r < rows / 2 {
                String::new()
            } else {
                format!("v{}", r % 3)
            };
            format!("{x},{},{s},{b},{d},{late}", (r * 7) % 11)
        })
        .collect();
    (header, lines)
}

fn csv(header: &str, lines: &[String]) -> Input {
    let text = format!("{header}\n{}\n", lines.join("\n"));
    Input::from_reader(
        std::io::Cursor::new(text.into_bytes()),
        "t.csv",
        Format::Csv,
    )
    .unwrap()
}

/// The statistics of `lines` cut into `parts` partitions: each summarised into a state that is
/// written and read back, the states merged in a shuffled tree, then the quartile pass likewise.
fn in_parts(header: &str, lines: &[String], parts: usize, exact: bool) -> StatsReport {
    let pieces: Vec<Input> = lines
        .chunks(lines.len().div_ceil(parts))
        .map(|piece| csv(header, piece))
        .collect();
    let states: Vec<Vec<u8>> = pieces
        .iter()
        .enumerate()
        .map(|(k, input)| {
            let options = PartialOptions {
                partition: k as u32,
                ..PartialOptions::default()
            };
            let mut state = StatsState::new(options);
            state.update(input).unwrap();
            encode(StateKind::Stats, &state)
        })
        .collect();
    let read = |b: &Vec<u8>| decode::<StatsState>(StateKind::Stats, b, "s").unwrap();
    // A tree: pairs merged back to front, then the pairs front to back.
    let mut pairs: Vec<StatsState> = states
        .chunks(2)
        .map(|pair| {
            let mut pair = pair.iter().rev();
            let mut a = read(pair.next().unwrap());
            pair.for_each(|b| a.merge(read(b)).unwrap());
            a
        })
        .collect();
    let mut merged = pairs.remove(0);
    pairs.into_iter().for_each(|p| merged.merge(p).unwrap());
    let quartiles = exact.then(|| {
        let plan = encode(StateKind::Quartiles, &merged.quartile_pass());
        let mut passes = pieces.iter().rev().map(|input| {
            let mut pass: QuartilesState = decode(StateKind::Quartiles, &plan, "q").unwrap();
            pass.update(input).unwrap();
            pass
        });
        let mut all = passes.next().unwrap();
        passes.for_each(|p| all.merge(&p).unwrap());
        assert!(!all.needs_another_pass());
        all
    });
    merged.finish("t.csv", quartiles, exact).unwrap()
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-300),
        (a, b) => a == b,
    }
}

fn assert_same(single: &StatsReport, parts: &StatsReport, label: &str) {
    assert_eq!(single.rows, parts.rows, "{label}");
    assert_eq!(single.columns.len(), parts.columns.len(), "{label}");
    for (a, b) in single.columns.iter().zip(&parts.columns) {
        match (&a.summary, &b.summary) {
            (Summary::Numeric(a), Summary::Numeric(b)) => {
                assert_eq!(
                    (a.count, a.null_count, a.min, a.max, a.q25, a.median, a.q75),
                    (b.count, b.null_count, b.min, b.max, b.q25, b.median, b.q75),
                    "{label}"
                );
                for (p, q) in [
                    (a.mean, b.mean),
                    (a.std, b.std),
                    (a.skewness, b.skewness),
                    (a.kurtosis, b.kurtosis),
                ] {
                    assert!(close(p, q), "{label} {}: {p:?} {q:?}", a.count);
                }
            }
            (a, b) => assert_eq!(a, b, "{label}"),
        }
    }
}

#[test]
fn states_of_any_partitioning_merge_to_the_single_pass() {
    let (header, lines) = table(3000);
    let single = statistics(&csv(&header, &lines), &StatsOptions::default(), &mut |_| {}).unwrap();
    let kinds: Vec<&str> = single
        .columns
        .iter()
        .map(|c| match c.summary {
            Summary::Numeric(_) => "numeric",
            Summary::Categorical(_) => "text",
            Summary::Bool(_) => "bool",
            Summary::Datetime(_) => "datetime",
        })
        .collect();
    assert_eq!(
        kinds,
        ["numeric", "numeric", "text", "bool", "datetime", "text"]
    );
    for parts in [1, 2, 7, 64] {
        assert_same(
            &single,
            &in_parts(&header, &lines, parts, true),
            &format!("{parts}"),
        );
    }
}

#[test]
fn one_pass_estimates_bound_their_rank_error() {
    let (header, lines) = table(5000);
    let single = statistics(&csv(&header, &lines), &StatsOptions::default(), &mut |_| {}).unwrap();
    let estimated = in_parts(&header, &lines, 7, false);
    let (Summary::Numeric(exact), Summary::Numeric(guess)) =
        (&single.columns[0].summary, &estimated.columns[0].summary)
    else {
        panic!()
    };
    // A continuous column's buckets are narrow; the small integers of `i` fill a bucket each,
    // and the bound over all columns is theirs.
    let bound = guess.rank_error.unwrap();
    assert!(bound < 0.01, "{bound}");
    assert!(estimated.conventions.rank_error.unwrap() >= bound);
    // The estimate lies within the values whose ranks are within the bound of the median's.
    let mut values: Vec<f64> = lines
        .iter()
        .filter_map(|l| l.split(',').next()?.parse().ok())
        .collect();
    values.sort_by(f64::total_cmp);
    let n = values.len() as f64;
    let slack = (bound * n).ceil() as usize + 1;
    let mid = values.len() / 2;
    let median = guess.median.unwrap();
    assert!(values[mid - slack] <= median && median <= values[mid + slack]);
    assert!(close(exact.mean, guess.mean));
}

#[test]
fn states_of_other_tables_or_options_are_refused() {
    let (header, lines) = table(100);
    let mut a = StatsState::new(PartialOptions::default());
    a.update(&csv(&header, &lines)).unwrap();
    let mut other = StatsState::new(PartialOptions::default());
    other.update(&csv("p,q", &["1,2".to_owned()])).unwrap();
    let message = a.merge(other).unwrap_err().to_string();
    assert!(message.contains("other columns"), "{message}");
    let population = PartialOptions {
        convention: Convention::Population,
        ..PartialOptions::default()
    };
    let message = a
        .merge(StatsState::new(population))
        .unwrap_err()
        .to_string();
    assert!(message.contains("other options"), "{message}");
    // A column of numbers in one part and text in another.
    let mut numbers = StatsState::new(PartialOptions::default());
    numbers.update(&csv("x", &["1".to_owned()])).unwrap();
    let mut text = StatsState::new(PartialOptions::default());
    text.update(&csv("x", &["a".to_owned()])).unwrap();
    let message = numbers.merge(text).unwrap_err().to_string();
    assert!(
        message.contains("\"x\" holds numbers in one partition and text"),
        "{message}"
    );
    // Exact quartiles without the second pass.
    let message = a.finish("t", None, true).unwrap_err().to_string();
    assert!(message.contains("second pass"), "{message}");
}

#[test]
fn a_quartile_pass_over_other_rows_is_an_error() {
    let (header, lines) = table(400);
    let mut state = StatsState::new(PartialOptions::default());
    state.update(&csv(&header, &lines)).unwrap();
    let mut pass = state.quartile_pass();
    pass.update(&csv(&header, &lines[1..])).unwrap();
    let message = state
        .finish("t.csv", Some(pass), true)
        .unwrap_err()
        .to_string();
    assert!(message.contains("other rows than pass 1"), "{message}");
}

use brisk_kernels::stats::Convention;
