//! The dataset commands end to end through the binary: `brisk clean`, `brisk groupby` and
//! `brisk join` against pandas on the fixtures of `tests/golden/frames/` (see its README: each case
//! stores the brisk arguments and the frame pandas returns for them). Frames are compared cell by
//! cell after parsing both CSV files: text and integers exactly, floats to 1e-9 relative (1e-12
//! absolute near 0), nulls exactly, column and row order exactly, and written as pandas writes them
//! (an int64 column without ".0", a float64 column always with a point or an exponent, the same
//! digits as pandas for the same value, quotes only where needed). The clean report is compared
//! count by count, its bounds and fill values to 1e-9. Then seeded properties: group sums add up
//! to the column sum, cleaning clean's own output changes nothing, count-join totals equal the
//! matching right rows. Then the failures: exit 1, one line naming the file or the argument,
//! nothing on stdout, an existing output file untouched, no temporary file and the inputs unchanged.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use brisk_data::value::parse_integer;
use serde_json::Value;

use common::{
    assert_mentions, assert_no_temporary, assert_unchanged, brisk, check_failure,
    fails_with_existing, golden_dir, snapshot, OutputText,
};

// ---------------------------------------------------------------------------------------------
// Fixtures

fn frames_dir() -> PathBuf {
    golden_dir().join("frames")
}

fn path_str(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

/// A fixture input, as an absolute path.
fn input(name: &str) -> String {
    path_str(&frames_dir().join("inputs").join(name))
}

fn read_text(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_json(path: impl AsRef<Path>) -> Value {
    let path = path.as_ref();
    serde_json::from_str(&read_text(path))
        .unwrap_or_else(|e| panic!("{}: not JSON ({e})", path.display()))
}

/// A stored argument: paths starting with `inputs/` or `../inputs/` are relative to the
/// fixtures folder.
fn is_input(arg: &str) -> bool {
    arg.starts_with("inputs/") || arg.starts_with("../inputs/")
}

/// pandas' type of a result column.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Int,
    Float,
    Text,
}

/// One case of `expected/`: its JSON file and the CSV it names.
struct Case {
    name: String,
    json: Value,
    csv: String,
}

impl Case {
    fn load(name: &str) -> Case {
        let dir = frames_dir().join("expected");
        let json = read_json(dir.join(format!("{name}.json")));
        let csv = read_text(dir.join(json["csv"].as_str().expect("a csv entry")));
        Case {
            name: name.to_owned(),
            json,
            csv,
        }
    }

    fn command(&self) -> &str {
        self.json["command"].as_str().unwrap()
    }

    fn stored_args(&self) -> Vec<&str> {
        self.json["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect()
    }

    /// The brisk arguments with the input paths made absolute.
    fn args(&self) -> Vec<String> {
        self.stored_args()
            .into_iter()
            .map(|a| {
                if is_input(a) {
                    path_str(&frames_dir().join(a))
                } else {
                    a.to_owned()
                }
            })
            .collect()
    }

    /// The input files among the arguments.
    fn inputs(&self) -> Vec<String> {
        self.args()
            .into_iter()
            .zip(self.stored_args())
            .filter(|(_, stored)| is_input(stored))
            .map(|(arg, _)| arg)
            .collect()
    }

    fn kinds(&self) -> BTreeMap<String, Kind> {
        self.json["dtypes"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(column, kind)| {
                let kind = match kind.as_str().unwrap() {
                    "int" => Kind::Int,
                    "float" => Kind::Float,
                    "text" => Kind::Text,
                    other => panic!("{}: unknown dtype {other}", self.name),
                };
                (column.clone(), kind)
            })
            .collect()
    }
}

fn with(args: &[String], extra: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.extend(extra.iter().map(|s| (*s).to_owned()));
    all
}

/// Runs a command that must succeed.
fn run_ok(args: &[String]) -> Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = brisk(&refs);
    assert!(run.status.success(), "{args:?}: {}", run.stderr_text());
    run
}

fn stdout_text(run: &Output, args: &[String]) -> String {
    String::from_utf8(run.stdout.clone())
        .unwrap_or_else(|_| panic!("{args:?}: stdout is not UTF-8"))
}

fn stdout_json(run: &Output, args: &[String]) -> Value {
    serde_json::from_slice(&run.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e})"))
}

// ---------------------------------------------------------------------------------------------
// CSV: a small RFC 4180 reader and the cell comparisons

