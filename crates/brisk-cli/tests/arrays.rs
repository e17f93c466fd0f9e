//! The array commands end to end through the binary: their results against NumPy's, SciPy's and
//! scikit-learn's on the fixtures of `tests/golden/arrays/` (see its README), the files they write
//! with -o, and their failures: one line naming the file or parameter, exit 1 (2 for usage errors),
//! nothing on stdout, an existing output file untouched, no temporary file left and the inputs
//! unchanged.

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

use common::{
    assert_mentions, assert_no_temporary, assert_unchanged, brisk, check_failure,
    fails_with_existing, golden_dir, snapshot, OutputText,
};

// ---------------------------------------------------------------------------------------------
// Fixtures and comparisons

fn arrays_dir() -> PathBuf {
    golden_dir().join("arrays")
}

fn input(name: &str) -> String {
    path_str(&arrays_dir().join("inputs").join(name))
}

fn path_str(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

fn expected(name: &str) -> Value {
    let path = arrays_dir().join("expected").join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Runs a command that must succeed and returns its stdout as JSON.
fn json_of(args: &[&str]) -> Value {
    let run = brisk(args);
    assert!(run.status.success(), "{args:?}: {}", run.stderr_text());
    serde_json::from_slice(&run.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e})"))
}

/// A JSON vector of numbers; a null (NaN or infinity) fails the test.
fn vector(value: &Value, what: &str) -> Vec<f64> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("{what}: not an array: {value}"))
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_f64()
                .unwrap_or_else(|| panic!("{what}[{i}]: not a number: {v}"))
        })
        .collect()
}

/// A JSON matrix (an array of rows of numbers); a null fails the test.
fn matrix(value: &Value, what: &str) -> Vec<Vec<f64>> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("{what}: not an array: {value}"))
        .iter()
        .enumerate()
        .map(|(i, row)| vector(row, &format!("{what}[{i}]")))
        .collect()
}

/// Every entry within `rel` of the expected one, relative to the larger magnitude of the two.
fn assert_close(got: &[f64], want: &[f64], rel: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= rel * g.abs().max(w.abs()),
            "{what}[{i}]: {g} vs {w} (relative tolerance {rel})"
        );
    }
}

/// Every entry within `tol` × the largest expected magnitude.
fn assert_close_to_scale(got: &[f64], want: &[f64], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let scale = want.iter().fold(0.0_f64, |m, w| m.max(w.abs()));
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol * scale,
            "{what}[{i}]: {g} vs {w} (tolerance {tol} × {scale})"
        );
    }
}

fn assert_matrix_close(got: &[Vec<f64>], want: &[Vec<f64>], rel: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: rows");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_close(g, w, rel, &format!("{what}[{i}]"));
    }
}

fn assert_matrix_close_to_scale(got: &[Vec<f64>], want: &[Vec<f64>], tol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: rows");
    let width = want.first().map_or(0, Vec::len);
    assert!(
        got.iter().chain(want).all(|r| r.len() == width),
        "{what}: ragged"
    );
    assert_close_to_scale(&got.concat(), &want.concat(), tol, what);
}

// ---------------------------------------------------------------------------------------------
// .npy files: a reader for what brisk writes, a writer for the bad inputs

/// A parsed .npy file.
struct Npy {
    descr: String,
    fortran_order: bool,
    shape: Vec<usize>,
    data: Vec<u8>,
}

