//! `brisk importance` against scikit-learn's f_classif / f_regression on real and messy files
//! (`tests/golden/importance`, written by its generate.py).

mod common;

use common::{golden_dir, succeeds};
use serde_json::Value;

fn close(got: &Value, want: &Value, what: &str) {
    match (got.as_f64(), want.as_f64()) {
        (Some(g), Some(w)) => {
            let scale = w.abs().max(1e-300);
            assert!(
                (g - w).abs() / scale <= 1e-9 || (g - w).abs() <= 1e-300,
                "{what}: {g} against {w}"
            );
        }
        _ => assert_eq!(got, want, "{what}"),
    }
}

#[test]
fn every_case_equals_scikit_learn() {
    let dir = golden_dir().join("importance");
    let mut cases = 0;
    for entry in std::fs::read_dir(dir.join("expected")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let parts: Vec<&str> = stem.split('.').collect();
        let input = dir.join("inputs").join(format!("{}.csv", parts[0]));
        let mut args = vec![
            "importance".to_owned(),
            input.to_str().unwrap().to_owned(),
            "--target".into(),
            parts[1].into(),
            "--format".into(),
            "json".into(),
        ];
        if let Some(method) = parts.get(2) {
            args.extend(["--method".into(), (*method).to_owned()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = succeeds(&args);
        let got: Value = serde_json::from_slice(&run.stdout).unwrap();
        let want: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for key in ["target", "method", "rows", "rows_dropped"] {
            assert_eq!(got[key], want[key], "{stem}: {key}");
        }
        let (got, want) = (
            got["features"].as_array().unwrap(),
            want["features"].as_array().unwrap(),
        );
        assert_eq!(got.len(), want.len(), "{stem}");
        for (g, w) in got.iter().zip(want) {
            assert_eq!(g["feature"], w["feature"], "{stem}: the order");
            let name = w["feature"].as_str().unwrap();
            close(&g["score"], &w["score"], &format!("{stem}: {name} score"));
            close(&g["p_value"], &w["p_value"], &format!("{stem}: {name} p"));
        }
        cases += 1;
    }
    assert_eq!(cases, 9);
}
