//! Indexing rules on hand-made cases (the golden test covers NumPy case by case).

use super::*;

fn c64(shape: &[usize], expr: &str) -> Result<Indexed, LayoutError> {
    index(shape, Dtype::Int64, Order::C, expr)
}

#[test]
fn slices_follow_python() {
    assert_eq!(slice_indices(None, None, Some(-1), 4), Some((3, -1, -1, 4)));
    assert_eq!(
        slice_indices(Some(-100), Some(100), Some(-3), 4),
        Some((-1, 3, -3, 0))
    );
    assert_eq!(
        slice_indices(Some(100), Some(-100), Some(-3), 4),
        Some((3, -1, -3, 2))
    );
    assert_eq!(slice_indices(None, None, Some(0), 4), None);
}

#[test]
fn empty_slices_keep_the_stride() {
    assert_eq!(c64(&[3, 4], "1:3:-1").unwrap().strides, [32, 8]);
    assert_eq!(c64(&[3, 4], "3:1:-1").unwrap().strides, [-32, 8]);
}

#[test]
fn scalars_and_whole_views() {
    let r = c64(&[3, 4], "1, 2").unwrap();
    assert!(r.scalar && !r.view && r.shape.is_empty());
    let r = c64(&[3, 4], "1, 2, ...").unwrap();
    assert!(!r.scalar && r.view && r.shape.is_empty());
    assert!(c64(&[], "()").unwrap().scalar);
    assert!(c64(&[], "...").unwrap().view);
    assert!(c64(&[3, 4], "()").unwrap().view);
}

#[test]
fn errors_in_numpy_order() {
    let msg = |s: &[usize], e: &str| c64(s, e).unwrap_err().to_string();
    assert_eq!(
        msg(&[3, 4], "..., ..."),
        "an index can only have a single ellipsis ('...')"
    );
    assert_eq!(
        msg(&[3, 4], "1, 2, 3"),
        "too many indices for array: array is 2-dimensional, but 3 were indexed"
    );
    assert_eq!(
        msg(&[3, 4], "[0, 9], 7"),
        "index 7 is out of bounds for axis 1 with size 4"
    );
    assert_eq!(
        msg(&[3, 4], "[0, 9], [0, 1, 2]"),
        "shape mismatch: indexing arrays could not be broadcast together with shapes (2,) (3,) "
    );
    assert_eq!(msg(&[3, 4], "::0, 9"), "slice step cannot be zero");
    assert_eq!(msg(&[3, 4], "1.0, ..., ..."), NOT_AN_INDEX);
    assert!(msg(&[3, 4], "[[0, 1], [2]]").starts_with("setting an array element"));
    // Arrays broadcasting to an empty shape are not bounds-checked.
    assert_eq!(c64(&[3, 4], "[5], []").unwrap().shape, [0]);
}

#[test]
fn advanced_layouts() {
    let r = c64(&[3, 4, 5], ":, [[0, 1], [1, 2]], [0, 4]").unwrap();
    assert_eq!((r.shape, r.strides), (vec![3, 2, 2], vec![8, 48, 24]));
    let r = c64(&[3, 4, 5], "[0, 1], None, [0, 1]").unwrap();
    assert_eq!((r.shape, r.strides), (vec![2, 1, 5], vec![40, 8, 8]));
    let r = c64(&[3, 4], ":, []").unwrap();
    assert_eq!((r.shape, r.strides), (vec![3, 0], vec![0, 0]));
}

#[test]
fn ragged_shapes_as_numpy_detects_them() {
    let item = |t: &str| parse_index(t).unwrap().remove(0);
    assert_eq!(
        item("[[0, 1], [2]]"),
        IndexItem::Ragged { detected: vec![2] }
    );
    assert_eq!(
        item("[[0, [1]]]"),
        IndexItem::Ragged {
            detected: vec![1, 2]
        }
    );
    assert_eq!(item("[[1], []]"), IndexItem::Ragged { detected: vec![2] });
    assert_eq!(
        item("[[], []]"),
        IndexItem::Array {
            shape: vec![2, 0],
            values: vec![]
        }
    );
}

#[test]
fn parsing() {
    assert_eq!(parse_index("").unwrap(), []);
    assert_eq!(
        parse_index("(1, 2)").unwrap(),
        [IndexItem::Integer(1), IndexItem::Integer(2)]
    );
    assert_eq!(parse_index("1,").unwrap(), [IndexItem::Integer(1)]);
    assert_eq!(parse_index("- 1").unwrap(), [IndexItem::Integer(-1)]);
    assert_eq!(
        parse_index("None:3").unwrap(),
        [IndexItem::Slice {
            start: None,
            stop: Some(3),
            step: None
        }]
    );
    assert!(parse_index("1,,2").is_err());
    assert!(parse_index("[True]").is_err());
    assert!(parse_index("a").is_err());
}