impl Npy {
    fn parse(bytes: &[u8]) -> Npy {
        assert!(bytes.len() >= 10, "too short for a .npy file");
        assert_eq!(&bytes[..6], b"\x93NUMPY", "the .npy magic");
        let (header_len, start) = match bytes[6] {
            1 => (usize::from(u16::from_le_bytes([bytes[8], bytes[9]])), 10),
            2 | 3 => (
                u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize,
                12,
            ),
            v => panic!("unknown .npy version {v}"),
        };
        let end = start + header_len;
        assert_eq!(
            end % 64,
            0,
            "the data of a .npy file starts 64-byte aligned"
        );
        let header = std::str::from_utf8(&bytes[start..end]).expect("an ASCII header");
        assert!(header.ends_with('\n'), "the header ends with a newline");
        let field = |key: &str| -> &str {
            let at = header
                .find(&format!("'{key}': "))
                .unwrap_or_else(|| panic!("no {key} in {header:?}"));
            &header[at + key.len() + 4..]
        };
        let descr = field("descr");
        let descr = descr[1..descr[1..].find('\'').unwrap() + 1].to_owned();
        let fortran_order = match field("fortran_order") {
            f if f.starts_with("False") => false,
            f if f.starts_with("True") => true,
            f => panic!("fortran_order: {f:?}"),
        };
        let shape = field("shape");
        assert!(shape.starts_with('('), "shape: {shape:?}");
        let shape: Vec<usize> = shape[1..shape.find(')').unwrap()]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect();
        Npy {
            descr,
            fortran_order,
            shape,
            data: bytes[end..].to_vec(),
        }
    }

    fn read(path: &Path) -> Npy {
        Npy::parse(&std::fs::read(path).unwrap())
    }

    fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// The values of a little-endian f64 array in C order.
    fn f64s(&self) -> Vec<f64> {
        assert_eq!(self.descr, "<f8");
        assert!(!self.fortran_order);
        assert_eq!(self.data.len(), 8 * self.len(), "data length");
        self.data
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    }

    /// The values of a little-endian i64 array.
    fn i64s(&self) -> Vec<i64> {
        assert_eq!(self.descr, "<i8");
        assert_eq!(self.data.len(), 8 * self.len(), "data length");
        self.data
            .chunks_exact(8)
            .map(|c| i64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    }

    /// The rows of a 2-D f64 array.
    fn rows(&self) -> Vec<Vec<f64>> {
        assert_eq!(self.shape.len(), 2, "a 2-D array");
        self.f64s()
            .chunks(self.shape[1])
            .map(<[f64]>::to_vec)
            .collect()
    }
}

/// The bytes of a C-order little-endian f64 .npy file (version 1.0).
fn npy_f64(shape: &[usize], values: &[f64]) -> Vec<u8> {
    assert_eq!(shape.iter().product::<usize>(), values.len());
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    let shape_text = match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    };
    let mut header = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': {shape_text}, }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&u16::try_from(header.len()).unwrap().to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    for v in values {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    bytes
}

/// A `rows × cols` matrix of distinct, well-conditioned values.
fn values(rows: usize, cols: usize) -> Vec<f64> {
    (0..rows * cols)
        .map(|i| ((i * 7919) % 101) as f64 / 10.0 - 3.0)
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path_str(&path)
}

// ---------------------------------------------------------------------------------------------
// The failure contract

/// What an existing output file holds before a failing run; it must still hold it after.
const PREVIOUS: &[u8] = b"\x93NUMPY previous result, not to be replaced\n";

/// [`fails_with_existing`] with an existing `.npy` output file holding [`PREVIOUS`].
fn fails(args: &[&str], inputs: &[&str], code: i32) -> String {
    fails_with_existing(args, inputs, code, "existing.npy", PREVIOUS)
}

// ---------------------------------------------------------------------------------------------
// 1. cov

#[test]
fn cov_equals_numpy() {
    let blobs = input("blobs.npy");
    let want = expected("cov_blobs");
    let cases: [(&[&str], &str); 3] = [
        (&[], "cov"),
        (&["--corr"], "corr"),
        (&["--population"], "cov_population"),
    ];
    for (flags, key) in cases {
        let mut args = vec!["cov", blobs.as_str(), "--format", "json"];
        args.extend(flags);
        let got = json_of(&args);
        assert_eq!(got["rows"], 300, "{key}");
        assert_eq!(got["rows_dropped"], 0, "{key}");
        assert_matrix_close(
            &matrix(&got["matrix"], key),
            &matrix(&want[key], key),
            1e-10,
            key,
        );
    }
}

