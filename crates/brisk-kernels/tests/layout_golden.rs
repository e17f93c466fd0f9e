//! brisk's layout rules against NumPy 2.4.6: every case of `tests/golden/layout/cases.json`
//! (written by `tests/golden/layout/generate.py`) must match exactly — shapes, strides, itemsize,
//! nbytes, view or copy, and each error's text and exception class.

use std::path::PathBuf;

use brisk_kernels::layout::index::index;
use brisk_kernels::layout::strides::strides;
use brisk_kernels::layout::{
    broadcast_shapes, index_strided, matmul_shape, Dtype, ErrorKind, LayoutError, Order,
};
use serde_json::Value;

fn cases(section: &str) -> Vec<Value> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/layout/cases.json");
    let text = std::fs::read_to_string(&path).expect("cases.json is readable");
    let all: Value = serde_json::from_str(&text).expect("cases.json is JSON");
    assert_eq!(all["numpy"], "2.4.6");
    all[section]
        .as_array()
        .unwrap_or_else(|| panic!("no section {section}"))
        .clone()
}

fn usizes(v: &Value) -> Vec<usize> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|x| x.as_u64().expect("a size") as usize)
        .collect()
}

fn isizes(v: &Value) -> Vec<isize> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|x| x.as_i64().expect("a stride") as isize)
        .collect()
}

fn python_name(kind: ErrorKind) -> &'static str {
    kind.python_name()
}

/// Compares an outcome with a case's `error`/`error_type`, or runs `ok` on success.
fn check<T>(
    case: &Value,
    got: Result<T, LayoutError>,
    ok: impl FnOnce(T) -> Option<String>,
) -> Option<String> {
    match (got, case.get("error")) {
        (Err(e), Some(want)) => {
            let kind = python_name(e.kind());
            if e.to_string() != want.as_str().unwrap() || kind != case["error_type"] {
                Some(format!(
                    "error {kind}: {e:?}\n      want {}: {want}",
                    case["error_type"]
                ))
            } else {
                None
            }
        }
        (Err(e), None) => Some(format!("unexpected error {}: {e}", python_name(e.kind()))),
        (Ok(_), Some(want)) => Some(format!("no error; want {}: {want}", case["error_type"])),
        (Ok(v), None) => ok(v),
    }
}

fn report(section: &str, total: usize, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} of {total} {section} cases differ from NumPy:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn broadcast_matches_numpy() {
    let cases = cases("broadcast");
    assert!(cases.len() >= 400);
    let mut failures = Vec::new();
    for case in &cases {
        let shapes: Vec<Vec<usize>> = case["shapes"]
            .as_array()
            .unwrap()
            .iter()
            .map(usizes)
            .collect();
        let got = broadcast_shapes(&shapes);
        if let Some(f) = check(case, got, |b| {
            let want = usizes(&case["shape"]);
            (b.shape != want).then(|| format!("shape {:?}, want {want:?}", b.shape))
        }) {
            let shown: String = case["shapes"].to_string().chars().take(200).collect();
            failures.push(format!("  {shown}: {f}"));
        }
    }
    report("broadcast", cases.len(), failures);
}

#[test]
fn matmul_matches_numpy() {
    let cases = cases("matmul");
    assert!(cases.len() >= 300);
    let mut failures = Vec::new();
    for case in &cases {
        let (a, b) = (usizes(&case["a"]), usizes(&case["b"]));
        let got = matmul_shape(&a, &b);
        if let Some(f) = check(case, got, |m| {
            let want = usizes(&case["shape"]);
            (m.shape != want).then(|| format!("shape {:?}, want {want:?}", m.shape))
        }) {
            failures.push(format!("  {a:?} @ {b:?}: {f}"));
        }
    }
    report("matmul", cases.len(), failures);
}

#[test]
fn strides_match_numpy() {
    let cases = cases("strides");
    let mut failures = Vec::new();
    let mut combos = std::collections::HashSet::new();
    for case in &cases {
        let shape = usizes(&case["shape"]);
        let dtype: Dtype = case["dtype"].as_str().unwrap().parse().unwrap();
        let order: Order = case["order"].as_str().unwrap().parse().unwrap();
        combos.insert((dtype, order));
        let got = strides(&shape, dtype, order);
        if let Some(f) = check(case, got, |l| {
            let want = (
                isizes(&case["strides"]),
                case["itemsize"].as_u64().unwrap() as usize,
                case["nbytes"].as_u64().unwrap() as usize,
            );
            let have = (l.strides.clone(), l.itemsize, l.nbytes);
            (have != want).then(|| format!("{have:?}, want {want:?}"))
        }) {
            failures.push(format!("  {} {dtype} {order}: {f}", shape.len()));
        }
    }
    assert_eq!(combos.len(), 28, "every dtype in both orders");
    report("strides", cases.len(), failures);
}

#[test]
fn dtype_names_match_numpy() {
    let cases = cases("dtypes");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let got = name.parse::<Dtype>();
        if let Some(f) = check(case, got, |d| {
            let want = (
                case["dtype"].as_str().unwrap(),
                case["itemsize"].as_u64().unwrap() as usize,
            );
            ((d.name(), d.itemsize()) != want).then(|| format!("{d}, want {want:?}"))
        }) {
            failures.push(format!("  {name:?}: {f}"));
        }
    }
    report("dtype", cases.len(), failures);
}

#[test]
fn index_matches_numpy() {
    let cases = cases("index");
    let successes = cases.iter().filter(|c| c.get("error").is_none()).count();
    assert!(successes >= 200, "{successes} successful index cases");
    let mut failures = Vec::new();
    for case in &cases {
        let shape = usizes(&case["base_shape"]);
        let expr = case["expr"].as_str().unwrap();
        let got = match case.get("base_strides") {
            Some(base_strides) => index_strided(
                &shape,
                &isizes(base_strides),
                case["itemsize"].as_u64().unwrap() as usize,
                expr,
            ),
            None => {
                let dtype: Dtype = case["dtype"].as_str().unwrap().parse().unwrap();
                let order: Order = case["order"].as_str().unwrap().parse().unwrap();
                index(&shape, dtype, order, expr)
            }
        };
        if let Some(f) = check(case, got, |r| {
            let want = (
                usizes(&case["shape"]),
                isizes(&case["strides"]),
                case["view"].as_bool().unwrap(),
                case["scalar"].as_bool().unwrap(),
            );
            let have = (r.shape.clone(), r.strides.clone(), r.view, r.scalar);
            (have != want).then(|| format!("{have:?}\n      want {want:?}"))
        }) {
            let base = case.get("base").and_then(Value::as_str).map_or_else(
                || format!("{shape:?} {} {}", case["dtype"], case["order"]),
                str::to_owned,
            );
            failures.push(format!("  {base} [{expr}]: {f}"));
        }
    }
    report("index", cases.len(), failures);
}
