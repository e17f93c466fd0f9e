//! The streaming group-by against a plain in-memory reference on seeded random tables.

use std::collections::BTreeMap;

use brisk_kernels::random::Mt19937;
use polars::prelude::*;

use super::*;
use crate::error::ErrorKind;
use crate::input::Format;

fn input(text: &str) -> Input {
    Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap()
}

fn options(by: &str, aggs: &str, chunk_rows: usize) -> GroupByOptions {
    GroupByOptions {
        by: by.split(',').map(str::to_owned).collect(),
        aggs: parse_aggs(aggs).unwrap(),
        chunk_rows,
        ..GroupByOptions::default()
    }
}

/// A table with a text key (nulls included), an integer key spelled two ways, and a value column
/// with nulls.
/// Each row's key and value, as written.
type Rows = Vec<(Option<String>, Option<f64>)>;

fn random_table(seed: u32, rows: usize) -> (String, Rows) {
    let mut rng = Mt19937::new(seed);
    let mut text = String::from("key,num,value\n");
    let mut rows_out = Vec::new();
    for _ in 0..rows {
        let k = (rng.random_sample() * 6.0) as u32;
        let key = (k < 5).then(|| format!("k{k}"));
        let n = (rng.random_sample() * 3.0) as u32;
        let num = if rng.random_sample() < 0.5 {
            format!("{n}")
        } else {
            format!("{n}.0")
        };
        let value = (rng.random_sample() > 0.1).then(|| (rng.random_sample() - 0.3) * 1000.0);
        text.push_str(&format!(
            "{},{num},{}\n",
            key.clone().unwrap_or_default(),
            value.map_or("NA".to_owned(), |v| format!("{v:e}"))
        ));
        rows_out.push((key, value));
    }
    (text, rows_out)
}

#[test]
fn matches_a_plain_reference_and_ignores_chunking() {
    for seed in [1, 2, 3] {
        let (text, rows) = random_table(seed, 3000);
        let aggs = "count(), count(value), sum(value), mean(value), std(value), var(value), min(value), max(value), median(value), nunique(value)";
        let big = group_by(&input(&text), &options("key", aggs, 65_536), &mut |_| {}).unwrap();
        let small = group_by(&input(&text), &options("key", aggs, 7), &mut |_| {}).unwrap();
        assert!(big.equals_missing(&small));

        let mut groups: BTreeMap<Option<String>, Vec<Option<f64>>> = BTreeMap::new();
        for (key, value) in &rows {
            groups.entry(key.clone()).or_default().push(*value);
        }
        // BTreeMap puts None first; pandas (and brisk) put the null key last.
        let mut expected: Vec<_> = groups.into_iter().collect();
        expected.rotate_left(1);
        assert_eq!(big.height(), expected.len());
        let column = |name: &str| big.column(name).unwrap().cast(&DataType::Float64).unwrap();
        let keys = big.column("key").unwrap().str().unwrap().clone();
        for (i, (key, values)) in expected.iter().enumerate() {
            assert_eq!(keys.get(i), key.as_deref());
            let present: Vec<f64> = values.iter().flatten().copied().collect();
            let n = present.len() as f64;
            let mean = present.iter().sum::<f64>() / n;
            let var = present.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
            let mut sorted = present.clone();
            sorted.sort_by(f64::total_cmp);
            let m = sorted.len();
            let median = if m % 2 == 1 {
                sorted[m / 2]
            } else {
                (sorted[m / 2 - 1] + sorted[m / 2]) / 2.0
            };
            let get = |name: &str| column(name).f64().unwrap().get(i).unwrap();
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
            assert_eq!(get("count()"), values.len() as f64);
            assert_eq!(get("count(value)"), n);
            assert!(close(get("sum(value)"), present.iter().sum()));
            assert!(close(get("mean(value)"), mean));
            assert!(close(get("var(value)"), var));
            assert!(close(get("std(value)"), var.sqrt()));
            assert_eq!(get("min(value)"), sorted[0]);
            assert_eq!(get("max(value)"), sorted[m - 1]);
            assert_eq!(get("median(value)"), median);
            assert_eq!(get("nunique(value)"), n);
        }
    }
}