#[test]
fn cov_of_a_table_uses_its_numeric_columns_and_drops_null_rows() {
    let penguins = path_str(&golden_dir().join("inputs/penguins.csv"));
    let want = expected("cov_penguins");
    let got = json_of(&["cov", &penguins, "--format", "json"]);
    assert_eq!(got["columns"], want["columns"]);
    assert_eq!(got["rows"], 342);
    assert_eq!(got["rows"], want["rows_used"]);
    assert_eq!(got["rows_dropped"], 2);
    assert_eq!(got["rows_dropped"], want["rows_dropped"]);
    assert_matrix_close(
        &matrix(&got["matrix"], "cov"),
        &matrix(&want["cov"], "cov"),
        1e-10,
        "penguins cov",
    );
}

#[test]
fn cov_writes_npy_and_csv() {
    let blobs = input("blobs.npy");
    let printed = json_of(&["cov", &blobs, "--format", "json"]);
    let printed = matrix(&printed["matrix"], "cov");
    let dir = tempfile::tempdir().unwrap();

    let npy_path = dir.path().join("out.npy");
    let run = brisk(&["cov", &blobs, "-o", &path_str(&npy_path)]);
    assert!(run.status.success(), "{}", run.stderr_text());
    assert!(run.stdout.is_empty());
    let npy = Npy::read(&npy_path);
    assert_eq!(npy.descr, "<f8");
    assert!(!npy.fortran_order);
    assert_eq!(npy.shape, [6, 6]);
    assert_eq!(npy.rows(), printed, "the .npy holds the printed values");
    assert_matrix_close(
        &npy.rows(),
        &matrix(&expected("cov_blobs")["cov"], "cov"),
        1e-10,
        "out.npy",
    );

    let csv_path = dir.path().join("out.csv");
    let run = brisk(&["cov", &blobs, "-o", &path_str(&csv_path)]);
    assert!(run.status.success(), "{}", run.stderr_text());
    assert!(run.stdout.is_empty());
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("0,1,2,3,4,5"), "{text}");
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|f| f.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 6, "{text}");
    assert_eq!(rows, printed, "the CSV holds the printed values");

    let penguins = path_str(&golden_dir().join("inputs/penguins.csv"));
    let csv_path = dir.path().join("penguins.csv");
    let run = brisk(&["cov", &penguins, "-o", &path_str(&csv_path)]);
    assert!(run.status.success(), "{}", run.stderr_text());
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert!(
        text.starts_with("bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,year\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1 + 5, "{text}");
    assert_no_temporary(dir.path());
}

// ---------------------------------------------------------------------------------------------
// 2. kmeans

#[test]
fn kmeans_from_given_centroids_equals_scikit_learn() {
    let want = expected("kmeans_points_init");
    let dir = tempfile::tempdir().unwrap();
    let labels_path = dir.path().join("labels.npy");
    let (points, init) = (input("points.npy"), input("init.npy"));
    let got = json_of(&[
        "kmeans",
        &points,
        "-k",
        "5",
        "--init",
        &init,
        "--n-init",
        "1",
        "--tol",
        "0",
        "--format",
        "json",
        "-o",
        &path_str(&labels_path),
    ]);
    let npy = Npy::read(&labels_path);
    assert_eq!(npy.descr, "<i8");
    assert_eq!(npy.shape, [2000]);
    let want_labels: Vec<i64> = want["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(npy.i64s(), want_labels);

    let centroids = matrix(&got["centroids"], "centroids");
    let want_centroids = matrix(&want["centroids"], "centroids");
    assert_eq!(centroids.len(), 5);
    for (i, (g, w)) in centroids.iter().zip(&want_centroids).enumerate() {
        assert_eq!(g.len(), w.len());
        for (j, (a, b)) in g.iter().zip(w).enumerate() {
            assert!((a - b).abs() <= 1e-9, "centroid {i}[{j}]: {a} vs {b}");
        }
    }
    assert_close(
        &[got["inertia"].as_f64().unwrap()],
        &[want["inertia"].as_f64().unwrap()],
        1e-9,
        "inertia",
    );
    assert_eq!(got["n_iter"], want["n_iter"]);
    assert_eq!(got["sizes"], want["sizes"]);
    assert_eq!(got["k"], 5);
    assert_no_temporary(dir.path());
}

#[test]
fn kmeans_plus_plus_with_a_seed_equals_scikit_learn() {
    let want = expected("kmeans_points_seed42");
    let dir = tempfile::tempdir().unwrap();
    let labels_path = dir.path().join("labels.json");
    let run = brisk(&[
        "kmeans",
        &input("points.npy"),
        "-k",
        "5",
        "--seed",
        "42",
        "-o",
        &path_str(&labels_path),
    ]);
    assert!(run.status.success(), "{}", run.stderr_text());
    let labels: Value = serde_json::from_str(&std::fs::read_to_string(&labels_path).unwrap())
        .expect("labels.json is JSON");
    assert!(labels.is_array(), "a JSON array: {labels}");
    assert_eq!(labels, want["labels"]);
}

// ---------------------------------------------------------------------------------------------
// 3. pca

#[test]
fn pca_equals_scikit_learn() {
    let want = expected("pca_blobs_k3");
    let blobs = input("blobs.npy");
    let got = json_of(&["pca", &blobs, "-k", "3", "--format", "json"]);
    for key in ["explained_variance", "explained_variance_ratio"] {
        assert_close(&vector(&got[key], key), &vector(&want[key], key), 1e-9, key);
    }
    let components = matrix(&got["components"], "components");
    let want_components = matrix(&want["components"], "components");
    assert_eq!(components.len(), 3);
    for (i, (g, w)) in components.iter().zip(&want_components).enumerate() {
        assert_eq!(g.len(), 6);
        for (j, (a, b)) in g.iter().zip(w).enumerate() {
            assert!((a - b).abs() <= 1e-7, "components[{i}][{j}]: {a} vs {b}");
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let scores_path = dir.path().join("scores.csv");
    let run = brisk(&["pca", &blobs, "-k", "3", "-o", &path_str(&scores_path)]);
    assert!(run.status.success(), "{}", run.stderr_text());
    let text = std::fs::read_to_string(&scores_path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("pc1,pc2,pc3"), "{text}");
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|f| f.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 300);
    assert_matrix_close_to_scale(
        &rows[..10],
        &matrix(&want["scores_head"], "scores_head"),
        1e-7,
        "scores",
    );
}

// ---------------------------------------------------------------------------------------------
// 4. solve

#[test]
fn solve_equals_numpy_with_a_small_backward_error() {
    let want = expected("solve_vector");
    let got = json_of(&[
        "solve",
        &input("A.npy"),
        &input("b.npy"),
        "--format",
        "json",
    ]);
    let x = vector(&got["x"], "x");
    assert_eq!(x.len(), 50);
    assert_close(&x, &vector(&want["x"], "x"), 1e-10, "x");
    let backward = got["backward_error"].as_f64().unwrap();
    assert!(backward < 1e-15, "backward error {backward}");
    let estimate = got["condition_estimate"].as_f64().unwrap();
    let cond_1 = want["cond_1"].as_f64().unwrap();
    assert!(
        cond_1 / 3.0 <= estimate && estimate <= cond_1 * (1.0 + 1e-12),
        "condition estimate {estimate}, the 1-norm condition number is {cond_1}"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. softmax and normalize

#[test]
fn softmax_equals_scipy() {
    let want = expected("softmax_logits");
    let logits = input("logits.npy");
    let got = json_of(&["softmax", &logits, "--format", "json"]);
    assert!(!got["matrix"].to_string().contains("null"), "{got}");
    assert_matrix_close(
        &matrix(&got["matrix"], "softmax"),
        &matrix(&want["softmax_axis1"], "softmax_axis1"),
        1e-13,
        "softmax axis 1",
    );
    let got = json_of(&[
        "softmax", &logits, "--log", "--axis", "0", "--format", "json",
    ]);
    assert!(!got["matrix"].to_string().contains("null"), "{got}");
    assert_matrix_close(
        &matrix(&got["matrix"], "log_softmax"),
        &matrix(&want["log_softmax_axis0"], "log_softmax_axis0"),
        1e-13,
        "log-softmax axis 0",
    );
}

#[test]
fn normalize_equals_scikit_learn() {
    let want = expected("normalize_with_zero_row");
    let file = input("with_zero_row.npy");
    let cases: [(&[&str], &str); 3] = [
        (&["--method", "l2"], "l2"),
        (&["--method", "zscore"], "zscore"),
        (&["--method", "minmax", "--axis", "1"], "minmax_axis1"),
    ];
    for (flags, key) in cases {
        let mut args = vec!["normalize", file.as_str(), "--format", "json"];
        args.extend(flags);
        let got = json_of(&args);
        assert_matrix_close_to_scale(
            &matrix(&got["matrix"], key),
            &matrix(&want[key], key),
            1e-13,
            key,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 6. distances

#[test]
fn distances_equal_scipy_and_self_distances_are_zero() {
    let small = input("small.npy");
    let got = json_of(&[
        "distances",
        &small,
        "--to",
        &input("other.npy"),
        "--format",
        "json",
    ]);
    assert_matrix_close_to_scale(
        &matrix(&got["matrix"], "distances"),
        &matrix(&expected("distances_other")["distances"], "distances"),
        1e-12,
        "distances to other.npy",
    );

    let got = json_of(&["distances", &small, "--format", "json"]);
    let own = matrix(&got["matrix"], "distances");
    assert!(own.len() > 1);
    for (i, row) in own.iter().enumerate() {
        assert_eq!(row.len(), own.len());
        assert_eq!(
            row[i].to_bits(),
            0.0_f64.to_bits(),
            "diagonal {i}: {}",
            row[i]
        );
    }
    assert_matrix_close_to_scale(
        &own,
        &matrix(&expected("distances_self")["distances"], "distances"),
        1e-12,
        "distances among small.npy",
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Bad input

#[test]
fn kmeans_k_zero() {
    let points = input("points.npy");
    let err = fails(&["kmeans", &points, "-k", "0"], &[&points], 1);
    assert_mentions(&err, &["points.npy", "k: ", "at least 1"]);
}

#[test]
fn kmeans_k_above_the_rows() {
    let points = input("points.npy");
    let err = fails(&["kmeans", &points, "-k", "100000"], &[&points], 1);
    assert_mentions(&err, &["points.npy", "k: ", "100000", "2000"]);
}

#[test]
fn pca_k_zero() {
    let blobs = input("blobs.npy");
    let err = fails(&["pca", &blobs, "-k", "0"], &[&blobs], 1);
    assert_mentions(&err, &["blobs.npy", "k: ", "at least 1"]);
}

#[test]
fn pca_k_above_the_columns() {
    let blobs = input("blobs.npy");
    let err = fails(&["pca", &blobs, "-k", "7"], &[&blobs], 1);
    assert_mentions(&err, &["blobs.npy", "k: ", "7", "300×6"]);
}

#[test]
fn kmeans_negative_tol() {
    let points = input("points.npy");
    let err = fails(
        &["kmeans", &points, "-k", "5", "--tol", "-1"],
        &[&points],
        1,
    );
    assert_mentions(&err, &["tol", "-1"]);
}

#[test]
fn kmeans_zero_max_iter() {
    let points = input("points.npy");
    let err = fails(
        &["kmeans", &points, "-k", "5", "--max-iter", "0"],
        &[&points],
        1,
    );
    assert_mentions(&err, &["max-iter", "at least 1"]);
}

#[test]
fn kmeans_init_with_the_wrong_number_of_rows() {
    let dir = tempfile::tempdir().unwrap();
    let init = write(dir.path(), "init4.npy", &npy_f64(&[4, 4], &values(4, 4)));
    let points = input("points.npy");
    let err = fails(
        &["kmeans", &points, "-k", "5", "--init", &init],
        &[&points, &init],
        1,
    );
    assert_mentions(&err, &["init", "4 rows", "k is 5"]);
}

#[test]
fn kmeans_init_with_the_wrong_number_of_columns() {
    let dir = tempfile::tempdir().unwrap();
    let init = write(dir.path(), "init3.npy", &npy_f64(&[5, 3], &values(5, 3)));
    let points = input("points.npy");
    let err = fails(
        &["kmeans", &points, "-k", "5", "--init", &init],
        &[&points, &init],
        1,
    );
    assert_mentions(&err, &["init", "3 columns", "4"]);
}

#[test]
fn kmeans_init_unknown_word() {
    let points = input("points.npy");
    let err = fails(
        &["kmeans", &points, "-k", "5", "--init", "kmeanspp"],
        &[&points],
        1,
    );
    assert_mentions(&err, &["kmeanspp", "k-means++", "random"]);
}

#[test]
fn solve_mismatched_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let b = write(dir.path(), "b7.npy", &npy_f64(&[7], &values(7, 1)));
    let a = input("A.npy");
    let err = fails(&["solve", &a, &b], &[&a, &b], 1);
    assert_mentions(&err, &["A.npy", "b7.npy", "50×50", "7 rows"]);
}

#[test]
fn solve_non_square() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "rect.npy", &npy_f64(&[3, 4], &values(3, 4)));
    let b = write(dir.path(), "ones3.npy", &npy_f64(&[3], &[1.0; 3]));
    let err = fails(&["solve", &a, &b], &[&a, &b], 1);
    assert_mentions(&err, &["rect.npy", "square", "3×4"]);
}

#[test]
fn solve_singular() {
    let dir = tempfile::tempdir().unwrap();
    let b = write(dir.path(), "ones4.npy", &npy_f64(&[4], &[1.0; 4]));
    let a = input("singular.npy");
    let err = fails(&["solve", &a, &b], &[&a, &b], 1);
    assert_mentions(&err, &["singular.npy", "singular"]);
    assert!(!err.contains("near-singular"), "{err}");
}

#[test]
fn solve_near_singular() {
    let dir = tempfile::tempdir().unwrap();
    let b = write(dir.path(), "ones12.npy", &npy_f64(&[12], &[1.0; 12]));
    let a = input("hilbert12.npy");
    let err = fails(&["solve", &a, &b], &[&a, &b], 1);
    assert_mentions(&err, &["hilbert12.npy", "near-singular"]);
}

#[test]
fn distances_with_a_different_number_of_columns() {
    let dir = tempfile::tempdir().unwrap();
    let other = write(dir.path(), "three.npy", &npy_f64(&[4, 3], &values(4, 3)));
    let small = input("small.npy");
    let err = fails(&["distances", &small, "--to", &other], &[&small, &other], 1);
    assert_mentions(&err, &["small.npy", "three.npy", "3"]);
}

#[test]
fn normalize_unknown_method_is_a_usage_error() {
    let blobs = input("blobs.npy");
    let err = fails(&["normalize", &blobs, "--method", "l3"], &[&blobs], 2);
    assert_mentions(&err, &["--method", "l3"]);
}

#[test]
fn axis_2_is_a_usage_error() {
    let blobs = input("blobs.npy");
    let cases: [&[&str]; 2] = [
        &["normalize", &blobs, "--method", "l2", "--axis", "2"],
        &["softmax", &blobs, "--axis", "2"],
    ];
    for args in cases {
        let err = fails(args, &[&blobs], 2);
        assert_mentions(&err, &["--axis", "'2'"]);
    }
}

#[test]
fn nan_in_npy_names_its_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = values(4, 3);
    data[2 * 3 + 1] = f64::NAN;
    let file = write(dir.path(), "nan.npy", &npy_f64(&[4, 3], &data));
    let err = fails(&["cov", &file], &[&file], 1);
    assert_mentions(&err, &["nan.npy", "row 2", "column", "NaN"]);
}

#[test]
fn inf_in_csv_names_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "inf.csv",
        b"height,weight\n1.5,60\n1.7,inf\n1.8,80\n",
    );
    let err = fails(&["cov", &file], &[&file], 1);
    assert_mentions(&err, &["inf.csv:3", "weight"]);
}

#[test]
fn csv_with_only_text_columns() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "text.csv",
        b"name,city\nada,london\nalan,wilmslow\n",
    );
    let err = fails(&["cov", &file], &[&file], 1);
    assert_mentions(&err, &["text.csv", "no numeric column"]);
}

#[test]
fn output_over_the_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = npy_f64(&[5, 4], &values(5, 4));
    let file = write(dir.path(), "data.npy", &bytes);
    let init = write(dir.path(), "init.npy", &npy_f64(&[2, 4], &values(2, 4)));
    let rhs = write(dir.path(), "rhs.npy", &npy_f64(&[4], &[1.0; 4]));
    let square = write(dir.path(), "square.npy", &npy_f64(&[4, 4], &values(4, 4)));
    let cases: [&[&str]; 5] = [
        &["cov", &file, "-o", &file],
        &["normalize", &file, "--method", "l2", "-o", &file],
        &["distances", &file, "--to", &init, "-o", &init],
        &["kmeans", &file, "-k", "2", "--init", &init, "-o", &init],
        &["solve", &square, &rhs, "-o", &rhs],
    ];
    for args in cases {
        let before = snapshot(&[&file, &init, &rhs, &square]);
        let err = check_failure(&brisk(args), 1, args);
        assert_mentions(&err, &["refusing to write over an input"]);
        assert_unchanged(&before);
        assert_no_temporary(dir.path());
    }
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
}

#[test]
fn unknown_output_extension() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.txt");
    std::fs::write(&out, PREVIOUS).unwrap();
    let blobs = input("blobs.npy");
    let before = snapshot(&[&blobs]);
    let args = ["cov", blobs.as_str(), "-o", out.to_str().unwrap()];
    let err = check_failure(&brisk(&args), 1, &args);
    assert_mentions(&err, &["out.txt", "extension"]);
    assert_eq!(std::fs::read(&out).unwrap(), PREVIOUS);
    assert_no_temporary(dir.path());
    assert_unchanged(&before);
}

