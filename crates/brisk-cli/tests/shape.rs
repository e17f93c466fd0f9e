//! `brisk shape`: NumPy's answers and NumPy's error texts on the command line (the layout rules
//! themselves are checked case by case against NumPy in brisk-kernels' layout_golden test).

mod common;

use common::{brisk, check_failure, succeeds};

fn stdout_of(args: &[&str]) -> String {
    String::from_utf8(succeeds(args).stdout).unwrap()
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&stdout_of(&all)).unwrap()
}

#[test]
fn the_specification_examples() {
    assert_eq!(
        stdout_of(&["shape", "broadcast", "3,4", "4"]).trim(),
        "(3, 4)"
    );
    assert_eq!(
        json_of(&["shape", "broadcast", "3,4", "4"])["shape"],
        serde_json::json!([3, 4])
    );
    assert_eq!(
        json_of(&["shape", "matmul", "2,3,4", "4,5"])["shape"],
        serde_json::json!([2, 3, 5])
    );
    let strides = json_of(&[
        "shape", "strides", "3,4,5", "--dtype", "float32", "--order", "F",
    ]);
    assert_eq!(strides["strides"], serde_json::json!([4, 12, 48]));
    assert_eq!(strides["itemsize"], 4);
    assert_eq!(strides["nbytes"], 240);
    let index = json_of(&["shape", "index", "3,4", "1:, ::2"]);
    assert_eq!(index["shape"], serde_json::json!([2, 2]));
    assert_eq!(index["strides"], serde_json::json!([32, 16]));
    assert_eq!(index["view"], true);
    let copy = json_of(&["shape", "index", "3,4", ":, [1, 0]", "--dtype", "int64"]);
    assert_eq!(copy["view"], false);
    assert_eq!(copy["strides"], serde_json::json!([8, 24]));
}

#[test]
fn explain_prints_each_rule() {
    let text = stdout_of(&["shape", "broadcast", "8,1,6,1", "7,1,5", "--explain"]);
    assert!(
        text.contains("pad (7, 1, 5) on the left with a 1"),
        "{text}"
    );
    assert!(text.contains("axis 0: 8 vs 1 → 8"), "{text}");
    assert!(text.trim_end().ends_with("(8, 7, 6, 5)"), "{text}");
}

#[test]
fn numpy_errors_exit_1_with_numpy_text() {
    for (args, want) in [
        (
            &["shape", "broadcast", "3,4", "3"][..],
            "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between \
             arg 0 with shape (3, 4) and arg 1 with shape (3,).",
        ),
        (
            &["shape", "matmul", "3,4", "5,2"],
            "matmul: Input operand 1 has a mismatch in its core dimension 0",
        ),
        (
            &["shape", "index", "3,4", "5"],
            "index 5 is out of bounds for axis 0 with size 3",
        ),
        (
            &["shape", "index", "3,4", "..., 1, ..."],
            "an index can only have a single ellipsis ('...')",
        ),
    ] {
        let message = check_failure(&brisk(args), 1, args);
        assert!(message.contains(want), "{args:?}: {message}");
    }
    // A shape that is not one is a usage error.
    let args = ["shape", "broadcast", "3,x"];
    assert!(check_failure(&brisk(&args), 2, &args).contains("is not a shape"));
}
