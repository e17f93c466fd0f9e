//! brisk's NumPy summation order against NumPy 2.4.6: every case of `tests/golden/sums/expected.json`
//! (written by `tests/golden/sums/generate.py`, whose docstring gives the generator repeated here)
//! must match bit for bit, for a contiguous `float64` sum and for an `int64` sum cast to `float64`.

use std::path::PathBuf;

use brisk_kernels::numeric::{pairwise_sum, NumpySum, SumOrder};
use serde_json::Value;

fn values(n: usize, seed: u64) -> Vec<f64> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            unit * 10f64.powi((state % 17) as i32 - 5)
        })
        .collect()
}

fn bits(v: &Value) -> u64 {
    u64::from_str_radix(v.as_str().expect("hex bits"), 16).expect("16 hex digits")
}

fn streamed(values: &[f64], order: SumOrder) -> u64 {
    let mut sum = NumpySum::new(values.len() as u64, order);
    values.iter().for_each(|&x| sum.add(x));
    sum.finish().expect("the announced count").to_bits()
}

#[test]
fn sums_equal_numpy_bit_for_bit() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/sums/expected.json");
    let text = std::fs::read_to_string(&path).expect("expected.json is readable");
    let all: Value = serde_json::from_str(&text).expect("expected.json is JSON");
    assert_eq!(all["numpy"], "2.4.6");
    let cases = all["cases"].as_array().expect("cases");
    assert!(cases.len() >= 10);
    for case in cases {
        let n = case["n"].as_u64().unwrap() as usize;
        let x = values(n, case["seed"].as_u64().unwrap());
        let contiguous = bits(&case["contiguous"]);
        assert_eq!(pairwise_sum(&x).to_bits(), contiguous, "n = {n}");
        assert_eq!(streamed(&x, SumOrder::Contiguous), contiguous, "n = {n}");
        let ints: Vec<f64> = x.iter().map(|&v| (v * 1e6) as i64 as f64).collect();
        assert_eq!(
            streamed(&ints, SumOrder::Cast),
            bits(&case["cast"]),
            "n = {n}"
        );
    }
}