/// A parsed CSV text: the header and the records.
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Parses CSV as pandas writes it: `,` between fields, `\n` after every record, fields quoted
/// only when they hold a comma, a quote (doubled inside) or a line break.
fn parse_csv(text: &str, what: &str) -> Csv {
    assert!(!text.is_empty(), "{what}: empty");
    assert!(
        text.ends_with('\n'),
        "{what}: the last record ends with \\n"
    );
    assert!(
        !text.contains('\r'),
        "{what}: a \\r (pandas ends lines with \\n)"
    );
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false; // inside quotes
    let mut was_quoted = false; // the current field was quoted
    let mut chars = text.chars().peekable();
    let end_field = |field: &mut String, was_quoted: &mut bool, record: &mut Vec<String>| {
        // pandas quotes minimally (csv.QUOTE_MINIMAL).
        assert!(
            !*was_quoted || field.contains([',', '"', '\n', '\r']),
            "{what}: field {} of a record: {field:?} is quoted without need",
            record.len() + 1
        );
        record.push(std::mem::take(field));
        *was_quoted = false;
    };
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                    let next = chars.peek().copied();
                    assert!(
                        matches!(next, Some(',') | Some('\n')),
                        "{what}: {next:?} after a closing quote"
                    );
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            '"' => panic!("{what}: a quote inside an unquoted field after {field:?}"),
            ',' => end_field(&mut field, &mut was_quoted, &mut record),
            '\n' => {
                end_field(&mut field, &mut was_quoted, &mut record);
                records.push(std::mem::take(&mut record));
            }
            _ => field.push(c),
        }
    }
    assert!(!quoted, "{what}: a quoted field is never closed");
    let mut records = records.into_iter();
    let header = records.next().unwrap();
    let rows: Vec<Vec<String>> = records.collect();
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(
            row.len(),
            header.len(),
            "{what}: record {} has {} fields, the header {}",
            i + 1,
            row.len(),
            header.len()
        );
    }
    Csv { header, rows }
}

/// How pandas writes an int64: an integer literal as the library reads one
/// ([`parse_integer`]: digits with an optional sign, within `i64`), without the spaces around
/// and the `+` that a reader also accepts but pandas never writes.
fn is_integer_literal(text: &str) -> bool {
    !text.starts_with('+') && text.trim_ascii() == text && parse_integer(text.as_bytes()).is_some()
}

/// Within 1e-9 relative, or 1e-12 absolute near 0; infinities equal exactly.
fn close(got: f64, want: f64) -> bool {
    if got.is_infinite() || want.is_infinite() {
        return got == want;
    }
    (got - want).abs() <= (1e-9 * got.abs().max(want.abs())).max(1e-12)
}

fn number(text: &str, what: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("{what}: {text:?} is not a number"))
}

/// One CSV cell against pandas'. An empty field is a null.
fn assert_cell(got: &str, want: &str, kind: Kind, what: &str) {
    match kind {
        Kind::Text => assert_eq!(got, want, "{what}"),
        Kind::Int => {
            assert!(is_integer_literal(want), "{what}: pandas wrote {want:?}");
            assert_eq!(
                got, want,
                "{what}: an int64 column is written as plain integers"
            );
        }
        Kind::Float => {
            if want.is_empty() {
                assert_eq!(got, "", "{what}: pandas has a null");
                return;
            }
            assert!(!got.is_empty(), "{what}: a null, pandas has {want}");
            assert!(
                !is_integer_literal(got),
                "{what}: {got:?} in a float64 column (pandas writes {want:?})"
            );
            let (g, w) = (number(got, what), number(want, what));
            assert!(close(g, w), "{what}: {got} vs pandas {want}");
            if g.to_bits() == w.to_bits() {
                assert_eq!(got, want, "{what}: the same value written differently");
            }
        }
    }
}

/// A CSV frame written by brisk against the one written by pandas.
fn assert_frame(got: &str, want: &str, kinds: &BTreeMap<String, Kind>, what: &str) {
    let g = parse_csv(got, &format!("{what} (brisk)"));
    let w = parse_csv(want, &format!("{what} (pandas)"));
    assert_eq!(g.header, w.header, "{what}: the columns");
    let named: BTreeSet<&String> = w.header.iter().collect();
    assert_eq!(
        named,
        kinds.keys().collect(),
        "{what}: dtypes and header differ"
    );
    assert_eq!(
        g.rows.len(),
        w.rows.len(),
        "{what}: the number of rows\n--- brisk\n{got}--- pandas\n{want}"
    );
    for (r, (got_row, want_row)) in g.rows.iter().zip(&w.rows).enumerate() {
        for (c, column) in w.header.iter().enumerate() {
            assert_cell(
                &got_row[c],
                &want_row[c],
                kinds[column],
                &format!("{what}: row {}, column {column:?}", r + 1),
            );
        }
    }
}

/// One JSON value of a record against pandas'.
fn assert_json_cell(got: &Value, want: &Value, kind: Kind, what: &str) {
    if want.is_null() {
        assert!(got.is_null(), "{what}: {got}, pandas has a null");
        return;
    }
    match kind {
        Kind::Text => assert_eq!(got, want, "{what}"),
        Kind::Int => {
            assert!(
                got.is_i64() || got.is_u64(),
                "{what}: {got} is not an integer (pandas: {want})"
            );
            assert_eq!(got.as_i64(), want.as_i64(), "{what}");
        }
        Kind::Float => {
            assert!(
                got.is_f64(),
                "{what}: {got} is not a float (pandas: {want}; a float64 is written 3.0, not 3)"
            );
            let (g, w) = (got.as_f64().unwrap(), want.as_f64().unwrap());
            assert!(close(g, w), "{what}: {g} vs pandas {w}");
        }
    }
}