#[test]
fn numeric_keys_compare_by_value() {
    let (text, _) = random_table(9, 500);
    let frame = group_by(&input(&text), &options("num", "count()", 16), &mut |_| {}).unwrap();
    // 0, 1, 2 spelled as "1" and "1.0": three groups, keyed as floats (pandas reads the column
    // as float64 because of the "1.0" spellings).
    assert_eq!(frame.height(), 3);
    assert_eq!(frame.column("num").unwrap().dtype(), &DataType::Float64);
}

#[test]
fn text_keys_keep_spellings_apart() {
    let text = "k,v\n1,1\n1.0,2\nx,3\n1,4\n";
    let frame = group_by(&input(text), &options("k", "sum(v)", 2), &mut |_| {}).unwrap();
    let keys: Vec<Option<&str>> = frame.column("k").unwrap().str().unwrap().iter().collect();
    assert_eq!(keys, [Some("1"), Some("1.0"), Some("x")]);
    let sums: Vec<Option<i64>> = frame
        .column("sum(v)")
        .unwrap()
        .i64()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(sums, [Some(5), Some(2), Some(3)]);
}

#[test]
fn integer_sums_stay_integers_and_text_min_works() {
    let text = "k,i,f,s\na,1,1.5,pear\na,2,,apple\nb,3,2,fig\n";
    let frame = group_by(
        &input(text),
        &options("k", "sum(i), sum(f), min(s), max(s), mean(f)", 65_536),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(frame.column("sum(i)").unwrap().dtype(), &DataType::Int64);
    assert_eq!(frame.column("sum(f)").unwrap().dtype(), &DataType::Float64);
    let min: Vec<Option<&str>> = frame
        .column("min(s)")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(min, [Some("apple"), Some("fig")]);
    let max: Vec<Option<&str>> = frame
        .column("max(s)")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(max, [Some("pear"), Some("fig")]);
}

#[test]
fn text_in_a_numeric_aggregate_names_the_line() {
    let text = "k,v\na,1\nb,oops\n";
    let err = group_by(&input(text), &options("k", "mean(v)", 65_536), &mut |_| {}).unwrap_err();
    assert_eq!(err.location.line, Some(3));
    assert!(err.message.contains("oops"), "{}", err.message);
}

#[test]
fn unknown_columns_and_sort_names_are_refused() {
    let text = "k,v\na,1\n";
    let err = group_by(&input(text), &options("nope", "count()", 10), &mut |_| {}).unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnknownColumn);
    let err = group_by(&input(text), &options("k", "mean(w)", 10), &mut |_| {}).unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnknownColumn);
    let mut sorted = options("k", "count()", 10);
    sorted.sort = Some(SortBy {
        column: "zzz".into(),
        descending: false,
    });
    assert_eq!(
        group_by(&input(text), &sorted, &mut |_| {})
            .unwrap_err()
            .kind,
        ErrorKind::UnknownColumn
    );
}

#[test]
fn infinities_propagate_as_in_pandas() {
    let text = "k,x\na,1\na,inf\nb,-inf\nb,2\nc,inf\nc,-inf\n";
    let frame = group_by(
        &input(text),
        &options("k", "sum(x), mean(x), max(x)", 2),
        &mut |_| {},
    )
    .unwrap();
    let column = |name: &str| -> Vec<Option<f64>> {
        frame.column(name).unwrap().f64().unwrap().iter().collect()
    };
    assert_eq!(
        column("sum(x)")[..2],
        [Some(f64::INFINITY), Some(f64::NEG_INFINITY)]
    );
    assert_eq!(
        column("mean(x)")[..2],
        [Some(f64::INFINITY), Some(f64::NEG_INFINITY)]
    );
    // inf + -inf is NaN, which pandas shows as NaN and brisk as null.
    assert_eq!(column("sum(x)")[2], None);
    assert_eq!(
        column("max(x)"),
        [Some(f64::INFINITY), Some(2.0), Some(f64::INFINITY)]
    );
}

