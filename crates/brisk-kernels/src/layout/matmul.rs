//! The shape of a matrix product `a @ b` (`numpy.matmul`; exercise B.1, notebook sections 4, 6 and 8).
//!
//! `numpy.matmul` is a generalised ufunc with signature `(n?,k),(k,m?)->(n?,m?)`
//! ([reference](https://numpy.org/doc/stable/reference/generated/numpy.matmul.html)):
//! - the last two axes of each operand are a matrix, the axes before them a stack ("batch") of
//!   matrices, and the stacks broadcast against each other;
//! - a 1-D `a` is promoted to a row `(1, k)` and a 1-D `b` to a column `(k, 1)`; the added axis is
//!   removed from the result (the `?` in the signature);
//! - the inner sizes `k` must be equal; 0-d operands (scalars) are refused.

use super::{broadcast, check_shape, numpy_shape_string, tuple, Explanation, LayoutError, Rule};

/// The signature NumPy prints in its matmul errors.
const SIGNATURE: &str = "(n?,k),(k,m?)->(n?,m?)";

/// A matrix-product shape and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matmul {
    /// The shape of `a @ b`.
    pub shape: Vec<usize>,
    /// The broadcast stack (batch) shape, `()` for plain matrices.
    pub batch: Vec<usize>,
    /// The rows of `a`'s matrices; `None` when `a` is 1-D.
    pub n: Option<usize>,
    /// The shared inner size.
    pub k: usize,
    /// The columns of `b`'s matrices; `None` when `b` is 1-D.
    pub m: Option<usize>,
    /// The rules applied.
    pub steps: Explanation,
}

/// The shape of `numpy.matmul(a, b)` for operands of shapes `a` and `b`.
///
/// Errors, with NumPy 2.4's text, checked in NumPy's order:
/// - a 0-d operand: `matmul: Input operand 0 does not have enough dimensions (has 0, gufunc core
///   with signature (n?,k),(k,m?)->(n?,m?) requires 1)` (operand 0 is checked first);
/// - inner sizes that differ: `matmul: Input operand 1 has a mismatch in its core dimension 0, with
///   gufunc signature (n?,k),(k,m?)->(n?,m?) (size 2 is different from 4)` (`b`'s `k`, then `a`'s);
/// - stacks that do not broadcast: NumPy's iterator message, `operands could not be broadcast
///   together with remapped shapes [original->remapped]: (2,3,4)->(2,newaxis,newaxis)
///   (3,4,5)->(3,newaxis,newaxis)  and requested shape (3,5)`.
///
/// An operand of more than 64 dimensions, or a size above `isize::MAX`, cannot be an array and
/// gets the `ValueError` `numpy.empty` gives. The result's element count is not checked for overflow.
///
/// ```
/// use brisk_kernels::layout::matmul_shape;
/// assert_eq!(matmul_shape(&[3, 4], &[4, 2]).unwrap().shape, [3, 2]);
/// assert_eq!(matmul_shape(&[2, 3, 4], &[4, 5]).unwrap().shape, [2, 3, 5]);
/// assert_eq!(matmul_shape(&[3, 4], &[4]).unwrap().shape, [3]);
/// assert_eq!(matmul_shape(&[4], &[4]).unwrap().shape, Vec::<usize>::new());
/// assert_eq!(matmul_shape(&[2, 1, 3, 4], &[5, 4, 6]).unwrap().shape, [2, 5, 3, 6]);
/// let err = matmul_shape(&[2, 4], &[2, 4]).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature \
///      (n?,k),(k,m?)->(n?,m?) (size 2 is different from 4)"
/// );
/// ```
pub fn matmul_shape(a: &[usize], b: &[usize]) -> Result<Matmul, LayoutError> {
    check_shape(a)?;
    check_shape(b)?;
    let mut steps = Explanation::default();
    for (i, op) in [a, b].into_iter().enumerate() {
        if op.is_empty() {
            steps.push(
                Rule::Error,
                format!(
                    "{} is 0-d (a scalar): matmul needs at least one axis; use * to scale",
                    name(i)
                ),
            );
            return Err(LayoutError::value(format!(
                "matmul: Input operand {i} does not have enough dimensions (has 0, gufunc core \
                 with signature {SIGNATURE} requires 1)"
            ))
            .with_steps(steps));
        }
    }
    let (n, ka, a_batch) = match a {
        [k] => (None, *k, &a[..0]),
        [batch @ .., n, k] => (Some(*n), *k, batch),
        [] => unreachable!("checked above"),
    };
    let (kb, m, b_batch) = match b {
        [k] => (*k, None, &b[..0]),
        [batch @ .., k, m] => (*k, Some(*m), batch),
        [] => unreachable!("checked above"),
    };
    describe_operand(&mut steps, 0, a, a_batch);
    describe_operand(&mut steps, 1, b, b_batch);
    if a.len() == 1 {
        steps.push(
            Rule::Promote,
            format!(
                "a {} is 1-D: prepend 1 → (1, {ka}), a single row; the 1 is removed from the result",
                tuple(a)
            ),
        );
    }
    if b.len() == 1 {
        steps.push(
            Rule::Promote,
            format!(
                "b {} is 1-D: append 1 → ({kb}, 1), a single column; the 1 is removed from the result",
                tuple(b)
            ),
        );
    }
    let n_text = n.map_or("1".to_owned(), |n| n.to_string());
    let m_text = m.map_or("1".to_owned(), |m| m.to_string());
    if ka != kb {
        steps.push(
            Rule::Error,
            format!(
                "core: ({n_text}, k) @ (k, {m_text}) needs a's columns = b's rows, \
                 but a has k = {ka} and b has k = {kb}"
            ),
        );
        return Err(LayoutError::value(format!(
            "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc \
             signature {SIGNATURE} (size {kb} is different from {ka})"
        ))
        .with_steps(steps));
    }
    steps.push(
        Rule::Core,
        format!(
            "core: ({n_text}, {ka}) @ ({ka}, {m_text}) → ({n_text}, {m_text}), k = {ka} matches"
        ),
    );
    let (batch, batch_steps) = broadcast::plain(&[a_batch.to_vec(), b_batch.to_vec()]);
    let stack_steps = batch_steps
        .steps()
        .iter()
        .filter(|s| matches!(s.rule, Rule::Axis | Rule::Pad | Rule::Error));
    let Some(batch) = batch else {
        steps.push(
            Rule::Error,
            format!(
                "stacks: {} and {} do not broadcast",
                tuple(a_batch),
                tuple(b_batch)
            ),
        );
        for step in stack_steps {
            steps.push(step.rule, format!("  stack {}", step.text));
        }
        return Err(
            LayoutError::value(remapped_message(a, b, a_batch, b_batch, n, m)).with_steps(steps),
        );
    };
    if !a_batch.is_empty() || !b_batch.is_empty() {
        steps.push(
            Rule::Batch,
            format!(
                "stacks: {} and {} broadcast to {}",
                tuple(a_batch),
                tuple(b_batch),
                tuple(&batch)
            ),
        );
        for step in stack_steps {
            steps.push(Rule::Batch, format!("  stack {}", step.text));
        }
    }
    let mut shape = batch.clone();
    shape.extend(n);
    shape.extend(m);
    if n.is_none() || m.is_none() {
        let mut full = batch.clone();
        full.push(n.unwrap_or(1));
        full.push(m.unwrap_or(1));
        steps.push(
            Rule::Demote,
            format!(
                "remove the promoted {}: {} → {}",
                if n.is_none() && m.is_none() {
                    "axes"
                } else {
                    "axis"
                },
                tuple(&full),
                tuple(&shape)
            ),
        );
    }
    steps.push(Rule::Result, format!("result: {}", tuple(&shape)));
    Ok(Matmul {
        shape,
        batch,
        n,
        k: ka,
        m,
        steps,
    })
}