/// `--format json` records against pandas'; `columns` in output order.
fn assert_records(
    got: &Value,
    want: &Value,
    columns: &[String],
    kinds: &BTreeMap<String, Kind>,
    what: &str,
) {
    let got = got
        .as_array()
        .unwrap_or_else(|| panic!("{what}: not a list of records: {got}"));
    let want = want.as_array().unwrap();
    assert_eq!(
        got.len(),
        want.len(),
        "{what}: the number of records: {got:?}"
    );
    let names: BTreeSet<&str> = columns.iter().map(String::as_str).collect();
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let keys: BTreeSet<&str> = g
            .as_object()
            .unwrap_or_else(|| panic!("{what}: record {i} is not an object: {g}"))
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, names, "{what}: record {i}: the keys");
        for column in columns {
            assert_json_cell(
                &g[column.as_str()],
                &w[column.as_str()],
                kinds[column],
                &format!("{what}: record {i}, {column:?}"),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The clean report

const REPORT_KEYS: [&str; 13] = [
    "source",
    "rows_in",
    "duplicates_removed",
    "numeric_filled",
    "categorical_filled",
    "fill_values",
    "values_lowercased",
    "outlier_rows_removed",
    "bounds",
    "rows_out",
    "sigma",
    "numeric_columns",
    "categorical_columns",
];

fn keys(value: &Value, what: &str) -> BTreeSet<String> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("{what}: not an object: {value}"))
        .keys()
        .cloned()
        .collect()
}

/// A report of `brisk clean` against the one computed with pandas; `input` is the file cleaned.
fn assert_report(got: &Value, want: &Value, input: &str, what: &str) {
    let expected: BTreeSet<String> = REPORT_KEYS.iter().map(|k| (*k).to_owned()).collect();
    assert_eq!(keys(got, what), expected, "{what}: the report's keys");
    let file = Path::new(input).file_name().unwrap().to_str().unwrap();
    let source = got["source"].as_str().unwrap_or_default();
    assert!(source.ends_with(file), "{what}: source {source:?}");

    for key in [
        "rows_in",
        "duplicates_removed",
        "values_lowercased",
        "outlier_rows_removed",
        "rows_out",
    ] {
        assert_eq!(
            got[key].as_u64(),
            Some(want[key].as_u64().unwrap()),
            "{what}: {key}"
        );
    }
    for key in ["numeric_filled", "categorical_filled"] {
        assert_eq!(
            keys(&got[key], what),
            keys(&want[key], what),
            "{what}: {key}: the columns"
        );
        for (column, n) in want[key].as_object().unwrap() {
            assert_eq!(
                got[key][column].as_u64(),
                Some(n.as_u64().unwrap()),
                "{what}: {key}[{column:?}]"
            );
        }
    }

    assert_eq!(
        keys(&got["fill_values"], what),
        keys(&want["fill_values"], what),
        "{what}: fill_values: the columns"
    );
    for (column, w) in want["fill_values"].as_object().unwrap() {
        let g = &got["fill_values"][column];
        let at = format!("{what}: fill_values[{column:?}]");
        match w {
            Value::Null => assert!(g.is_null(), "{at}: {g}, pandas has none"),
            Value::String(_) => assert_eq!(g, w, "{at}"),
            _ => {
                let (g, w) = (g.as_f64(), w.as_f64().unwrap());
                assert!(g.is_some_and(|g| close(g, w)), "{at}: {g:?} vs pandas {w}");
            }
        }
    }

    assert_eq!(
        keys(&got["bounds"], what),
        keys(&want["bounds"], what),
        "{what}: bounds: the columns"
    );
    for (column, w) in want["bounds"].as_object().unwrap() {
        let g = &got["bounds"][column];
        let at = format!("{what}: bounds[{column:?}]");
        if w.is_null() {
            // Undefined (no standard deviation): a null entry; [null, null] says the same.
            let pair_of_nulls = g
                .as_array()
                .is_some_and(|p| p.len() == 2 && p.iter().all(Value::is_null));
            assert!(g.is_null() || pair_of_nulls, "{at}: {g}, pandas has none");
            continue;
        }
        let (g, w) = (g.as_array(), w.as_array().unwrap());
        let g = g.unwrap_or_else(|| panic!("{at}: not a pair"));
        assert_eq!(g.len(), 2, "{at}");
        for (side, (gv, wv)) in g.iter().zip(w).enumerate() {
            let (gv, wv) = (gv.as_f64(), wv.as_f64().unwrap());
            assert!(
                gv.is_some_and(|gv| close(gv, wv)),
                "{at}[{side}]: {gv:?} vs pandas {wv}"
            );
        }
    }

    let sigma = got["sigma"].as_f64();
    let want_sigma = want["sigma"].as_f64().unwrap();
    assert!(
        sigma.is_some_and(|s| close(s, want_sigma)),
        "{what}: sigma {sigma:?}"
    );
    for key in ["numeric_columns", "categorical_columns"] {
        assert_eq!(got[key], want[key], "{what}: {key}");
    }
}

// ---------------------------------------------------------------------------------------------
// The golden cases

/// `brisk clean`: -o with --report, stdout without -o, and the report on stdout with
/// `--format json`.
fn check_clean(case: &Case) {
    let (args, inputs, name) = (case.args(), case.inputs(), case.name.as_str());
    let before = snapshot(&inputs);
    let dir = tempfile::tempdir().unwrap();
    let out = path_str(&dir.path().join("cleaned.csv"));
    let report = path_str(&dir.path().join("report.json"));

    run_ok(&with(&args, &["-o", &out, "--report", &report]));
    let cleaned = read_text(&out);
    assert_frame(&cleaned, &case.csv, &case.kinds(), name);
    let written = read_json(&report);
    assert_report(
        &written,
        &case.json["report"],
        &inputs[0],
        &format!("{name}: --report"),
    );

    let printed = run_ok(&args);
    assert_eq!(
        stdout_text(&printed, &args),
        cleaned,
        "{name}: stdout without -o differs from the -o file"
    );

    let again = path_str(&dir.path().join("again.csv"));
    let json_args = with(&args, &["-o", &again, "--format", "json"]);
    let printed = stdout_json(&run_ok(&json_args), &json_args);
    assert_eq!(
        printed, written,
        "{name}: the report on stdout differs from --report"
    );
    assert_eq!(read_text(&again), cleaned, "{name}: a second run differs");
    assert_no_temporary(dir.path());
    assert_unchanged(&before);
}