#[test]
fn derived_columns_are_typed_as_pandas_types_them() {
    let text = "k,a,b\nx,2,3\nx,1,1\n";
    let mut opts = options("k", "sum(c), sum(d)", 65_536);
    opts.derived = vec![
        parse_derived("c = a * b").unwrap(),
        parse_derived("d = a / b").unwrap(),
    ];
    let frame = group_by(&input(text), &opts, &mut |_| {}).unwrap();
    // int64 * int64 stays int64 in pandas; true division gives float64.
    assert_eq!(
        frame.column("sum(c)").unwrap().i64().unwrap().get(0),
        Some(7)
    );
    assert_eq!(frame.column("sum(d)").unwrap().dtype(), &DataType::Float64);
}

fn all_aggs() -> &'static str {
    "count(), count(value), sum(value), mean(value), std(value), var(value), min(value), \
     max(value), median(value), nunique(value)"
}

#[test]
fn results_do_not_depend_on_the_batch_size() {
    let (text, _) = random_table(4, 2000);
    for by in ["key", "num", "key,num"] {
        let mut with = options(
            by,
            &format!("{}, sum(twice), nunique(num)", all_aggs()),
            65_536,
        );
        with.derived = vec![parse_derived("twice = value * 2").unwrap()];
        let whole = group_by(&input(&text), &with, &mut |_| {}).unwrap();
        for rows in [1, 7] {
            with.chunk_rows = rows;
            let cut = group_by(&input(&text), &with, &mut |_| {}).unwrap();
            assert!(whole.equals_missing(&cut), "--by {by}, {rows} rows a batch");
        }
    }
}

/// A CSV of `numeric` rows whose column `k` is `i % 3` and `v` is `i`, then one row of `text` in
/// the column `column`.
fn turning_late(numeric: usize, column: &str, text: &str) -> String {
    let mut csv = String::from("k,v\n");
    for i in 0..numeric {
        csv.push_str(&format!("{},{i}\n", i % 3));
    }
    csv.push_str(&match column {
        "k" => format!("{text},7\n"),
        _ => format!("1,{text}\n"),
    });
    csv
}

#[test]
fn a_key_that_turns_to_text_late_is_text_from_the_first_row() {
    let mut text = turning_late(500, "k", "x");
    text.push_str("1.0,8\n");
    for rows in [1, 7, 65_536] {
        let frame = group_by(
            &input(&text),
            &options("k", "count(), sum(v)", rows),
            &mut |_| {},
        )
        .unwrap();
        let keys: Vec<Option<&str>> = frame.column("k").unwrap().str().unwrap().iter().collect();
        // Text keys keep spellings apart: "1" and "1.0" are two groups, sorted by their text.
        assert_eq!(
            keys,
            [Some("0"), Some("1"), Some("1.0"), Some("2"), Some("x")]
        );
        let counts: Vec<Option<i64>> = frame
            .column("count()")
            .unwrap()
            .i64()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(counts, [Some(167), Some(167), Some(1), Some(166), Some(1)]);
    }
}

#[test]
fn a_value_that_turns_to_text_late_is_compared_as_text() {
    let text = turning_late(500, "v", "zebra");
    for rows in [1, 7, 65_536] {
        let frame = group_by(
            &input(&text),
            &options("k", "count(v), min(v), max(v), nunique(v)", rows),
            &mut |_| {},
        )
        .unwrap();
        let column = |name: &str| -> Vec<Option<String>> {
            let c = frame.column(name).unwrap();
            c.str()
                .unwrap()
                .iter()
                .map(|s| s.map(str::to_owned))
                .collect()
        };
        // Text compares by code point: "1" < "10" < … < "99" < "zebra".
        assert_eq!(
            column("min(v)"),
            [Some("0".into()), Some("1".into()), Some("101".into())]
        );
        assert_eq!(column("max(v)")[1], Some("zebra".into()));
        let distinct = frame.column("nunique(v)").unwrap().i64().unwrap().get(1);
        assert_eq!(distinct, Some(168));
    }
    let err = group_by(&input(&text), &options("k", "mean(v)", 7), &mut |_| {}).unwrap_err();
    assert_eq!(err.location.line, Some(502));
    assert_eq!(err.location.column, Some(2));
    assert!(err.message.contains("zebra"), "{}", err.message);
}

