use super::*;
use proptest::prelude::*;

/// The textbook definitions, summed in a plain loop around the exact mean of a sorted copy.
fn reference(values: &[f64]) -> (f64, f64, f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let central = |k: i32| values.iter().map(|x| (x - mean).powi(k)).sum::<f64>();
    (mean, central(2), central(3), central(4))
}

fn close(a: f64, b: f64, rel: f64, scale: f64) -> bool {
    (a - b).abs() <= rel * (a.abs().max(b.abs())) + 1e-12 * scale
}

fn assert_same(a: &Moments, b: &Moments, rel: f64) {
    assert_eq!(a.count(), b.count());
    let scale = a.m2.abs().max(1.0);
    let (ma, mb) = (a.mean().unwrap(), b.mean().unwrap());
    assert!(close(ma, mb, rel, ma.abs().max(1.0)), "mean {ma} {mb}");
    assert!(close(a.m2, b.m2, rel, scale), "m2 {} {}", a.m2, b.m2);
    assert!(
        close(a.m3, b.m3, rel, scale.powf(1.5)),
        "m3 {} {}",
        a.m3,
        b.m3
    );
    assert!(
        close(a.m4, b.m4, rel, scale * scale),
        "m4 {} {}",
        a.m4,
        b.m4
    );
}

#[test]
fn add_from_slice_and_reference_agree() {
    let values: Vec<f64> = (0..1000)
        .map(|i| ((i * 37) % 101) as f64 * 0.3 - 7.0)
        .collect();
    let mut one_by_one = Moments::new();
    values.iter().for_each(|&x| one_by_one.add(x));
    let block = Moments::from_slice(&values);
    assert_same(&one_by_one, &block, 1e-10);
    let (mean, m2, m3, m4) = reference(&values);
    assert!(close(block.mean().unwrap(), mean, 1e-13, 1.0));
    assert!(close(block.m2, m2, 1e-12, 1.0));
    assert!(close(block.m3, m3, 1e-10, m2.powf(1.5)));
    assert!(close(block.m4, m4, 1e-12, 1.0));
}

#[test]
fn values_near_1e9_with_tiny_spread_keep_their_variance() {
    // A naive Σx² − n·x̄² loses every digit here; the two-pass form keeps them.
    let values: Vec<f64> = (0..100_000)
        .map(|i| 1e9 + ((i % 1000) as f64) * 1e-6)
        .collect();
    let naive = {
        let n = values.len() as f64;
        let s: f64 = values.iter().sum();
        let s2: f64 = values.iter().map(|x| x * x).sum();
        (s2 - s * s / n) / (n - 1.0)
    };
    let shifted: Vec<f64> = values.iter().map(|x| x - 1e9).collect();
    let want = Moments::from_slice(&shifted).variance(1.0).unwrap();
    let mut merged = Moments::new();
    for chunk in values.chunks(777) {
        merged.merge(&Moments::from_slice(chunk));
    }
    for got in [
        Moments::from_slice(&values).variance(1.0).unwrap(),
        merged.variance(1.0).unwrap(),
    ] {
        assert!((got - want).abs() <= 1e-6 * want, "got {got}, want {want}");
    }
    assert!(
        (naive - want).abs() > 0.5 * want,
        "the naive formula should fail here"
    );
}

#[test]
fn pandas_conventions_on_a_small_sample() {
    // pandas.Series([1, 2, 3, 4, 10.0]).skew() / .kurt() / .std()
    let m = Moments::from_slice(&[1.0, 2.0, 3.0, 4.0, 10.0]);
    assert!((m.skewness(Convention::Sample).unwrap() - 1.697056274847714).abs() < 1e-12);
    assert!((m.kurtosis(Convention::Sample).unwrap() - 3.1519999999999984).abs() < 1e-12);
    assert!((m.std(Convention::Sample).unwrap() - 3.5355339059327378).abs() < 1e-12);
    // scipy.stats.skew / kurtosis with their defaults (bias=True, fisher=True)
    assert!((m.skewness(Convention::Population).unwrap() - 1.1384199576606167).abs() < 1e-12);
    assert!((m.kurtosis(Convention::Population).unwrap() - -0.21199999999999974).abs() < 1e-12);
}

#[test]
fn undefined_statistics_are_none() {
    let one = Moments::from_slice(&[4.0]);
    assert_eq!(one.std(Convention::Sample), None);
    assert_eq!(one.std(Convention::Population), Some(0.0));
    let constant = Moments::from_slice(&[0.1; 50]);
    assert_eq!(constant.skewness(Convention::Sample), None);
    assert_eq!(constant.kurtosis(Convention::Sample), None);
    assert_eq!(Moments::new().mean(), None);
    assert_eq!(
        Moments::from_slice(&[1.0, 2.0]).skewness(Convention::Sample),
        None
    );
    assert_eq!(
        Moments::from_slice(&[1.0, 2.0, 3.0]).kurtosis(Convention::Sample),
        None
    );
}

#[test]
fn infinities_behave_as_in_numpy() {
    let m = Moments::from_slice(&[1.0, f64::INFINITY, 2.0]);
    assert_eq!(m.mean(), Some(f64::INFINITY));
    assert!(m.variance(1.0).unwrap().is_nan());
    assert_eq!(m.count(), 3);
    let both = Moments::from_slice(&[f64::NEG_INFINITY, f64::INFINITY]);
    assert!(both.mean().unwrap().is_nan());
}

proptest! {
    #[test]
    fn any_split_gives_the_same_moments(
        values in prop::collection::vec(-1e6f64..1e6, 1..400),
        cuts in prop::collection::vec(0usize..400, 0..6),
    ) {
        let whole = Moments::from_slice(&values);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (values.len() + 1)).collect();
        cuts.sort_unstable();
        let mut merged = Moments::new();
        let mut start = 0;
        for &cut in cuts.iter().chain(std::iter::once(&values.len())) {
            merged.merge(&Moments::from_slice(&values[start..cut]));
            start = cut;
        }
        assert_same(&merged, &whole, 1e-9);
        let mut one_by_one = Moments::new();
        values.iter().for_each(|&x| one_by_one.add(x));
        assert_same(&one_by_one, &whole, 1e-9);
    }
}

#[test]
fn a_state_survives_serialization() {
    let m = Moments::from_slice(&[1e9 + 0.25, 1e9 - 0.5, 1e9 + 1.0, f64::NAN]);
    let text = serde_json::to_string(&m).unwrap();
    let back: Moments = serde_json::from_str(&text).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.variance(1.0), m.variance(1.0));
    assert_eq!(m.heap_bytes(), 0);
}
