//! Running the real `brisk` binary from integration tests, and checking the failure contract: one
//! line on stderr, nothing on stdout, an existing output file untouched, no temporary file left and
//! the inputs unchanged.
// Each test file compiles this module on its own and uses part of it.
#![allow(dead_code)]

pub mod figures;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The `tests/golden` folder of the repository.
pub fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden")
}

/// Runs `brisk report FILE ARGS… --json J -o P --quiet` in `folder` (so that messages name the
/// file as given); the JSON it wrote, or why there is none (a failed run, no page, no JSON).
pub fn report_json_in(
    folder: &Path,
    file: &str,
    extra: &[&str],
) -> Result<serde_json::Value, String> {
    let out = tempfile::tempdir().unwrap();
    let json = out.path().join("figures.json");
    let html = out.path().join("page.html");
    let mut args = vec!["report", file];
    args.extend(extra);
    args.extend([
        "--json",
        json.to_str().unwrap(),
        "-o",
        html.to_str().unwrap(),
        "--quiet",
    ]);
    let output = Command::new(env!("CARGO_BIN_EXE_brisk"))
        .args(&args)
        .current_dir(folder)
        .stdin(Stdio::null())
        .output()
        .expect("the brisk binary runs");
    if output.status.code() != Some(0) {
        return Err(format!(
            "`brisk {}` (in {}) exited with {:?}: {}",
            args.join(" "),
            folder.display(),
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    if !html.is_file() || std::fs::metadata(&html).unwrap().len() == 0 {
        return Err(format!("`brisk {}` wrote no page", args.join(" ")));
    }
    let text = std::fs::read_to_string(&json)
        .map_err(|e| format!("`brisk {}` wrote no --json file: {e}", args.join(" ")))?;
    serde_json::from_str(&text).map_err(|e| format!("{file}: the --json file is not JSON: {e}"))
}

/// Runs `brisk` with arguments.
pub fn brisk(args: &[&str]) -> Output {
    brisk_with_stdin(args, None)
}

/// Runs `brisk` with arguments and bytes on standard input.
pub fn brisk_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_brisk"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the brisk binary runs");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// Runs `brisk` with arguments and checks that it succeeds, showing its stderr otherwise.
pub fn succeeds(args: &[&str]) -> Output {
    let run = brisk(args);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{args:?}: {}",
        run.stderr_text()
    );
    run
}

/// The JSON a successful run prints, without its `source` field (which names the input), so
/// that runs on the same data in different files compare equal.
pub fn json_without_source(args: &[&str]) -> serde_json::Value {
    let run = succeeds(args);
    let mut json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    json.as_object_mut().unwrap().remove("source");
    json
}

/// Text views of a run's output.
pub trait OutputText {
    fn stderr_text(&self) -> String;
}

impl OutputText for Output {
    fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

// ---------------------------------------------------------------------------------------------
// The failure contract

/// Inputs must never change: the bytes of every file in `paths` before a run, to compare after it.
pub fn snapshot(paths: &[impl AsRef<str>]) -> Vec<(String, Vec<u8>)> {
    paths
        .iter()
        .map(|p| p.as_ref())
        .filter(|p| Path::new(p).is_file())
        .map(|p| (p.to_owned(), std::fs::read(p).unwrap()))
        .collect()
}

pub fn assert_unchanged(before: &[(String, Vec<u8>)]) {
    for (path, bytes) in before {
        assert!(
            std::fs::read(path).unwrap() == *bytes,
            "the input {path} was changed"
        );
    }
}

/// No `.brisk-*` temporary file in `dir`.
pub fn assert_no_temporary(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name();
        assert!(
            !name.to_string_lossy().starts_with(".brisk-"),
            "a temporary file was left in {}: {name:?}",
            dir.display()
        );
    }
}

/// Checks one failed run: exit `code`, nothing on stdout, no panic; for exit 1 one line
/// starting with `brisk: `, for usage errors (exit 2) clap's `error: ` message.
pub fn check_failure(run: &Output, code: i32, args: &[&str]) -> String {
    let stderr = run.stderr_text();
    assert_eq!(run.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert!(
        run.stdout.is_empty(),
        "{args:?}: stdout is not empty: {}",
        String::from_utf8_lossy(&run.stdout)
    );
    if code == 1 {
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "{args:?}: one line: {stderr}"
        );
        assert!(stderr.starts_with("brisk: "), "{args:?}: {stderr}");
    } else {
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    }
    stderr
}

/// Runs `args` (which must not have -o) twice: as is, and with `-o` naming an existing file called
/// `existing` that holds `previous`, in a fresh folder. Both must fail with `code` and (for exit 1)
/// the same message, leave the output file's bytes and the `inputs` unchanged and no temporary file
/// in the output folder or beside any input. Returns the error message.
pub fn fails_with_existing(
    args: &[&str],
    inputs: &[&str],
    code: i32,
    existing: &str,
    previous: &[u8],
) -> String {
    let before = snapshot(inputs);
    let plain = brisk(args);
    let message = check_failure(&plain, code, args);
    assert_unchanged(&before);

    let out_dir = tempfile::tempdir().unwrap();
    let existing = out_dir.path().join(existing);
    std::fs::write(&existing, previous).unwrap();
    let existing = existing.to_str().unwrap().to_owned();
    let mut with_output = args.to_vec();
    with_output.extend(["-o", existing.as_str()]);
    let run = brisk(&with_output);
    let again = check_failure(&run, code, &with_output);
    if code == 1 {
        assert_eq!(again, message, "the message depends on -o");
    }
    assert_eq!(
        std::fs::read(&existing).unwrap(),
        previous,
        "{with_output:?}: the existing output file was changed"
    );
    assert_eq!(std::fs::read_dir(out_dir.path()).unwrap().count(), 1);
    assert_no_temporary(out_dir.path());
    for path in inputs {
        if let Some(parent) = Path::new(path).parent().filter(|p| p.is_dir()) {
            assert_no_temporary(parent);
        }
    }
    assert_unchanged(&before);
    message
}

pub fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "{part:?} is not in: {message}");
    }
}