/// `brisk groupby`: the JSON records and the CSV, on stdout and with -o.
fn check_groupby(case: &Case) {
    let (args, name) = (case.args(), case.name.as_str());
    let before = snapshot(&case.inputs());
    let kinds = case.kinds();
    let columns = parse_csv(&case.csv, name).header;

    let json_args = with(&args, &["--format", "json"]);
    let records = stdout_json(&run_ok(&json_args), &json_args);
    assert_records(
        &records,
        &case.json["records"],
        &columns,
        &kinds,
        &format!("{name} (--format json)"),
    );

    let csv_args = with(&args, &["--format", "csv"]);
    let csv = stdout_text(&run_ok(&csv_args), &csv_args);
    assert_frame(&csv, &case.csv, &kinds, &format!("{name} (--format csv)"));

    let dir = tempfile::tempdir().unwrap();
    let json_out = path_str(&dir.path().join("groups.json"));
    run_ok(&with(&args, &["-o", &json_out]));
    assert_eq!(
        read_json(&json_out),
        records,
        "{name}: -o .json differs from --format json"
    );
    let csv_out = path_str(&dir.path().join("groups.csv"));
    run_ok(&with(&args, &["-o", &csv_out]));
    assert_eq!(
        read_text(&csv_out),
        csv,
        "{name}: -o .csv differs from --format csv"
    );
    assert_no_temporary(dir.path());
    assert_unchanged(&before);
}

/// `brisk join`: the CSV on stdout and with -o.
fn check_join(case: &Case) {
    let (args, name) = (case.args(), case.name.as_str());
    let before = snapshot(&case.inputs());
    // On stdout the default is an aligned table; CSV is asked for.
    let csv_args = with(&args, &["--format", "csv"]);
    let joined = stdout_text(&run_ok(&csv_args), &csv_args);
    assert_frame(&joined, &case.csv, &case.kinds(), name);

    let dir = tempfile::tempdir().unwrap();
    let out = path_str(&dir.path().join("joined.csv"));
    run_ok(&with(&args, &["-o", &out]));
    assert_eq!(read_text(&out), joined, "{name}: -o differs from stdout");
    assert_no_temporary(dir.path());
    assert_unchanged(&before);
}

fn check_case(name: &str) {
    let case = Case::load(name);
    assert!(
        name.starts_with(case.command()),
        "{name}: command {}",
        case.command()
    );
    assert_eq!(case.stored_args()[0], case.command(), "{name}: args");
    match case.command() {
        "clean" => check_clean(&case),
        "groupby" => check_groupby(&case),
        "join" => check_join(&case),
        other => panic!("{name}: unknown command {other}"),
    }
}

/// One test per case of `expected/`, and the list of them.
macro_rules! golden_cases {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check_case(stringify!($name));
            }
        )*
        const CASES: &[&str] = &[$(stringify!($name)),*];
    };
}

golden_cases![
    clean_people,
    clean_people_sigma2,
    clean_people_subset,
    clean_penguins,
    clean_edge,
    groupby_region_all,
    groupby_region_store,
    groupby_level,
    groupby_region_sorted,
    groupby_sort_nan,
    groupby_b4,
    groupby_with_expr,
    groupby_penguins,
    join_b6_count,
    join_left,
    join_inner,
    join_right_on,
    join_text_key,
    join_int_key,
];

#[test]
fn every_golden_case_has_a_test() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(frames_dir().join("expected"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_owned())
        .collect();
    let tested: BTreeSet<String> = CASES.iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(on_disk, tested);
}

#[test]
fn the_b4_case_is_the_exercise_invocation() {
    let case = Case::load("groupby_b4");
    assert_eq!(
        case.stored_args(),
        [
            "groupby",
            "inputs/employees.csv",
            "--by",
            "department",
            "--agg",
            "mean(salary_per_year) as mean_salary_per_year",
            "--with",
            "salary_per_year = salary / years",
            "--sort",
            "mean_salary_per_year",
            "--desc",
        ]
    );
}

/// The golden groupby cases read from a Parquet copy of their CSV input give the same CSV: both
/// formats go through the one typed batch reader.
#[test]
fn groupby_of_parquet_equals_groupby_of_its_csv() {
    let dir = tempfile::tempdir().unwrap();
    let orders = input("orders.csv");
    let loaded =
        brisk_data::frame::read_frame(&brisk_data::input::Input::open(&orders).unwrap()).unwrap();
    let parquet = path_str(&dir.path().join("orders.parquet"));
    let mut file = std::fs::File::create(&parquet).unwrap();
    brisk_data::frame::write_parquet(&mut loaded.frame.clone(), &mut file).unwrap();
    for name in ["groupby_region_all", "groupby_level", "groupby_with_expr"] {
        let args = Case::load(name).args();
        assert_eq!(args[1], orders, "{name} reads orders.csv");
        let from_csv = stdout_text(&run_ok(&args), &args);
        let mut on_parquet = args.clone();
        on_parquet[1] = parquet.clone();
        let from_parquet = stdout_text(&run_ok(&on_parquet), &on_parquet);
        assert_eq!(from_parquet, from_csv, "{name} on Parquet");
    }
}

