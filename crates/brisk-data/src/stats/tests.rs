use super::*;

fn csv_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// A seeded table: a skewed numeric column, one near 1e9, integer counts with nulls, and text.
fn seeded_table(rows: usize) -> String {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut text = String::from("skewed,near_1e9,counts,word\n");
    for i in 0..rows {
        let u = next();
        let counts = if i % 17 == 0 {
            "NA".to_owned()
        } else {
            ((u * 7.0) as u32).to_string()
        };
        let word = ["alpha", "beta", "gamma", ""][(next() * 4.0) as usize];
        text.push_str(&format!(
            "{},{},{},{}\n",
            (-u.ln()).powi(3),
            1e9 + next() * 1e-3,
            counts,
            word
        ));
    }
    text
}

fn run(path: &Path, options: StatsOptions) -> StatsReport {
    chunked_statistics(path, &options).unwrap()
}

fn numeric(report: &StatsReport, i: usize) -> &NumericSummary {
    match &report.columns[i].summary {
        Summary::Numeric(s) => s,
        _ => panic!("column {i} is not numeric"),
    }
}

fn assert_close(a: &NumericSummary, b: &NumericSummary) {
    assert_eq!((a.count, a.null_count), (b.count, b.null_count));
    assert_eq!(
        (a.min, a.q25, a.median, a.q75, a.max),
        (b.min, b.q25, b.median, b.q75, b.max)
    );
    let pairs = [
        (a.mean, b.mean),
        (a.std, b.std),
        (a.skewness, b.skewness),
        (a.kurtosis, b.kurtosis),
    ];
    for (x, y) in pairs {
        let (x, y) = (x.unwrap(), y.unwrap());
        assert!((x - y).abs() <= 1e-12 * x.abs().max(y.abs()), "{x} vs {y}");
    }
}

#[test]
fn results_do_not_depend_on_the_chunk_size() {
    let (_dir, path) = csv_file(&seeded_table(20_000));
    let whole = run(&path, StatsOptions::default());
    for chunk_rows in [1, 7, 1000] {
        let chunked = run(
            &path,
            StatsOptions {
                chunk_rows,
                ..Default::default()
            },
        );
        // Bit for bit: the moments are folded in fixed blocks of values, not per chunk.
        let json = |r: &StatsReport| serde_json::to_value(&r.columns).unwrap();
        assert_eq!(json(&chunked), json(&whole), "chunk_rows {chunk_rows}");
    }
}

#[test]
fn past_the_memory_limit_quantiles_stay_exact() {
    let (_dir, path) = csv_file(&seeded_table(50_000));
    let kept = run(&path, StatsOptions::default());
    let bounded = run(
        &path,
        StatsOptions {
            chunk_rows: 4096,
            memory_limit: WORKING_BYTES + 100_000,
            ..Default::default()
        },
    );
    for i in 0..3 {
        assert_close(numeric(&kept, i), numeric(&bounded, i));
    }
    assert_eq!(bounded.conventions.rank_error, None);
}

#[test]
fn approx_reports_its_bound_and_stays_within_it() {
    let (_dir, path) = csv_file(&seeded_table(50_000));
    let exact = run(&path, StatsOptions::default());
    let approx = run(
        &path,
        StatsOptions {
            approx: true,
            ..Default::default()
        },
    );
    let bound = approx.conventions.rank_error.expect("a bound");
    assert!(bound > 0.0 && bound < 0.01, "{bound}");
    let (e, a) = (numeric(&exact, 0), numeric(&approx, 0));
    assert!(a.rank_error.is_some());
    // The skewed column is monotone in its rank, so the median's rank error bounds its value error.
    assert!(a.median.unwrap() > 0.0 && e.median.unwrap() > 0.0);
}

#[test]
fn a_column_that_turns_to_text_late_counts_all_its_text() {
    let mut text = String::from("v\n");
    for i in 0..5000 {
        text.push_str(&format!("{}\n", i % 3));
    }
    text.push_str("NA\nlate\n0\n");
    let (_dir, path) = csv_file(&text);
    let report = run(
        &path,
        StatsOptions {
            chunk_rows: 100,
            ..Default::default()
        },
    );
    let Summary::Categorical(s) = &report.columns[0].summary else {
        panic!("a text column")
    };
    assert_eq!((s.count, s.null_count, s.unique), (5002, 1, 4));
    assert_eq!((s.top.as_deref(), s.freq), (Some("0"), Some(1668)));
}

#[test]
fn unknown_columns_are_named() {
    let (_dir, path) = csv_file("a,b\n1,2\n");
    let options = StatsOptions {
        columns: Some(vec!["b".into(), "zz".into()]),
        ..Default::default()
    };
    let err = chunked_statistics(&path, &options).unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnknownColumn);
    assert!(err.message.contains("\"zz\"") && err.message.contains("a, b"));
}

#[test]
fn a_boolean_column_reports_its_count_and_true_share_at_any_chunk_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.csv");
    std::fs::write(
        &path,
        "flag,x\nTrue,1\n,2\nfalse,3\nTRUE,4\nFalse,5\nTrue,6\n",
    )
    .unwrap();
    for chunk_rows in [1, 2, 100] {
        let options = StatsOptions {
            chunk_rows,
            ..StatsOptions::default()
        };
        let report = run(&path, options);
        let Summary::Bool(flag) = &report.columns[0].summary else {
            panic!("flag is boolean")
        };
        let expected = BoolSummary {
            count: 5,
            null_count: 1,
            true_count: 3,
            true_share: Some(0.6),
        };
        assert_eq!(flag, &expected, "chunk_rows {chunk_rows}");
    }
}
