//! Group-by states of a table cut into parts, written, read back and merged in shuffled trees,
//! against `group_by` on the whole table.

use brisk_kernels::random::Mt19937;
use polars::prelude::*;

use super::*;
use crate::groupby::{group_by, parse_aggs, parse_derived};
use crate::input::{Format, Input};
use crate::partial::{decode, encode, StateKind, StatsState};

/// Every aggregate the parser has, of a float column with nulls, an integer column, a text
/// column, a column empty in its first rows and text later, and two derived columns.
const AGGS: &str = "count(), count(x), sum(x), mean(x), std(x), var(x), min(x), max(x), \
    median(x), nunique(x), avg(j), sum(j), min(j), max(j), median(j), nunique(j), std(j), \
    count(s), min(s), max(s), nunique(s), count(late), min(late), max(late), nunique(late), \
    sum(y), mean(y), sum(z) as z_total";
const DERIVED: [&str; 2] = ["y = x * 2 - j", "z = j * 3"];

/// A table with null keys of every type: text `k`, integer `i` (no null: `int64`), float `f`,
/// boolean `b` and date `d`.
fn table(rows: usize) -> (String, Vec<String>) {
    let header = "k,i,f,b,d,x,j,s,late".to_owned();
    let mut rng = Mt19937::new(7);
    let lines = (0..rows)
        .map(|r| {
            let k = ["a", "b", "", "c", "b"][r % 5];
            let f = ["0", "1.5", "2", "", "-0.0"][(r / 2) % 5];
            let b = ["True", "False", ""][(r / 3) % 3];
            let d = if r % 7 == 0 {
                String::new()
            } else {
                format!("2024-0{}-1{}", 1 + r % 3, r % 2)
            };
            let x = if r % 11 == 4 {
                String::new()
            } else {
                format!("{}", 1e6 + rng.random_sample() * 1000.0)
            };
            let j = rng.interval(50);
            let s = ["pear", "fig", "", "apple"][r % 4];
            let late = if r < rows / 2 {
                String::new()
            } else {
                format!("v{}", r % 5)
            };
            format!("{k},{},{f},{b},{d},{x},{j},{s},{late}", (r * 7) % 11)
        })
        .collect();
    (header, lines)
}

fn csv(header: &str, lines: &[String]) -> Input {
    let text: String = std::iter::once(header)
        .chain(lines.iter().map(String::as_str))
        .map(|line| format!("{line}\n"))
        .collect();
    Input::from_reader(
        std::io::Cursor::new(text.into_bytes()),
        "t.csv",
        Format::Csv,
    )
    .unwrap()
}

fn options(by: &str, aggs: &str, partition: u32) -> GroupByPartialOptions {
    GroupByPartialOptions {
        by: by.split(',').map(str::to_owned).collect(),
        aggs: parse_aggs(aggs).unwrap(),
        derived: DERIVED.iter().map(|d| parse_derived(d).unwrap()).collect(),
        partition,
    }
}

fn single(input: &Input, by: &str, aggs: &str, sort: Option<SortBy>) -> DataFrame {
    let options = options(by, aggs, 0);
    let job = GroupByOptions {
        sort,
        ..options.job(None)
    };
    group_by(input, &job, &mut |_| {}).unwrap()
}

fn write(state: &GroupByState) -> Vec<u8> {
    encode(StateKind::GroupBy, state)
}

fn read(bytes: &[u8]) -> GroupByState {
    decode(StateKind::GroupBy, bytes, "g.state").unwrap()
}

/// The states of `lines` cut into `parts` parts, each written and read back, merged in a tree
/// whose shape and order `seed` draws (some merged states written and read back too).
fn in_parts(
    header: &str,
    lines: &[String],
    parts: usize,
    by: &str,
    aggs: &str,
    seed: u32,
) -> GroupByState {
    let mut states: Vec<GroupByState> = lines
        .chunks(lines.len().div_ceil(parts))
        .enumerate()
        .map(|(k, piece)| {
            let mut state = GroupByState::new(options(by, aggs, k as u32));
            state.update(&csv(header, piece)).unwrap();
            read(&write(&state))
        })
        .collect();
    let mut rng = Mt19937::new(seed);
    while states.len() > 1 {
        let a = states.swap_remove(rng.interval(states.len() as u64 - 1) as usize);
        let b = states.swap_remove(rng.interval(states.len() as u64 - 1) as usize);
        let (mut into, from) = if rng.random_sample() < 0.5 {
            (a, b)
        } else {
            (b, a)
        };
        into.merge(from).unwrap();
        if rng.random_sample() < 0.3 {
            into = read(&write(&into));
        }
        states.push(into);
    }
    states.pop().unwrap()
}