fn name(i: usize) -> &'static str {
    if i == 0 {
        "a"
    } else {
        "b"
    }
}

fn describe_operand(steps: &mut Explanation, i: usize, op: &[usize], batch: &[usize]) {
    let core = &op[batch.len()..];
    let text = if batch.is_empty() {
        let what = if core.len() == 1 {
            "a vector"
        } else {
            "a matrix"
        };
        format!("{} {}: {what}", name(i), tuple(op))
    } else {
        let count: String = match super::checked_size(batch) {
            Some(c) => c.to_string(),
            None => "many".to_owned(),
        };
        format!(
            "{} {}: a stack {} of {count} matrices of shape {}",
            name(i),
            tuple(op),
            tuple(batch),
            tuple(core)
        )
    };
    steps.push(Rule::Core, text);
}

/// NumPy's iterator error for stacks that do not broadcast, with each operand's axes remapped to
/// the iteration: its stack axes right-aligned, `newaxis` for the output's core axes.
fn remapped_message(
    a: &[usize],
    b: &[usize],
    a_batch: &[usize],
    b_batch: &[usize],
    n: Option<usize>,
    m: Option<usize>,
) -> String {
    let broadcast_ndim = a_batch.len().max(b_batch.len());
    let core_out: Vec<usize> = n.into_iter().chain(m).collect();
    let iter_ndim = broadcast_ndim + core_out.len();
    let mut text = String::from(
        "operands could not be broadcast together with remapped shapes [original->remapped]: ",
    );
    for (op, loop_ndim) in [(a, a_batch.len()), (b, b_batch.len())] {
        let original: Vec<Option<usize>> = op.iter().copied().map(Some).collect();
        text.push_str(&numpy_shape_string(&original, "->"));
        let remapped: Vec<Option<usize>> = (0..iter_ndim)
            .map(|idim| {
                if idim < broadcast_ndim && idim >= broadcast_ndim - loop_ndim {
                    Some(op[idim - (broadcast_ndim - loop_ndim)])
                } else {
                    None
                }
            })
            .collect();
        text.push_str(&numpy_shape_string(&remapped, " "));
    }
    let requested: Vec<Option<usize>> = std::iter::repeat_n(None, broadcast_ndim)
        .chain(core_out.into_iter().map(Some))
        .collect();
    text.push_str(" and requested shape ");
    text.push_str(&numpy_shape_string(&requested, ""));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_refused() {
        let err = matmul_shape(&[], &[4]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "matmul: Input operand 0 does not have enough dimensions (has 0, gufunc core with \
             signature (n?,k),(k,m?)->(n?,m?) requires 1)"
        );
        let err = matmul_shape(&[4], &[]).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("matmul: Input operand 1 does not"));
    }

    #[test]
    fn stacks_that_do_not_broadcast() {
        let err = matmul_shape(&[2, 3, 3, 4], &[5, 4, 6]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "operands could not be broadcast together with remapped shapes [original->remapped]: \
             (2,3,3,4)->(2,3,newaxis,newaxis) (5,4,6)->(5,newaxis,newaxis)  and requested shape (3,6)"
        );
    }

    #[test]
    fn vectors() {
        let r = matmul_shape(&[4], &[2, 4, 3]).unwrap();
        assert_eq!(r.shape, [2, 3]);
        assert_eq!((r.n, r.k, r.m), (None, 4, Some(3)));
    }
}
