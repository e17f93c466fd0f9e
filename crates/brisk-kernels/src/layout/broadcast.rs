//! Broadcasting: the shape NumPy gives an element-wise operation on arrays of different shapes
//! (exercise B.1, notebook section 3).
//!
//! The rule ([NumPy's broadcasting guide](https://numpy.org/doc/stable/user/basics.broadcasting.html)):
//! line the shapes up on their trailing axes, pad the shorter ones with 1s on the left, then on each
//! axis the sizes must be equal or 1; a 1 stretches to the other size (a 0 stays 0, since 1 stretches
//! to 0 too).

use super::{check_shape, checked_size, tuple, Explanation, LayoutError, Rule};

/// The arguments `numpy.broadcast` takes at once (`NPY_MAXARGS`); `numpy.broadcast_shapes` works
/// through longer lists in chunks.
const MAX_ARGS: usize = 64;

/// The most dimensions NumPy's legacy broadcast iterator accepts.
const MAX_ITER_DIMS: usize = 32;

/// A broadcast shape and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broadcast {
    /// The shape of the result.
    pub shape: Vec<usize>,
    /// The rules applied: alignment, padding, one step per axis, the result.
    pub steps: Explanation,
}

/// The shape that arrays of these shapes broadcast to, as `numpy.broadcast_shapes(*shapes)`.
///
/// Any number of shapes (none gives `()`). Errors carry NumPy 2.4's text:
/// - incompatible sizes on an axis: `ValueError` "shape mismatch: objects cannot be broadcast to a
///   single shape.  Mismatch is between arg *i* with shape … and arg *j* with shape …." — *j* is the
///   first argument, scanning axes from the left of the result and arguments in order, whose size
///   differs from the size set by argument *i*. NumPy broadcasts 64 arguments at a time and then 63
///   more plus the running result (as argument 0), and the numbers are relative to that chunk;
///   so are these.
/// - a shape of more than 64 dimensions (`ValueError`), one of more than 32 (`RuntimeError`, from
///   NumPy's legacy broadcast iterator), a size above `isize::MAX` (`ValueError`), or a result whose
///   element count overflows (`ValueError` "broadcast dimensions too large.").
///
/// ```
/// use brisk_kernels::layout::broadcast_shapes;
/// assert_eq!(broadcast_shapes(&[vec![3, 4], vec![4]]).unwrap().shape, [3, 4]);
/// assert_eq!(broadcast_shapes(&[vec![5, 1], vec![1, 6]]).unwrap().shape, [5, 6]);
/// assert_eq!(broadcast_shapes(&[vec![2, 1, 4], vec![3, 4]]).unwrap().shape, [2, 3, 4]);
/// assert_eq!(broadcast_shapes(&[vec![0], vec![1]]).unwrap().shape, [0]);
/// assert_eq!(broadcast_shapes(&[]).unwrap().shape, Vec::<usize>::new());
/// let err = broadcast_shapes(&[vec![1, 3], vec![2, 1], vec![3, 3]]).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between \
///      arg 1 with shape (2, 1) and arg 2 with shape (3, 3)."
/// );
/// ```
pub fn broadcast_shapes(shapes: &[Vec<usize>]) -> Result<Broadcast, LayoutError> {
    // `np.empty(shape)` for every argument first, in order.
    for shape in shapes {
        check_shape(shape)?;
    }
    let mut steps = explain_alignment(shapes);
    let result = chunked(shapes);
    let shape = match result {
        Ok(shape) => shape,
        Err(err) => {
            explain_axes(shapes, &mut steps);
            return Err(err.with_steps(steps));
        }
    };
    explain_axes(shapes, &mut steps);
    steps.push(Rule::Result, format!("result: {}", tuple(&shape)));
    Ok(Broadcast { shape, steps })
}

/// `numpy.lib._stride_tricks_impl._broadcast_shape`: the first 64 arguments, then the running
/// result with up to 63 more, until every argument has been seen.
fn chunked(shapes: &[Vec<usize>]) -> Result<Vec<usize>, LayoutError> {
    let first = &shapes[..shapes.len().min(MAX_ARGS)];
    let refs: Vec<&[usize]> = first.iter().map(Vec::as_slice).collect();
    let mut shape = multi_iter(&refs)?;
    let mut pos = MAX_ARGS;
    while pos < shapes.len() {
        let end = shapes.len().min(pos + MAX_ARGS - 1);
        let mut refs: Vec<&[usize]> = vec![shape.as_slice()];
        refs.extend(shapes[pos..end].iter().map(Vec::as_slice));
        shape = multi_iter(&refs)?;
        pos += MAX_ARGS - 1;
    }
    Ok(shape)
}

/// `numpy.broadcast(*arrays).shape` (`PyArray_Broadcast`) for at most 64 shapes.
fn multi_iter(shapes: &[&[usize]]) -> Result<Vec<usize>, LayoutError> {
    if let Some(big) = shapes.iter().find(|s| s.len() > MAX_ITER_DIMS) {
        return Err(LayoutError::new(
            super::ErrorKind::RuntimeError,
            format!(
                "this function only supports up to {MAX_ITER_DIMS} dimensions but the array has {}.",
                big.len()
            ),
        ));
    }
    let nd = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut dims = vec![1usize; nd];
    for (i, dim) in dims.iter_mut().enumerate() {
        let mut source = 0;
        for (j, shape) in shapes.iter().enumerate() {
            // Axis i of the result is axis k of this shape, if it reaches that far.
            let Some(k) = (i + shape.len()).checked_sub(nd) else {
                continue;
            };
            let size = shape[k];
            if size == 1 {
                continue;
            }
            if *dim == 1 {
                *dim = size;
                source = j;
            } else if *dim != size {
                return Err(LayoutError::value(format!(
                    "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is \
                     between arg {source} with shape {} and arg {j} with shape {}.",
                    tuple(shapes[source]),
                    tuple(shape)
                )));
            }
        }
    }
    if checked_size(&dims).is_none() {
        return Err(LayoutError::value("broadcast dimensions too large."));
    }
    Ok(dims)
}