/// The frames have the same columns, types and rows: floats to 1e-12 relative, the rest equal.
fn assert_same(single: &DataFrame, parts: &DataFrame, label: &str) {
    assert_eq!(single.shape(), parts.shape(), "{label}");
    for (a, b) in single.columns().iter().zip(parts.columns()) {
        assert_eq!((a.name(), a.dtype()), (b.name(), b.dtype()), "{label}");
        if a.dtype() == &DataType::Float64 {
            for (p, q) in a.f64().unwrap().iter().zip(b.f64().unwrap().iter()) {
                let close = match (p, q) {
                    (Some(p), Some(q)) => (p - q).abs() <= 1e-12 * p.abs().max(q.abs()),
                    (p, q) => p == q,
                };
                assert!(close, "{label} {}: {p:?} {q:?}", a.name());
            }
        } else {
            assert!(a.equals_missing(b), "{label} {}: {a:?} {b:?}", a.name());
        }
    }
}

#[test]
fn states_of_any_partitioning_merge_to_the_single_pass() {
    let (header, lines) = table(3000);
    let whole = csv(&header, &lines);
    for by in ["k,i", "f,b", "d", "b,k"] {
        let expected = single(&whole, by, AGGS, None);
        assert!(expected.height() > 4, "{by}");
        for parts in [1, 2, 7, 64] {
            for seed in [1, 2] {
                let state = in_parts(&header, &lines, parts, by, AGGS, seed);
                assert_eq!(state.rows(), 3000);
                let frame = state.finish(None, "t.csv").unwrap();
                assert_same(&expected, &frame, &format!("--by {by}, {parts} parts"));
            }
        }
    }
    // The keys' and aggregates' types are those of the whole table.
    let frame = single(&whole, "k,i", AGGS, None);
    let dtype = |name: &str| frame.column(name).unwrap().dtype().clone();
    assert_eq!(dtype("i"), DataType::Int64);
    assert_eq!(dtype("sum(j)"), DataType::Int64);
    assert_eq!(dtype("z_total"), DataType::Int64);
    assert_eq!(dtype("sum(x)"), DataType::Float64);
    assert_eq!(dtype("min(late)"), DataType::String);
    let keys = frame.column("k").unwrap().str().unwrap();
    assert_eq!(keys.get(frame.height() - 1), None);
}

#[test]
fn a_sorted_finish_is_the_sorted_group_by() {
    let (header, lines) = table(500);
    let sort = SortBy {
        column: "mean(x)".into(),
        descending: true,
    };
    let expected = single(&csv(&header, &lines), "k,b", AGGS, Some(sort.clone()));
    let state = in_parts(&header, &lines, 7, "k,b", AGGS, 3);
    assert_same(&expected, &state.finish(Some(sort), "t").unwrap(), "sorted");
    let nowhere = SortBy {
        column: "zzz".into(),
        descending: false,
    };
    let state = in_parts(&header, &lines, 2, "k", "count()", 3);
    assert!(state.finish(Some(nowhere), "t").is_err());
}

#[test]
fn updates_one_after_another_are_the_rows_together() {
    let (header, lines) = table(400);
    let mut state = GroupByState::new(options("k", AGGS, 0));
    state.update(&csv(&header, &lines[..150])).unwrap();
    state.update(&csv(&header, &lines[150..])).unwrap();
    let expected = single(&csv(&header, &lines), "k", AGGS, None);
    assert_same(&expected, &state.finish(None, "t").unwrap(), "updates");
}

#[test]
fn integers_and_floats_across_parts_follow_the_whole_column() {
    // Integers in one part, a float in the other: the whole column is float64.
    let mut a = GroupByState::new(options("k", "sum(v), min(v)", 0));
    a.update(&csv("k,v,x,j", &["a,1,,".to_owned()])).unwrap();
    let mut b = GroupByState::new(options("k", "sum(v), min(v)", 1));
    b.update(&csv("k,v,x,j", &["a,1.5,,".to_owned()])).unwrap();
    a.merge(b).unwrap();
    let frame = a.finish(None, "t").unwrap();
    assert_eq!(frame.column("sum(v)").unwrap().dtype(), &DataType::Float64);
    assert_eq!(
        frame.column("sum(v)").unwrap().f64().unwrap().get(0),
        Some(2.5)
    );
    // An integer key beyond 2⁵³ keeps the integer met first, whatever the merge order.
    let big = ["9007199254740993,1,1,1", "9007199254740992,2,2,2"].map(str::to_owned);
    let expected = single(&csv("i,v,x,j", &big), "i", "count(), sum(v)", None);
    let key = |frame: &DataFrame| frame.column("i").unwrap().i64().unwrap().get(0);
    assert_eq!(key(&expected), Some(9_007_199_254_740_993));
    for swap in [false, true] {
        let mut states = (0..2).map(|k| {
            let mut state = GroupByState::new(options("i", "count(), sum(v)", k as u32));
            state.update(&csv("i,v,x,j", &big[k..=k])).unwrap();
            state
        });
        let (mut first, mut second) = (states.next().unwrap(), states.next().unwrap());
        if swap {
            std::mem::swap(&mut first, &mut second);
        }
        first.merge(second).unwrap();
        assert_same(&expected, &first.finish(None, "t").unwrap(), "big keys");
    }
}

