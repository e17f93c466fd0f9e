//! The profiles against pandas' figures for a seeded table (`tests/golden/columns/generate.py`), for any batch
//! size and budget.

use serde_json::Value;

use super::*;
use crate::batch::Batches;
use crate::input::{Format, Input};
use crate::summary::TableSummary;

const TABLE: &str = include_str!("../../../../tests/golden/columns/table.csv");
const EXPECTED: &str = include_str!("../../../../tests/golden/columns/expected.json");

fn profiles(batch_rows: usize, value_budget: u64, text_budget: u64) -> Vec<ColumnProfile> {
    let input = Input::from_reader(TABLE.as_bytes(), "table.csv", Format::Csv).unwrap();
    let mut batches = Batches::open(&input, batch_rows).unwrap();
    let mut summary = TableSummary::new(batches.types(), value_budget)
        .text_budget(text_budget)
        .profiled(batches.types());
    while let Some(batch) = batches.next_batch().unwrap() {
        summary.add(&batch, batches.types());
    }
    let types = batches.types().clone();
    let second = summary.needs_second_pass().then(|| {
        let mut pass = summary.quartile_pass();
        let mut again = Batches::with_types(&input, &types, batch_rows).unwrap();
        while let Some(batch) = again.next_batch().unwrap() {
            pass.add(&batch);
        }
        pass
    });
    summary.finish_profiled(&types, second).unwrap().profiles
}

fn pairs(entries: &[ValueCount]) -> Vec<(f64, u64)> {
    entries.iter().map(|e| (e.value, e.count)).collect()
}

fn expected_pairs(value: &Value) -> Vec<(f64, u64)> {
    let entries = value.as_array().unwrap().iter();
    entries
        .map(|e| {
            (
                e[0].as_str().unwrap().parse().unwrap(),
                e[1].as_u64().unwrap(),
            )
        })
        .collect()
}

fn check_distinct(distinct: Distinct, want: u64) {
    if distinct.exact {
        assert_eq!(distinct.count, want);
    } else {
        let error = (distinct.count as f64 - want as f64).abs() / want as f64;
        assert!(
            error <= 4.0 * distinct.relative_error.unwrap(),
            "{distinct:?} for {want}"
        );
    }
}

fn check_numeric(profile: &ColumnProfile, want: &Value) {
    let ColumnProfile::Numeric(p) = profile else {
        panic!("{profile:?}")
    };
    check_distinct(p.distinct, want["distinct"].as_u64().unwrap());
    let counts = [p.zeros, p.negatives, p.infinite];
    let want_counts = ["zeros", "negatives", "infinite"].map(|k| want[k].as_u64().unwrap());
    assert_eq!(counts, want_counts);
    assert_eq!(pairs(&p.smallest), expected_pairs(&want["smallest"]));
    assert_eq!(pairs(&p.largest), expected_pairs(&want["largest"]));
}

fn check_text(profile: &ColumnProfile, want: &Value) {
    let ColumnProfile::Text(p) = profile else {
        panic!("{profile:?}")
    };
    check_distinct(p.distinct, want["distinct"].as_u64().unwrap());
    let top: Vec<(String, u64)> = p.top.iter().map(|t| (t.value.clone(), t.count)).collect();
    let want_top: Vec<(String, u64)> = want["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e[0].as_str().unwrap().to_owned(), e[1].as_u64().unwrap()))
        .collect();
    assert_eq!(top, want_top);
    assert_eq!(p.other, want["other"].as_u64().unwrap());
    let length = p.length.unwrap();
    let l = &want["length"];
    assert_eq!(
        (length.min, length.max),
        (l[0].as_u64().unwrap(), l[1].as_u64().unwrap())
    );
    assert!((length.mean - l[2].as_f64().unwrap()).abs() < 1e-12);
    assert_eq!(length.median, l[3].as_f64().unwrap());
    assert_eq!(p.padded, want["padded"].as_u64().unwrap());
    assert_eq!(p.numeric_like, want["numeric_like"].as_u64().unwrap());
    if p.distinct.exact {
        let mut groups: Vec<Vec<String>> = p
            .case_variants
            .iter()
            .map(|g| {
                let mut names: Vec<String> = g.iter().map(|t| t.value.clone()).collect();
                names.sort();
                names
            })
            .collect();
        groups.sort();
        let want_groups: Vec<Vec<String>> =
            serde_json::from_value(want["case_variants"].clone()).unwrap();
        assert_eq!(groups, want_groups);
    } else {
        assert!(p.case_variants.is_empty());
    }
}

#[test]
fn profiles_match_pandas_for_any_batch_size_and_budget() {
    let want: Value = serde_json::from_str(EXPECTED).unwrap();
    // (batch rows, value budget, text budget): everything kept; small batches; numeric values
    // counted past the budget (distinct counts estimated); text counts bounded (its 432 values
    // fit the SpaceSaving counters, so the top stays exact).
    for (rows, values, text) in [
        (100_000, 1 << 30, 1 << 30),
        (7, 1 << 30, 1 << 30),
        (256, 0, 1 << 30),
        (1_000, 1 << 30, 1_000),
    ] {
        let profiles = profiles(rows, values, text);
        check_numeric(&profiles[0], &want["n"]);
        check_numeric(&profiles[1], &want["x"]);
        check_text(&profiles[2], &want["s"]);
        let ColumnProfile::Bool { distinct } = profiles[3] else {
            panic!("{:?}", profiles[3])
        };
        assert_eq!(
            distinct,
            Distinct::exact(want["b"]["distinct"].as_u64().unwrap())
        );
        let exact = [values > 0, values > 0, text > 1_000];
        let ColumnProfile::Text(s) = &profiles[2] else {
            unreachable!()
        };
        let found = [&profiles[0], &profiles[1]].map(|p| match p {
            ColumnProfile::Numeric(p) => p.distinct.exact,
            _ => unreachable!(),
        });
        assert_eq!(
            [found[0], found[1], s.distinct.exact],
            exact,
            "{rows} {values} {text}"
        );
        assert!(s.top_exact);
    }
}