/// The alignment and padding steps.
fn explain_alignment(shapes: &[Vec<usize>]) -> Explanation {
    let mut steps = Explanation::default();
    let nd = shapes.iter().map(Vec::len).max().unwrap_or(0);
    let listed: Vec<String> = shapes.iter().map(|s| tuple(s)).collect();
    match shapes.len() {
        0 => steps.push(Rule::Align, "no shapes: the result is a scalar shape ()"),
        1 => steps.push(
            Rule::Align,
            format!("one shape: {} is the result", listed[0]),
        ),
        _ => steps.push(
            Rule::Align,
            format!(
                "align the shapes on their last axis: {}",
                join_with_and(&listed)
            ),
        ),
    }
    for shape in shapes {
        if shape.len() < nd {
            let mut padded = vec![1; nd - shape.len()];
            padded.extend_from_slice(shape);
            let added = nd - shape.len();
            let ones = if added == 1 {
                "a 1".to_owned()
            } else {
                format!("{added} 1s")
            };
            steps.push(
                Rule::Pad,
                format!(
                    "pad {} on the left with {ones}: {}",
                    tuple(shape),
                    tuple(&padded)
                ),
            );
        }
    }
    steps
}

/// One step per axis of the result, left to right, stopping at the first mismatch.
fn explain_axes(shapes: &[Vec<usize>], steps: &mut Explanation) {
    if shapes.len() < 2 {
        return;
    }
    let nd = shapes.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..nd {
        let sizes: Vec<usize> = shapes
            .iter()
            .map(|s| (i + s.len()).checked_sub(nd).map_or(1, |k| s[k]))
            .collect();
        let others: Vec<usize> = sizes.iter().copied().filter(|&d| d != 1).collect();
        let listed: Vec<String> = sizes.iter().map(usize::to_string).collect();
        let listed = listed.join(" vs ");
        match others.first() {
            None => steps.push(Rule::Axis, format!("axis {i}: {listed} → 1 (equal)")),
            Some(&d) if others.iter().all(|&o| o == d) => {
                let why = if others.len() == sizes.len() {
                    "equal"
                } else if others.len() == 1 && sizes.len() == 2 {
                    "the 1 stretches"
                } else {
                    "the 1s stretch"
                };
                steps.push(Rule::Axis, format!("axis {i}: {listed} → {d} ({why})"));
            }
            Some(_) => {
                steps.push(
                    Rule::Error,
                    format!("axis {i}: {listed} → error: sizes differ and are not 1"),
                );
                return;
            }
        }
    }
}

/// The broadcast of shapes with no limit on dimensions or sizes (the rule alone), with its
/// alignment, padding and per-axis steps; `None` on a mismatch.
pub(crate) fn plain(shapes: &[Vec<usize>]) -> (Option<Vec<usize>>, Explanation) {
    let mut steps = explain_alignment(shapes);
    explain_axes(shapes, &mut steps);
    let nd = shapes.iter().map(Vec::len).max().unwrap_or(0);
    let mut dims = vec![1usize; nd];
    for (i, dim) in dims.iter_mut().enumerate() {
        for shape in shapes {
            let Some(k) = (i + shape.len()).checked_sub(nd) else {
                continue;
            };
            match shape[k] {
                1 => {}
                size if *dim == 1 => *dim = size,
                size if *dim != size => return (None, steps),
                _ => {}
            }
        }
    }
    (Some(dims), steps)
}

fn join_with_and(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_b1() {
        let ok = |a: Vec<usize>, b: Vec<usize>| broadcast_shapes(&[a, b]).map(|r| r.shape);
        assert_eq!(ok(vec![3, 4], vec![4]).unwrap(), [3, 4]);
        assert_eq!(ok(vec![2, 3, 4], vec![3, 1]).unwrap(), [2, 3, 4]);
        assert_eq!(ok(vec![5, 1], vec![1, 6]).unwrap(), [5, 6]);
        assert_eq!(ok(vec![2, 1, 4], vec![3, 4]).unwrap(), [2, 3, 4]);
        assert!(ok(vec![3, 4], vec![3]).is_err());
    }

    #[test]
    fn chunks_number_arguments_from_the_running_result() {
        let mut shapes = vec![vec![2]; 65];
        shapes.push(vec![3]);
        let err = broadcast_shapes(&shapes).unwrap_err();
        assert!(err
            .to_string()
            .ends_with("arg 0 with shape (2,) and arg 2 with shape (3,)."));
        let mut shapes = vec![vec![2]; 40];
        shapes.push(vec![3]);
        let err = broadcast_shapes(&shapes).unwrap_err();
        assert!(err
            .to_string()
            .ends_with("arg 0 with shape (2,) and arg 40 with shape (3,)."));
    }

    #[test]
    fn limits() {
        let err = broadcast_shapes(&[vec![3], vec![1; 33]]).unwrap_err();
        assert_eq!(err.kind(), super::super::ErrorKind::RuntimeError);
        let err = broadcast_shapes(&[vec![1 << 62, 4]]).unwrap_err();
        assert_eq!(err.to_string(), "broadcast dimensions too large.");
    }

    #[test]
    fn explanation_of_a_mismatch() {
        let err = broadcast_shapes(&[vec![3, 4], vec![3]]).unwrap_err();
        let last = err.steps().lines().last().unwrap().to_owned();
        assert_eq!(last, "axis 1: 4 vs 3 → error: sizes differ and are not 1");
    }
}