#[test]
fn a_column_that_turns_to_text_late_in_a_part_is_text_from_its_first_row() {
    let mut lines: Vec<String> = (0..300).map(|r| format!("{},{r},1,1", r % 3)).collect();
    lines.push("x,7,1,1".to_owned());
    lines.push("1.0,8,1,1".to_owned());
    let header = "k,v,x,j";
    let expected = single(&csv(header, &lines), "k", "count(), sum(v)", None);
    let state = in_parts(header, &lines, 1, "k", "count(), sum(v)", 1);
    assert_same(&expected, &state.finish(None, "t").unwrap(), "late text");
    // Cut in two, the first part holds numbers and the second text: refused.
    let mut a = GroupByState::new(options("k", "count()", 0));
    a.update(&csv(header, &lines[..150])).unwrap();
    let mut b = GroupByState::new(options("k", "count()", 1));
    b.update(&csv(header, &lines[150..])).unwrap();
    let message = a.merge(b).unwrap_err().to_string();
    assert!(
        message.contains("\"k\" holds numbers in one partition and text in another"),
        "{message}"
    );
}

#[test]
fn a_state_of_no_rows_gives_the_group_by_of_no_rows() {
    let aggs = "count(), sum(x), mean(y), nunique(s)";
    let expected = single(&csv("k,x,j,s", &[]), "k", aggs, None);
    let empty = GroupByState::new(options("k", aggs, 0));
    assert_same(&expected, &empty.finish(None, "t").unwrap(), "empty");
    // An empty part merges as nothing.
    let (header, lines) = table(200);
    let mut state = in_parts(&header, &lines, 2, "k", AGGS, 5);
    let mut nothing = GroupByState::new(options("k", AGGS, 9));
    nothing.update(&csv(&header, &[])).unwrap();
    state.merge(nothing).unwrap();
    state
        .merge(GroupByState::new(options("k", AGGS, 10)))
        .unwrap();
    let expected = single(&csv(&header, &lines), "k", AGGS, None);
    assert_same(
        &expected,
        &state.finish(None, "t").unwrap(),
        "with empty parts",
    );
}

#[test]
fn states_of_other_jobs_tables_or_types_are_refused() {
    let (header, lines) = table(100);
    let mut a = GroupByState::new(options("k", "count()", 0));
    a.update(&csv(&header, &lines)).unwrap();
    let mut other = GroupByState::new(options("k", "count(), sum(x)", 1));
    other.update(&csv(&header, &lines)).unwrap();
    let message = a.clone().merge(other).unwrap_err().to_string();
    assert!(message.contains("other options"), "{message}");
    let mut other = GroupByState::new(options("k", "count()", 1));
    other
        .update(&csv("k,x,j,extra", &["a,1,2,3".to_owned()]))
        .unwrap();
    let message = a.clone().merge(other).unwrap_err().to_string();
    assert!(message.contains("other columns"), "{message}");
    // Numbers in one part and text in another, in a key or in an aggregated column.
    for by in ["v", "k"] {
        let mut numbers = GroupByState::new(options(by, "count(v), nunique(v)", 0));
        numbers
            .update(&csv("k,v,x,j", &["a,1,,".to_owned()]))
            .unwrap();
        let mut text = GroupByState::new(options(by, "count(v), nunique(v)", 1));
        text.update(&csv("k,v,x,j", &["a,one,,".to_owned()]))
            .unwrap();
        let message = numbers.merge(text).unwrap_err().to_string();
        assert!(
            message.contains("\"v\" holds numbers in one partition and text in another"),
            "{message}"
        );
    }
    // A state of another kind, and a state whose parts do not fit together.
    let stats = encode(StateKind::Stats, &StatsState::new(Default::default()));
    let message = decode::<GroupByState>(StateKind::GroupBy, &stats, "s.state")
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("a statistics (pass 1) state where a group-by state was expected"),
        "{message}"
    );
    let mut broken = a.clone();
    broken.table.as_mut().unwrap().first.pop();
    let message = decode::<GroupByState>(StateKind::GroupBy, &write(&broken), "g.state")
        .unwrap_err()
        .to_string();
    assert!(message.contains("do not fit"), "{message}");
    let bytes = write(&a);
    for end in [0, 20, bytes.len() / 2, bytes.len() - 1] {
        assert!(decode::<GroupByState>(StateKind::GroupBy, &bytes[..end], "g").is_err());
    }
}