/// A `.npy` array groups by its columns' indices, as float64 (NumPy has no int64 table columns).
#[test]
fn groupby_of_npy_keys_by_column_index() {
    let dir = tempfile::tempdir().unwrap();
    let npy = dir.path().join("x.npy");
    let mut bytes = Vec::new();
    let rows = [2.0, 1.0, 1.0, 3.0, 2.0, 5.0, f64::NAN, 7.0];
    brisk_data::npy::write_f64(&mut bytes, &[4, 2], rows.into_iter()).unwrap();
    std::fs::write(&npy, bytes).unwrap();
    let npy = path_str(&npy);
    let args = with(
        &[],
        &[
            "groupby",
            &npy,
            "--by",
            "0",
            "--agg",
            "count(), sum(1)",
            "--format",
            "csv",
        ],
    );
    let csv = stdout_text(&run_ok(&args), &args);
    assert_eq!(csv, "0,count(),sum(1)\n1.0,1,3.0\n2.0,2,6.0\n,1,7.0\n");
}

// ---------------------------------------------------------------------------------------------
// Properties on seeded random inputs

/// SplitMix64: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// A float in [-0.5, 0.5) times 10^-2 .. 10^4.
    fn float(&mut self) -> f64 {
        let unit = (self.next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
        unit * 10f64.powi(self.below(7) as i32 - 2)
    }
}

/// pandas' default null tokens, some of them.
const NULLS: [&str; 5] = ["", "NA", "NaN", "null", "N/A"];

/// A CSV field, quoted when it must be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn write_file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path_str(&path)
}

fn json_numbers(records: &Value, column: &str, what: &str) -> Vec<f64> {
    records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r[column]
                .as_f64()
                .unwrap_or_else(|| panic!("{what}: {column} is {}", r[column]))
        })
        .collect()
}

#[test]
fn group_sums_add_up_to_the_column_sum() {
    let keys = [
        "north",
        "North",
        "NORTH",
        "süd",
        "west, far",
        "say \"x\"",
        "é",
    ];
    let dir = tempfile::tempdir().unwrap();
    for seed in 0..12u64 {
        let mut rng = Rng(seed);
        let rows = 1 + rng.below(150);
        let mut text = String::from("key,level,value,count\n");
        let (mut sum, mut magnitude, mut non_null, mut count_sum) = (0.0, 0.0, 0u64, 0i64);
        let mut key_set = BTreeSet::new();
        let mut level_set = BTreeSet::new();
        for _ in 0..rows {
            let key = if rng.chance(10) {
                key_set.insert(None);
                rng.pick(&NULLS).to_owned()
            } else {
                let k = rng.pick(&keys);
                key_set.insert(Some(k));
                field(k)
            };
            let level = rng.below(4);
            level_set.insert(level);
            let level = if rng.chance(50) {
                format!("{level}")
            } else {
                format!("{level}.0")
            };
            let value = if rng.chance(15) {
                rng.pick(&NULLS).to_owned()
            } else {
                let v = rng.float();
                sum += v;
                magnitude += v.abs();
                non_null += 1;
                if rng.chance(20) {
                    format!("{v:e}")
                } else {
                    format!("{v}")
                }
            };
            let count = rng.below(1000) as i64 - 300;
            count_sum += count;
            text.push_str(&format!("{key},{level},{value},{count}\n"));
        }
        let file = write_file(dir.path(), &format!("groups{seed}.csv"), &text);
        for (by, groups) in [("key", key_set.len()), ("level", level_set.len())] {
            let args: Vec<String> = [
                "groupby",
                &file,
                "--by",
                by,
                "--agg",
                "sum(value), sum(count), count(value), count()",
                "--format",
                "json",
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
            let what = format!("seed {seed}, --by {by}");
            let records = stdout_json(&run_ok(&args), &args);
            assert_eq!(
                records.as_array().map(Vec::len),
                Some(groups),
                "{what}: groups"
            );
            let got: f64 = json_numbers(&records, "sum(value)", &what).iter().sum();
            assert!(
                (got - sum).abs() <= 1e-9 * magnitude + 1e-12,
                "{what}: group sums {got}, column sum {sum}"
            );
            let counts = |column: &str| -> i64 {
                records
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| {
                        r[column]
                            .as_i64()
                            .unwrap_or_else(|| panic!("{what}: {column} is {}", r[column]))
                    })
                    .sum()
            };
            assert_eq!(counts("sum(count)"), count_sum, "{what}: sum(count)");
            assert_eq!(
                counts("count(value)"),
                non_null as i64,
                "{what}: count(value)"
            );
            assert_eq!(counts("count()"), rows as i64, "{what}: count()");
        }
    }
}

