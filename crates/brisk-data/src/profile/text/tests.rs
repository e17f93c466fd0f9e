use proptest::prelude::*;

use super::*;

fn facts(values: &[String]) -> TextFacts {
    let mut facts = TextFacts::default();
    values.iter().for_each(|v| facts.add_count(v.as_bytes(), 1));
    facts
}

/// pandas' `str.len()` statistics by a plain sort of the lengths.
fn reference_lengths(values: &[String]) -> Option<(u64, u64, f64, f64)> {
    let mut lengths: Vec<u64> = values.iter().map(|v| v.chars().count() as u64).collect();
    lengths.sort_unstable();
    let n = lengths.len();
    let (&min, &max) = (lengths.first()?, lengths.last()?);
    let mean = lengths.iter().sum::<u64>() as f64 / n as f64;
    let median = (lengths[(n - 1) / 2] + lengths[n / 2]) as f64 / 2.0;
    Some((min, max, mean, median))
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-cA-C]{0,3}",
        "[ \\t]?[0-9]{1,3}(\\.[0-9])?[ ]?",
        "[éÉß日\u{1c}\u{a0}x]{1,4}",
    ]
}

#[test]
fn case_variants_group_values_equal_in_lowercase() {
    let mut counts = TextCounts::new();
    let rows = [
        "Retail", "retail", "x", "RETAIL", "Retail", "Été", "été", "été",
    ];
    for (row, value) in rows.iter().enumerate() {
        counts.add(value.as_bytes(), row as u64);
    }
    let groups = case_variants(&counts);
    let names = |g: &[TextCount]| {
        g.iter()
            .map(|t| (t.value.clone(), t.count))
            .collect::<Vec<_>>()
    };
    assert_eq!(groups.len(), 2);
    assert_eq!(
        names(&groups[0]),
        [
            ("Retail".into(), 2),
            ("retail".into(), 1),
            ("RETAIL".into(), 1)
        ]
    );
    assert_eq!(names(&groups[1]), [("été".into(), 2), ("Été".into(), 1)]);
}

#[test]
fn bounded_tallies_estimate_and_say_so() {
    let mut tally = TextTally::default();
    for i in 0..5_000u64 {
        // "hot" is a tenth of the rows.
        let value = if i % 10 == 0 {
            "hot".to_string()
        } else {
            format!("v{i}")
        };
        tally.add_count(value.as_bytes(), 1, i);
        if i == 2_000 {
            tally.bound();
        }
    }
    let profile = tally.profile(TextFacts::default());
    assert!(!profile.top_exact && !profile.distinct.exact);
    assert_eq!(
        profile.distinct.relative_error,
        Some(HyperLogLog::RELATIVE_ERROR)
    );
    let error = (profile.distinct.count as f64 - 4_501.0).abs() / 4_501.0;
    assert!(
        error < 4.0 * HyperLogLog::RELATIVE_ERROR,
        "{}",
        profile.distinct.count
    );
    assert_eq!(profile.top[0].value, "hot");
    assert!(profile.top[0].count >= 500);
    assert_eq!(tally.total(), 5_000);
    assert!(profile.case_variants.is_empty());
}

proptest! {
    #[test]
    fn facts_match_pandas_string_methods(values in prop::collection::vec(word(), 0..60)) {
        let facts = facts(&values);
        let lengths = facts.length().map(|l| (l.min, l.max, l.mean, l.median));
        prop_assert_eq!(lengths, reference_lengths(&values));
        // Python's str.strip() strips str.isspace() characters.
        let python_space = |c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c);
        let padded = values.iter().filter(|v| v.trim_matches(python_space) != v.as_str()).count();
        prop_assert_eq!(facts.padded, padded as u64);
        let numbers = values.iter().filter(|v| parse_number(v.as_bytes()).is_some()).count();
        prop_assert_eq!(facts.numeric_like, numbers as u64);
    }

    #[test]
    fn exact_tallies_rank_as_value_counts(values in prop::collection::vec(word(), 0..80)) {
        let mut tally = TextTally::default();
        values.iter().enumerate().for_each(|(row, v)| tally.add_count(v.as_bytes(), 1, row as u64));
        let profile = tally.profile(TextFacts::default());
        // value_counts(): by count, a stable sort of the values in order of first appearance.
        let mut order: Vec<(&String, u64)> = Vec::new();
        for v in &values {
            match order.iter_mut().find(|(w, _)| *w == v) {
                Some(entry) => entry.1 += 1,
                None => order.push((v, 1)),
            }
        }
        order.sort_by_key(|entry| std::cmp::Reverse(entry.1));
        let want: Vec<TextCount> = order.iter().take(TOP_VALUES).map(|(v, c)| TextCount {
            value: v.to_string(),
            count: *c,
        }).collect();
        prop_assert_eq!(&profile.top, &want);
        prop_assert_eq!(profile.distinct, Distinct::exact(order.len() as u64));
        let shown: u64 = want.iter().map(|t| t.count).sum();
        prop_assert_eq!(profile.other, values.len() as u64 - shown);
    }
}
