//! The association kernels against the golden fixture of `tests/golden/association/expected.json`,
//! written by SciPy 1.17 and pandas 3.1 (see `tests/golden/association/generate.py`):
//! `average_ranks` (`scipy.stats.rankdata`), `spearman_matrix` (pandas
//! `DataFrame.corr(method="spearman")`), `spearman` (`scipy.stats.spearmanr`), `chi2_sf`
//! (`scipy.stats.chi2.sf`), `chi2_contingency` (`scipy.stats.chi2_contingency` with and without
//! Yates' correction) and `cramers_v` (Bergsma's corrected V, computed by the script from SciPy's
//! χ²). The tables are also counted by the `Contingency` accumulator, in two chunks.
//!
//! Every figure must agree to 1e-9 relative (1e-12 absolute near 0); NaN (`null`) and the
//! degrees of freedom exactly.

mod common;

use brisk_kernels::accumulate::Contingency;
use brisk_kernels::stats::{
    average_ranks, chi2_contingency, chi2_sf, cramers_v, spearman, spearman_matrix,
};

use common::{figure, figures, fixture, matrix};

fn assert_close(got: f64, want: f64, what: &str) {
    if want.is_nan() {
        assert!(got.is_nan(), "{what}: got {got}, want NaN");
        return;
    }
    let error = (got - want).abs();
    assert!(
        error <= 1e-9 * want.abs() || error <= 1e-12,
        "{what}: got {got}, want {want} (relative error {:.1e})",
        error / want.abs()
    );
}

#[test]
fn average_ranks_match_rankdata() {
    for (case, entry) in fixture("association/expected.json")["ranks"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let got = average_ranks(&figures(&entry["values"]));
        assert_eq!(got, figures(&entry["ranks"]), "ranks case {case}");
    }
}

#[test]
fn spearman_matches_pandas_and_scipy() {
    let fixture = fixture("association/expected.json");
    let case = &fixture["spearman"];
    let columns: Vec<Vec<f64>> = case["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(figures)
        .collect();
    let views: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
    let names = case["names"].as_array().unwrap();
    let got = spearman_matrix(&views);
    let want = matrix(&case["matrix"]);
    for ((i, j), &w) in want.indexed_iter() {
        let what = format!("spearman {} × {}", names[i], names[j]);
        assert_close(got[[i, j]], w, &what);
        let pair = if i == j {
            got[[i, j]]
        } else {
            spearman(views[i], views[j]).unwrap_or(f64::NAN)
        };
        assert_close(pair, w, &what);
    }
    let pair: Vec<usize> = case["pair"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    let rho = spearman(views[pair[0]], views[pair[1]]).unwrap();
    assert_close(rho, figure(&case["pair_rho"]), "spearmanr");
}

#[test]
fn chi2_sf_matches_scipy() {
    for row in fixture("association/expected.json")["chi2_sf"]
        .as_array()
        .unwrap()
    {
        let [x, dof, want] = figures(row)[..] else {
            panic!("a row of three")
        };
        assert_close(chi2_sf(x, dof), want, &format!("chi2.sf({x}, {dof})"));
    }
}

#[test]
fn contingency_tests_match_scipy() {
    for case in fixture("association/expected.json")["tables"]
        .as_array()
        .unwrap()
    {
        let name = case["name"].as_str().unwrap();
        let observed = matrix(&case["observed"]);
        for (key, correction) in [("corrected", true), ("uncorrected", false)] {
            let want = &case[key];
            let got = chi2_contingency(observed.view(), correction).unwrap();
            assert_eq!(got.dof, want["dof"].as_u64().unwrap(), "{name} {key} dof");
            assert_close(got.statistic, figure(&want["statistic"]), name);
            assert_close(got.p_value, figure(&want["p_value"]), name);
        }
        let v = cramers_v(observed.view()).unwrap_or(f64::NAN);
        assert_close(v, figure(&case["cramers_v"]), &format!("{name} Cramér's V"));
    }
}

#[test]
fn counted_tables_give_the_same_figures() {
    for case in fixture("association/expected.json")["tables"]
        .as_array()
        .unwrap()
    {
        let name = case["name"].as_str().unwrap();
        let observed = matrix(&case["observed"]);
        if observed.iter().any(|v| v.fract() != 0.0) {
            continue;
        }
        // Rows labelled so that byte order keeps the table's order; two chunks, merged.
        let (mut first, mut second) = (Contingency::new(16), Contingency::new(16));
        for ((i, j), &count) in observed.indexed_iter() {
            let half = count as u64 / 2;
            let (a, b) = (format!("r{i:02}"), format!("c{j:02}"));
            first.add_count(a.as_bytes(), b.as_bytes(), half);
            second.add_count(a.as_bytes(), b.as_bytes(), count as u64 - half);
        }
        second.merge(&first);
        let (_, _, counted) = second.table().expect("within the cap");
        assert_eq!(counted, observed, "{name}");
        let v = cramers_v(counted.view()).unwrap_or(f64::NAN);
        assert_close(v, figure(&case["cramers_v"]), name);
    }
}