#[test]
fn clean_of_its_own_output_is_the_same_frame() {
    let teams = [
        "Eng", "ENG", "eng", "Ops", "sales", "Sales", "Ärger", "ÉCOLE",
    ];
    let cities = [
        "Oslo",
        "bergen",
        "Tromsø",
        "St. Olav, Nord",
        "\"Quoted\" town",
        "two\nlines",
    ];
    let notes = ["fine", "Late", "call back, twice", "ok", "ZÜRICH"];
    let dir = tempfile::tempdir().unwrap();
    for seed in 0..8u64 {
        let mut rng = Rng(1000 + seed);
        let rows = 2 + rng.below(60);
        let mut lines: Vec<String> = Vec::new();
        for id in 0..rows {
            let text_or_null = |rng: &mut Rng, items: &[&str], percent: u64| {
                if rng.chance(percent) {
                    rng.pick(&NULLS).to_owned()
                } else {
                    field(rng.pick(items))
                }
            };
            let team = text_or_null(&mut rng, &teams, 15);
            let city = text_or_null(&mut rng, &cities, 15);
            let note = text_or_null(&mut rng, &notes, 30);
            let score = if rng.chance(15) {
                rng.pick(&NULLS).to_owned()
            } else {
                format!("{}", rng.float())
            };
            let visits = if rng.chance(20) {
                rng.pick(&NULLS).to_owned()
            } else {
                format!("{}", rng.below(40))
            };
            let blank = rng.pick(&NULLS);
            lines.push(format!(
                "{id},{team},{city},{score},{visits},{note},{blank}\n"
            ));
        }
        let copies = rng.below(6);
        for _ in 0..copies {
            let line = lines[rng.below(rows)].clone();
            lines.push(line);
        }
        let text = format!("id,team,city,score,visits,note,blank\n{}", lines.concat());
        let file = write_file(dir.path(), &format!("messy{seed}.csv"), &text);
        let what = format!("seed {seed}");

        let once = path_str(&dir.path().join(format!("once{seed}.csv")));
        let once_report = path_str(&dir.path().join(format!("once{seed}.json")));
        let args: Vec<String> = [
            "clean",
            file.as_str(),
            "--sigma",
            "1e9",
            "-o",
            &once,
            "--report",
            &once_report,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        run_ok(&args);
        let first = read_json(&once_report);
        assert_eq!(first["rows_in"], rows + copies, "{what}: rows_in");
        assert_eq!(first["duplicates_removed"], copies, "{what}: duplicates");
        assert_eq!(first["outlier_rows_removed"], 0, "{what}: outliers");
        assert_eq!(first["rows_out"], rows, "{what}: rows_out");

        let twice = path_str(&dir.path().join(format!("twice{seed}.csv")));
        let twice_report = path_str(&dir.path().join(format!("twice{seed}.json")));
        let args: Vec<String> = [
            "clean",
            once.as_str(),
            "--sigma",
            "1e9",
            "-o",
            &twice,
            "--report",
            &twice_report,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        run_ok(&args);
        assert_eq!(
            read_text(&twice),
            read_text(&once),
            "{what}: cleaning the cleaned frame changed it"
        );
        let second = read_json(&twice_report);
        assert_eq!(second["rows_in"], rows, "{what}");
        assert_eq!(second["rows_out"], rows, "{what}");
        for key in [
            "duplicates_removed",
            "values_lowercased",
            "outlier_rows_removed",
        ] {
            assert_eq!(second[key], 0, "{what}: {key} on the second run");
        }
        for key in ["numeric_filled", "categorical_filled"] {
            for (column, n) in second[key].as_object().unwrap() {
                assert_eq!(n, 0, "{what}: {key}[{column:?}] on the second run");
            }
        }
    }
}

#[test]
fn count_join_totals_equal_the_matching_right_rows() {
    let dir = tempfile::tempdir().unwrap();
    for seed in 0..10u64 {
        let mut rng = Rng(2000 + seed);
        // Left: distinct keys (some null), in shuffled order.
        let mut ids: Vec<usize> = (0..40).collect();
        for i in (1..ids.len()).rev() {
            ids.swap(i, rng.below(i + 1));
        }
        let n_left = 1 + rng.below(25);
        let left_keys: Vec<Option<usize>> = ids[..n_left]
            .iter()
            .map(|&id| (!rng.chance(10)).then_some(id))
            .collect();
        let mut left = String::from("id,name\n");
        for (i, key) in left_keys.iter().enumerate() {
            let key = key.map_or_else(|| rng.pick(&NULLS).to_owned(), |k| k.to_string());
            left.push_str(&format!("{key},user {i}\n"));
        }
        // Right: keys from a wider range (some unknown, some null), spelled "k" or "k.0".
        let n_right = 1 + rng.below(80);
        let mut right_keys: Vec<Option<usize>> = Vec::new();
        let mut right = String::from("event,id,kind\n");
        for e in 0..n_right {
            let key = (!rng.chance(10)).then(|| rng.below(50));
            right_keys.push(key);
            let spelled = match key {
                None => rng.pick(&NULLS).to_owned(),
                Some(k) if rng.chance(30) => format!("{k}.0"),
                Some(k) => k.to_string(),
            };
            right.push_str(&format!(
                "e{e},{spelled},{}\n",
                field(rng.pick(&["view", "click, buy"]))
            ));
        }
        let left_file = write_file(dir.path(), &format!("left{seed}.csv"), &left);
        let right_file = write_file(dir.path(), &format!("right{seed}.csv"), &right);
        let what = format!("seed {seed}");

        let matches: Vec<usize> = left_keys
            .iter()
            .map(|l| l.map_or(0, |l| right_keys.iter().filter(|r| **r == Some(l)).count()))
            .collect();
        let matching_right = right_keys
            .iter()
            .filter(|r| r.is_some() && left_keys.contains(*r))
            .count();
        assert_eq!(matches.iter().sum::<usize>(), matching_right);

        let run = |extra: &[&str]| -> Csv {
            let args = with(
                &["join".to_owned(), left_file.clone(), right_file.clone()],
                &[&["--on", "id", "--format", "csv"][..], extra].concat(),
            );
            parse_csv(&stdout_text(&run_ok(&args), &args), &what)
        };
        let counted = run(&["--count", "n"]);
        assert_eq!(counted.header, ["id", "name", "n"], "{what}");
        assert_eq!(counted.rows.len(), n_left, "{what}: one row per left row");
        let mut total = 0;
        for (i, row) in counted.rows.iter().enumerate() {
            assert_eq!(row[1], format!("user {i}"), "{what}: left order");
            let n: usize = row[2]
                .parse()
                .unwrap_or_else(|_| panic!("{what}: n {:?} is not an integer", row[2]));
            assert_eq!(n, matches[i], "{what}: row {i}");
            total += n;
        }
        assert_eq!(total, matching_right, "{what}: total");

        let inner = run(&["--how", "inner"]);
        assert_eq!(inner.rows.len(), matching_right, "{what}: inner rows");
        let outer = run(&["--how", "left"]);
        let want_left: usize = matches.iter().map(|&m| m.max(1)).sum();
        assert_eq!(outer.rows.len(), want_left, "{what}: left rows");
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input

/// What an existing output file holds before a failing run; it must still hold it after.
const PREVIOUS: &[u8] = b"previous,result\nnot,to be replaced\n";

/// [`fails_with_existing`] with exit 1 and an existing `.csv` output file holding [`PREVIOUS`].
fn fails(args: &[&str], inputs: &[&str]) -> String {
    fails_with_existing(args, inputs, 1, "existing.csv", PREVIOUS)
}

#[test]
fn clean_unknown_numeric_column() {
    let people = input("people.csv");
    let err = fails(&["clean", &people, "--numeric", "salary,nope"], &[&people]);
    assert_mentions(&err, &["nope"]);
    let err = fails(
        &["clean", &people, "--categorical", "dept,nope"],
        &[&people],
    );
    assert_mentions(&err, &["nope"]);
}

#[test]
fn clean_numeric_naming_a_text_column() {
    let people = input("people.csv");
    let err = fails(&["clean", &people, "--numeric", "salary,dept"], &[&people]);
    assert_mentions(&err, &["dept"]);
}

#[test]
fn clean_negative_or_non_finite_sigma() {
    let people = input("people.csv");
    for sigma in ["--sigma=-1", "--sigma=inf", "--sigma=NaN"] {
        let err = fails(&["clean", &people, sigma], &[&people]);
        assert_mentions(&err, &["sigma"]);
    }
}

#[test]
fn groupby_unknown_function() {
    let orders = input("orders.csv");
    let err = fails(
        &["groupby", &orders, "--by", "region", "--agg", "foo(price)"],
        &[&orders],
    );
    assert_mentions(&err, &["foo"]);
}

#[test]
fn groupby_malformed_with() {
    let orders = input("orders.csv");
    let err = fails(
        &[
            "groupby", &orders, "--by", "region", "--with", "a = (b +", "--agg", "count()",
        ],
        &[&orders],
    );
    assert!(
        err.contains("--with") || err.contains("a = (b +"),
        "the message names neither --with nor the expression: {err}"
    );
}

#[test]
fn groupby_unknown_by_column() {
    let orders = input("orders.csv");
    let err = fails(
        &[
            "groupby",
            &orders,
            "--by",
            "region,nope",
            "--agg",
            "count()",
        ],
        &[&orders],
    );
    assert_mentions(&err, &["nope"]);
}

#[test]
fn groupby_sort_naming_no_output_column() {
    let orders = input("orders.csv");
    let err = fails(
        &[
            "groupby",
            &orders,
            "--by",
            "region",
            "--agg",
            "mean(price)",
            "--sort",
            "price",
        ],
        &[&orders],
    );
    assert_mentions(&err, &["sort", "price"]);
}

#[test]
fn groupby_mean_of_a_text_column() {
    let orders = input("orders.csv");
    let err = fails(
        &["groupby", &orders, "--by", "region", "--agg", "mean(store)"],
        &[&orders],
    );
    assert_mentions(&err, &["store"]);
}

#[test]
fn join_unknown_key_in_either_file() {
    let customers = input("customers.csv");
    let purchases = input("purchases.csv");
    let payments = input("payments.csv");
    let both = [customers.as_str(), purchases.as_str(), payments.as_str()];
    // "cust" is only in payments.csv.
    let err = fails(&["join", &customers, &payments, "--on", "cust"], &both);
    assert_mentions(&err, &["customers.csv", "cust"]);
    // "name" is only in customers.csv.
    let err = fails(&["join", &customers, &purchases, "--on", "name"], &both);
    assert_mentions(&err, &["purchases.csv", "name"]);
    let err = fails(
        &[
            "join",
            &customers,
            &purchases,
            "--on",
            "customer_id",
            "--right-on",
            "nope",
        ],
        &both,
    );
    assert_mentions(&err, &["purchases.csv", "nope"]);
}

#[test]
fn join_numeric_key_against_text_key() {
    let customers = input("customers.csv");
    let cities = input("cities.csv");
    fails(
        &[
            "join",
            &customers,
            &cities,
            "--on",
            "customer_id",
            "--right-on",
            "city",
        ],
        &[&customers, &cities],
    );
}

#[test]
fn output_over_an_input_is_refused() {
    // Copies: a faulty run must not destroy the fixtures.
    let dir = tempfile::tempdir().unwrap();
    let copy = |name: &str| {
        let to = dir.path().join(name);
        std::fs::copy(frames_dir().join("inputs").join(name), &to).unwrap();
        path_str(&to)
    };
    let (people, orders) = (copy("people.csv"), copy("orders.csv"));
    let (users, events) = (copy("users.csv"), copy("events.csv"));
    let cases: [&[&str]; 5] = [
        &["clean", &people, "-o", &people],
        &[
            "groupby", &orders, "--by", "region", "--agg", "count()", "-o", &orders,
        ],
        &["join", &users, &events, "--on", "user_id", "-o", &users],
        &["join", &users, &events, "--on", "user_id", "-o", &events],
        &[
            "join", &users, &events, "--on", "user_id", "--count", "n", "-o", &events,
        ],
    ];
    for args in cases {
        let before = snapshot(&[&people, &orders, &users, &events]);
        let err = check_failure(&brisk(args), 1, args);
        assert_mentions(&err, &["refusing to write over an input"]);
        assert_unchanged(&before);
        assert_no_temporary(dir.path());
    }
}

#[test]
fn a_ragged_row_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let ragged = write_file(
        dir.path(),
        "ragged.csv",
        "id,team,score\n1,a,2.5\n2,b,3\n3,c,4,5\n4,d,1\n",
    );
    let users = input("users.csv");
    let cases: [&[&str]; 4] = [
        &["clean", &ragged],
        &["groupby", &ragged, "--by", "team", "--agg", "sum(score)"],
        &[
            "join",
            &ragged,
            &users,
            "--on",
            "id",
            "--right-on",
            "user_id",
        ],
        &[
            "join",
            &users,
            &ragged,
            "--on",
            "user_id",
            "--right-on",
            "id",
        ],
    ];
    for args in cases {
        let err = fails(args, &[&ragged, &users]);
        assert_mentions(&err, &["ragged.csv:4"]);
    }
    // A quoted line break does not hide the line: the bad record starts on line 4.
    let multiline = write_file(
        dir.path(),
        "multiline.csv",
        "id,note\n1,\"two\nlines\"\n2,x,y\n",
    );
    let err = fails(&["clean", &multiline], &[&multiline]);
    assert_mentions(&err, &["multiline.csv:4"]);
}

/// Without -o, `--format json` prints the table as records for clean and join too, and files
/// written with -o get ordinary permissions, not a temporary file's owner-only mode.
#[test]
fn json_records_on_stdout_and_ordinary_file_modes() {
    let users = input("users.csv");
    let events = input("events.csv");
    let args: Vec<String> = ["join", &users, &events, "--on", "user_id", "--count", "n"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let csv = String::from_utf8(run_ok(&with(&args, &["--format", "csv"])).stdout).unwrap();
    let mut json_args = args.clone();
    json_args.extend(["--format".to_string(), "json".to_string()]);
    let records = stdout_json(&run_ok(&json_args), &json_args);
    let records = records.as_array().expect("a list of records");
    assert_eq!(records.len(), csv.lines().count() - 1);
    assert!(records[0].get("n").is_some_and(Value::is_i64));

    let people = input("people.csv");
    let clean: Vec<String> = ["clean", &people, "--format", "json"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(stdout_json(&run_ok(&clean), &clean).is_array());

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = path_str(&dir.path().join("joined.csv"));
        let mut with_output = args.clone();
        with_output.extend(["-o".to_string(), out.clone()]);
        run_ok(&with_output);
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        // A new file's mode is 0o666 less the umask (Linux reports it in /proc/self/status).
        let umask = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|l| l.starts_with("Umask:"))?;
                u32::from_str_radix(line.split_whitespace().nth(1)?, 8).ok()
            });
        if let Some(umask) = umask {
            assert_eq!(mode, 0o666 & !umask, "mode {mode:o} with umask {umask:o}");
        }
    }
}

#[test]
fn a_join_prints_an_aligned_table_on_stdout_by_default() {
    let users = input("users.csv");
    let events = input("events.csv");
    let args: Vec<String> = ["join", &users, &events, "--on", "user_id", "--count", "n"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let table = stdout_text(&run_ok(&args), &args);
    let csv = stdout_text(&run_ok(&with(&args, &["--format", "csv"])), &args);
    assert_eq!(table.lines().count(), csv.lines().count());
    let header = table.lines().next().unwrap();
    assert!(!header.contains(','), "{header}");
    assert_eq!(header.split_whitespace().last(), Some("n"));
    let args = with(&args[..5], &["--how", "inner"]);
    let table = stdout_text(&run_ok(&args), &args);
    assert!(!table.lines().next().unwrap().contains(','), "{table}");
}