#[test]
fn integer_keys_are_int64_and_exact_and_float_keys_are_float64() {
    let text = "i,f,n,v\n9007199254740993,1.5,1,1\n-0,-0.0,,2\n9007199254740993,0.0,2,3\n0,2,1,4\n";
    let frame = group_by(&input(text), &options("i", "sum(v)", 1), &mut |_| {}).unwrap();
    let keys: Vec<Option<i64>> = frame.column("i").unwrap().i64().unwrap().iter().collect();
    assert_eq!(keys, [Some(0), Some(9_007_199_254_740_993)]);
    // -0.0 and 0.0 are one key, written 0.0.
    let frame = group_by(&input(text), &options("f", "count()", 1), &mut |_| {}).unwrap();
    let keys: Vec<Option<f64>> = frame.column("f").unwrap().f64().unwrap().iter().collect();
    assert_eq!(keys, [Some(0.0), Some(1.5), Some(2.0)]);
    assert!(keys[0].unwrap().is_sign_positive());
    // A null makes an integer column float64, as pandas reads it; the null key sorts last.
    let frame = group_by(&input(text), &options("n", "count()", 1), &mut |_| {}).unwrap();
    let keys: Vec<Option<f64>> = frame.column("n").unwrap().f64().unwrap().iter().collect();
    assert_eq!(keys, [Some(1.0), Some(2.0), None]);
}

fn parquet_input(frame: &mut DataFrame, row_group: usize) -> Input {
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_row_group_size(Some(row_group))
        .finish(frame)
        .unwrap();
    Input::from_reader(bytes.as_slice(), "t.parquet", Format::Parquet).unwrap()
}

#[test]
fn parquet_groups_as_the_same_table_in_csv() {
    let (text, _) = random_table(5, 1000);
    let mut table = crate::frame::read_frame(&input(&text)).unwrap().frame;
    let parquet = parquet_input(&mut table, 64);
    for by in ["key", "num"] {
        let aggs = format!("{}, sum(num), min(key)", all_aggs());
        let from_csv = group_by(&input(&text), &options(by, &aggs, 100), &mut |_| {}).unwrap();
        let from_parquet = group_by(&parquet, &options(by, &aggs, 100), &mut |_| {}).unwrap();
        assert!(from_csv.equals_missing(&from_parquet), "--by {by}");
    }
}

#[test]
fn parquet_integer_keys_stay_integers_and_text_stays_text() {
    let mut table = df!(
        "id" => [3i64, 1, 3, 2],
        "digits" => ["1", "01", "1", "2"],
        "v" => [1.0, 2.0, 3.0, 4.0],
    )
    .unwrap();
    let parquet = parquet_input(&mut table, 2);
    let frame = group_by(&parquet, &options("id", "sum(v)", 10), &mut |_| {}).unwrap();
    let keys: Vec<Option<i64>> = frame.column("id").unwrap().i64().unwrap().iter().collect();
    assert_eq!(keys, [Some(1), Some(2), Some(3)]);
    // A string column is text, however numeric its values look.
    let frame = group_by(&parquet, &options("digits", "count()", 10), &mut |_| {}).unwrap();
    assert_eq!(frame.height(), 3);
    let err = group_by(&parquet, &options("id", "sum(digits)", 10), &mut |_| {}).unwrap_err();
    assert_eq!(err.location.column, Some(2));
}

#[test]
fn npy_columns_are_keyed_by_their_index() {
    let rows = [[1.0, 10.0], [2.0, 20.0], [1.0, 30.0], [f64::NAN, 5.0]];
    let mut bytes = Vec::new();
    crate::npy::write_f64(&mut bytes, &[4, 2], rows.iter().flatten().copied()).unwrap();
    let npy = Input::from_reader(bytes.as_slice(), "t.npy", Format::Npy).unwrap();
    for batch in [1, 7] {
        let frame = group_by(&npy, &options("0", "sum(1), mean(1)", batch), &mut |_| {}).unwrap();
        // NumPy arrays are float64: keys too; NaN is the null key, sorted last.
        let keys: Vec<Option<f64>> = frame.column("0").unwrap().f64().unwrap().iter().collect();
        assert_eq!(keys, [Some(1.0), Some(2.0), None]);
        let sums: Vec<Option<f64>> = frame
            .column("sum(1)")
            .unwrap()
            .f64()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(sums, [Some(40.0), Some(20.0), Some(5.0)]);
    }
}