#[test]
fn truncated_npy() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = npy_f64(&[3, 4], &values(3, 4));
    let file = write(dir.path(), "cut.npy", &bytes[..bytes.len() - 20]);
    let err = fails(&["cov", &file], &[&file], 1);
    assert_mentions(&err, &["cut.npy", "truncated"]);
}

#[test]
fn three_dimensional_npy() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "cube.npy", &npy_f64(&[2, 2, 2], &values(2, 4)));
    let err = fails(&["cov", &file], &[&file], 1);
    assert_mentions(&err, &["cube.npy", "3-dimensional"]);
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = path_str(&dir.path().join("nope.npy"));
    let err = fails(&["cov", &file], &[], 1);
    assert_mentions(&err, &["nope.npy", "no such file"]);
    let points = input("points.npy");
    let err = fails(
        &["kmeans", &points, "-k", "5", "--init", &file],
        &[&points],
        1,
    );
    assert_mentions(&err, &["nope.npy", "no such file"]);
}

// ---------------------------------------------------------------------------------------------
// 8. stats results are tables

#[test]
fn stats_refuses_npy_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.npy");
    std::fs::write(&out, PREVIOUS).unwrap();
    let penguins = path_str(&golden_dir().join("inputs/penguins.csv"));
    let args = ["stats", penguins.as_str(), "-o", out.to_str().unwrap()];
    let err = check_failure(&brisk(&args), 1, &args);
    assert_mentions(&err, &["x.npy", ".json or .csv"]);
    assert_eq!(std::fs::read(&out).unwrap(), PREVIOUS);
    assert_no_temporary(dir.path());
}

#[test]
fn distances_do_not_hide_an_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "huge.npy",
        &npy_f64(&[2, 2], &[1e308, -1e308, 1e308, 1e308]),
    );
    let got = json_of(&["distances", &file, "--format", "json"]);
    // scipy.spatial.distance.cdist gives inf (JSON null) off the diagonal; never 0 for two
    // different rows.
    assert_eq!(got["matrix"][0][1], Value::Null, "{got}");
    assert_eq!(got["matrix"][1][0], Value::Null, "{got}");
}
