//! Indexing: the shape and strides of `a[expr]`, and whether it is a view or a copy (exercises A.7
//! and B.2a, notebook sections 2 and 7.2).
//!
//! NumPy's rules ([indexing guide](https://numpy.org/doc/stable/user/basics.indexing.html)):
//! - **Basic indexing** — integers, slices `start:stop:step`, `None` (`numpy.newaxis`) and `...` —
//!   gives a **view**: the same memory seen with a new shape and new strides. A slice keeps
//!   `len(range(*slice.indices(n)))` elements and multiplies the stride by its step (an empty slice
//!   keeps the stride unchanged); an integer removes its axis; `None` adds an axis of size 1 and
//!   stride 0; `...` stands for every axis not otherwise indexed, and an index shorter than the
//!   array gets one at its end. Only when every axis gets an integer (and there is no `...`) is the
//!   result a NumPy scalar: a copy of one element.
//! - **Advanced indexing** — an integer list or nested list (an integer array) — gives a **copy**.
//!   The integer arrays broadcast together; their broadcast shape replaces the axes they index, in
//!   place when the advanced indices (integers included) are next to each other, at the front when a
//!   slice, `None` or `...` separates them. NumPy allocates the copy with the advanced axes
//!   outermost in memory and the other axes in the order of the indexed array's strides, then
//!   transposes it into place, so the copy is not always C-contiguous: for a C-ordered `a` of shape
//!   (3, 4) and int64, `a[:, [1, 0]]` has strides (8, 24).
//!
//! Boolean masks (`a[a > 5]`, `True`, `[True, False]`) are left out and refused, as are
//! parenthesised sub-tuples, slices with non-integer bounds and integers beyond the range of `i64`.

use std::fmt;

mod parse;
#[cfg(test)]
mod tests;

pub use parse::parse_index;

use super::strides::{c_strides, strides, Dtype, Order};
use super::{
    check_shape, checked_size, numpy_shape_string, tuple, ErrorKind, Explanation, LayoutError,
    Rule, MAX_DIMS,
};

/// NumPy's message for an index of a type it cannot use.
const NOT_AN_INDEX: &str = "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis \
                            (`None`) and integer or boolean arrays are valid indices";

/// The most items NumPy unpacks from an index tuple (`2 × NPY_MAXDIMS`).
const MAX_ITEMS: usize = 2 * MAX_DIMS;

/// One element of an index expression, as NumPy receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexItem {
    /// An integer: picks one position and removes the axis.
    Integer(i64),
    /// A slice `start:stop:step`; `None` where a part is left out.
    Slice {
        /// The first position (default 0, or the end for a negative step).
        start: Option<i64>,
        /// The position to stop before (default: past the end in the step's direction).
        stop: Option<i64>,
        /// The step (default 1; 0 is an error).
        step: Option<i64>,
    },
    /// `None` (`numpy.newaxis`): a new axis of size 1.
    NewAxis,
    /// `...`: every axis not otherwise indexed.
    Ellipsis,
    /// An integer array from a (nested) list: its shape and its values in C order. An empty list
    /// is an integer array of shape `(0,)`, as in NumPy.
    Array {
        /// The array's shape (`numpy.array(list).shape`).
        shape: Vec<usize>,
        /// The values, row-major.
        values: Vec<i64>,
    },
    /// A float, or a non-empty list holding one: NumPy refuses it when it reaches it.
    NonInteger(String),
    /// A ragged list, which `numpy.array` refuses: the dimensions found before the raggedness.
    Ragged {
        /// The shape NumPy detected before the lists stopped agreeing.
        detected: Vec<usize>,
    },
}

impl fmt::Display for IndexItem {
    /// The item as Python would write it in a subscript: `1:`, `::2`, `None`, `...`, `[0, 2]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexItem::Integer(i) => write!(f, "{i}"),
            IndexItem::Slice { start, stop, step } => {
                let part = |p: &Option<i64>| p.map(|v| v.to_string()).unwrap_or_default();
                write!(f, "{}:{}", part(start), part(stop))?;
                if let Some(step) = step {
                    write!(f, ":{step}")?;
                }
                Ok(())
            }
            IndexItem::NewAxis => f.write_str("None"),
            IndexItem::Ellipsis => f.write_str("..."),
            IndexItem::Array { shape, values } => f.write_str(&nested_list(shape, values)),
            IndexItem::NonInteger(text) => f.write_str(text),
            IndexItem::Ragged { .. } => f.write_str("[ragged list]"),
        }
    }
}

impl IndexItem {
    /// The item as Python's `repr` shows what the subscript receives: `slice(1, None, None)`.
    fn python_repr(&self) -> String {
        match self {
            IndexItem::Slice { start, stop, step } => {
                let part = |p: &Option<i64>| p.map_or("None".to_owned(), |v| v.to_string());
                format!("slice({}, {}, {})", part(start), part(stop), part(step))
            }
            IndexItem::Ellipsis => "Ellipsis".to_owned(),
            other => other.to_string(),
        }
    }
}

fn nested_list(shape: &[usize], values: &[i64]) -> String {
    match shape {
        [] => values.first().map_or(String::new(), i64::to_string),
        [n, rest @ ..] => {
            let inner: usize = rest.iter().product();
            let parts: Vec<String> = (0..*n)
                .map(|i| nested_list(rest, &values[(i * inner).min(values.len())..]))
                .collect();
            format!("[{}]", parts.join(", "))
        }
    }
}

/// The result of indexing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indexed {
    /// The result's shape; `()` for a scalar.
    pub shape: Vec<usize>,
    /// The result's strides in bytes; `()` for a scalar.
    pub strides: Vec<isize>,
    /// Whether the result is a view sharing the indexed array's memory (basic indexing).
    pub view: bool,
    /// Whether the result is a NumPy scalar rather than an array (an integer for every axis).
    pub scalar: bool,
    /// The rules applied, one step per index item.
    pub steps: Explanation,
}

/// `numpy.empty(shape, dtype, order)[expr]`: shape, strides, view or copy.
///
/// `expr` is what goes between the brackets, written as in Python: integers (negative count from
/// the end), slices `start:stop:step`, `None`/`np.newaxis`, `...`, and integer lists (nested for
/// multi-dimensional index arrays), separated by commas; `()` or an empty string is the empty
/// tuple. Errors carry NumPy 2.4's text and exception, in NumPy's order: a second `...`
/// (`IndexError`), a float index (`IndexError`), a ragged list (`ValueError`), too many indices
/// (`IndexError` "too many indices for array: array is 2-dimensional, but 3 were indexed"), then
/// integers out of bounds and zero slice steps in index order ("index 5 is out of bounds for axis 0
/// with size 3"; `ValueError` "slice step cannot be zero"), then integer arrays that do not broadcast
/// ("shape mismatch: indexing arrays could not be broadcast together with shapes (2,) (3,) "), then
/// their out-of-bounds values (none are checked when the arrays broadcast to an empty shape).
///
/// ```
/// use brisk_kernels::layout::{Dtype, Order};
/// use brisk_kernels::layout::index::index;
/// // Exercise B.2a: a = np.arange(12).reshape(3, 4); a[1:, ::2]
/// let r = index(&[3, 4], Dtype::Int64, Order::C, "1:, ::2").unwrap();
/// assert_eq!((r.shape, r.strides, r.view), (vec![2, 2], vec![32, 16], true));
/// // Notebook 7.2: A = np.arange(24).reshape(6, 4); A[:, ::2].strides
/// assert_eq!(index(&[6, 4], Dtype::Int64, Order::C, ":, ::2").unwrap().strides, [32, 16]);
/// // Reversing gives a negative stride; None adds a stride-0 axis.
/// assert_eq!(index(&[3, 4], Dtype::Int64, Order::C, "::-1, None").unwrap().strides, [-32, 0, 8]);
/// // Advanced indexing copies, advanced axes outermost in memory.
/// let c = index(&[3, 4], Dtype::Int64, Order::C, ":, [1, 0]").unwrap();
/// assert_eq!((c.shape, c.strides, c.view), (vec![3, 2], vec![8, 24], false));
/// // Separated advanced indices move to the front.
/// assert_eq!(index(&[3, 4, 5], Dtype::Int64, Order::C, "1, :, [1, 0]").unwrap().shape, [2, 4]);
/// let err = index(&[3, 4], Dtype::Int64, Order::C, "5").unwrap_err();
/// assert_eq!(err.to_string(), "index 5 is out of bounds for axis 0 with size 3");
/// ```
pub fn index(
    shape: &[usize],
    dtype: Dtype,
    order: Order,
    expr: &str,
) -> Result<Indexed, LayoutError> {
    let base = strides(shape, dtype, order)?;
    index_strided(shape, &base.strides, dtype.itemsize(), expr)
}

/// `a[expr]` for an array `a` of any strides (a view such as `b[::2, ::-1]`) whose elements take
/// `itemsize` bytes. See [`index`] for the expression and the errors.
///
/// ```
/// use brisk_kernels::layout::index_strided;
/// // A Fortran-ordered float64 (3, 4, 5) array: the copy keeps the other axes in F order.
/// let r = index_strided(&[3, 4, 5], &[8, 24, 96], 8, ":, [1, 0]").unwrap();
/// assert_eq!((r.shape, r.strides), (vec![3, 2, 5], vec![8, 120, 24]));
/// ```
pub fn index_strided(
    shape: &[usize],
    strides: &[isize],
    itemsize: usize,
    expr: &str,
) -> Result<Indexed, LayoutError> {
    check_shape(shape)?;
    if strides.len() != shape.len() {
        return Err(LayoutError::unsupported(format!(
            "the shape {} has {} axes but {} strides were given",
            tuple(shape),
            shape.len(),
            strides.len()
        )));
    }
    let items = parse_index(expr)?;
    apply_index(shape, strides, itemsize, &items)
}

/// One prepared index (NumPy's `npy_index_info`).
enum Prepared<'a> {
    Integer(i64),
    Slice(&'a IndexItem),
    NewAxis,
    /// `...` and how many axes it stands for.
    Ellipsis(usize),
    Fancy {
        shape: &'a [usize],
        values: &'a [i64],
    },
}

/// Applies parsed items to an array of this shape and these strides: what [`index_strided`] does
/// after parsing.
pub fn apply_index(
    shape: &[usize],
    strides: &[isize],
    itemsize: usize,
    items: &[IndexItem],
) -> Result<Indexed, LayoutError> {
    let ndim = shape.len();
    let mut steps = Explanation::default();
    let reads: Vec<String> = items.iter().map(IndexItem::python_repr).collect();
    steps.push(
        Rule::Parse,
        format!(
            "the array {} (strides {}) receives the index ({}{})",
            tuple(shape),
            tuple(strides),
            reads.join(", "),
            if items.len() == 1 { "," } else { "" }
        ),
    );
    let fail = |steps: &mut Explanation, err: LayoutError| -> LayoutError {
        steps.push(
            Rule::Error,
            format!("NumPy raises {} here", err.kind().python_name()),
        );
        err.with_steps(steps.clone())
    };
    if items.len() > MAX_ITEMS {
        return Err(fail(
            &mut steps,
            LayoutError::index("too many indices for array"),
        ));
    }

    // prepare_index: classify every item, in order.
    let mut prepared: Vec<Prepared<'_>> = Vec::with_capacity(items.len() + 1);
    let (mut used, mut new_ndim, mut fancy_ndim) = (0usize, 0usize, 0usize);
    let (mut has_integer, mut has_slice, mut has_newaxis, mut has_fancy) =
        (false, false, false, false);
    let mut ellipsis_at: Option<usize> = None;
    for item in items {
        match item {
            IndexItem::Ellipsis => {
                if ellipsis_at.is_some() {
                    return Err(fail(
                        &mut steps,
                        LayoutError::index("an index can only have a single ellipsis ('...')"),
                    ));
                }
                ellipsis_at = Some(prepared.len());
                prepared.push(Prepared::Ellipsis(0));
            }
            IndexItem::NewAxis => {
                has_newaxis = true;
                new_ndim += 1;
                prepared.push(Prepared::NewAxis);
            }
            IndexItem::Slice { .. } => {
                has_slice = true;
                used += 1;
                new_ndim += 1;
                prepared.push(Prepared::Slice(item));
            }
            IndexItem::Integer(i) => {
                has_integer = true;
                used += 1;
                prepared.push(Prepared::Integer(*i));
            }
            IndexItem::NonInteger(_) => {
                return Err(fail(&mut steps, LayoutError::index(NOT_AN_INDEX)));
            }
            IndexItem::Ragged { detected } => {
                return Err(fail(
                    &mut steps,
                    LayoutError::value(format!(
                        "setting an array element with a sequence. The requested array has an \
                         inhomogeneous shape after {} dimensions. The detected shape was {} + \
                         inhomogeneous part.",
                        detected.len(),
                        tuple(detected)
                    )),
                ));
            }
            IndexItem::Array { shape, values } => {
                has_fancy = true;
                fancy_ndim = fancy_ndim.max(shape.len());
                used += 1;
                prepared.push(Prepared::Fancy { shape, values });
            }
        }
    }
    let mut only_integers = false;
    if used < ndim {
        let rest = ndim - used;
        match ellipsis_at {
            Some(at) => prepared[at] = Prepared::Ellipsis(rest),
            None => {
                ellipsis_at = Some(prepared.len());
                prepared.push(Prepared::Ellipsis(rest));
            }
        }
        new_ndim += rest;
    } else if used > ndim {
        return Err(fail(
            &mut steps,
            LayoutError::index(format!(
                "too many indices for array: array is {ndim}-dimensional, but {used} were indexed"
            )),
        ));
    } else if items.is_empty() {
        // a[()] on a 0-d array is a full integer index: the scalar.
        only_integers = true;
    }
    let has_ellipsis = ellipsis_at.is_some();
    let explicit_ellipsis = items.contains(&IndexItem::Ellipsis);
    if !has_ellipsis && !has_slice && !has_newaxis && !has_fancy && has_integer {
        only_integers = true;
    }
    if (has_newaxis || has_fancy) && new_ndim + fancy_ndim > MAX_DIMS {
        return Err(fail(
            &mut steps,
            LayoutError::index(format!(
                "number of dimensions must be within [0, {MAX_DIMS}], indexing result would have \
                 {}",
                new_ndim + fancy_ndim
            )),
        ));
    }

    if only_integers {
        for (axis, p) in prepared.iter().enumerate() {
            if let Prepared::Integer(i) = p {
                let pos = check_index(*i, shape[axis], axis).map_err(|e| fail(&mut steps, e))?;
                steps.push(
                    Rule::Integer,
                    format!("axis {axis} (size {}): {i} → position {pos}", shape[axis]),
                );
            }
        }
        steps.push(
            Rule::Memory,
            "an integer for every axis: the result is a NumPy scalar, a copy of one element, not \
             a view",
        );
        steps.push(Rule::Result, "result: a scalar, shape ()");
        return Ok(Indexed {
            shape: Vec::new(),
            strides: Vec::new(),
            view: false,
            scalar: true,
            steps,
        });
    }

    // get_view_from_index: the view of every non-array index (the subspace when there are arrays).
    let mut view_shape = Vec::new();
    let mut view_strides = Vec::new();
    let mut orig = 0usize;
    for p in &prepared {
        match p {
            Prepared::Integer(i) => {
                let pos = check_index(*i, shape[orig], orig).map_err(|e| fail(&mut steps, e))?;
                steps.push(
                    Rule::Integer,
                    format!(
                        "axis {orig} (size {}): {i} → position {pos}; the axis is removed",
                        shape[orig]
                    ),
                );
                orig += 1;
            }
            Prepared::Ellipsis(count) => {
                let range = orig..orig + count;
                view_shape.extend_from_slice(&shape[range.clone()]);
                view_strides.extend_from_slice(&strides[range.clone()]);
                let what = match count {
                    0 => "no axis".to_owned(),
                    1 => format!("axis {orig}"),
                    _ => format!("axes {}..{}", orig, orig + count - 1),
                };
                if explicit_ellipsis {
                    steps.push(
                        Rule::Ellipsis,
                        format!("...: stands for {what}, kept whole"),
                    );
                } else if *count > 0 {
                    steps.push(
                        Rule::Ellipsis,
                        format!(
                            "{what} not indexed: kept whole (the index covers {used} of {ndim} \
                             axes, as if it ended with ...)"
                        ),
                    );
                }
                orig += count;
            }
            Prepared::Slice(item) => {
                let IndexItem::Slice { start, stop, step } = item else {
                    unreachable!("prepared from a slice")
                };
                let n = shape[orig];
                let Some((s, e, st, count)) = slice_indices(*start, *stop, *step, n) else {
                    return Err(fail(
                        &mut steps,
                        LayoutError::value("slice step cannot be zero"),
                    ));
                };
                // An empty slice keeps the original stride.
                let (count, st_used) = if count == 0 { (0, 1) } else { (count, st) };
                let stride = strides[orig].wrapping_mul(st_used as isize);
                view_shape.push(count as usize);
                view_strides.push(stride);
                steps.push(
                    Rule::Slice,
                    format!(
                        "axis {orig} (size {n}): {item} → start {s}, stop {e}, step {st}: {count} \
                         {}; stride {} × {st_used} = {stride}",
                        if count == 1 { "element" } else { "elements" },
                        strides[orig]
                    ),
                );
                orig += 1;
            }
            Prepared::NewAxis => {
                view_shape.push(1);
                view_strides.push(0);
                steps.push(Rule::NewAxis, "None: a new axis of size 1 with stride 0");
            }
            Prepared::Fancy {
                shape: ishape,
                values,
            } => {
                steps.push(
                    Rule::Advanced,
                    format!(
                        "axis {orig} (size {}): the integer array {} of shape {} picks positions",
                        shape[orig],
                        nested_list(ishape, values),
                        tuple(ishape)
                    ),
                );
                orig += 1;
            }
        }
    }
    if !has_fancy {
        steps.push(
            Rule::Memory,
            "basic indexing only (integers, slices, None, ...): the result is a view of the same \
             memory",
        );
        steps.push(
            Rule::Result,
            format!(
                "result: shape {}, strides {}, a view",
                tuple(&view_shape),
                tuple(&view_strides)
            ),
        );
        return Ok(Indexed {
            shape: view_shape,
            strides: view_strides,
            view: true,
            scalar: false,
            steps,
        });
    }
    advanced(
        shape,
        itemsize,
        &prepared,
        fancy_ndim,
        (view_shape, view_strides),
        !has_integer && !has_slice && !has_newaxis && !has_ellipsis,
        steps,
    )
}

/// The advanced (integer-array) part: NumPy's mapiter.
fn advanced(
    shape: &[usize],
    itemsize: usize,
    prepared: &[Prepared<'_>],
    fancy_ndim: usize,
    (sub_shape, sub_strides): (Vec<usize>, Vec<isize>),
    only_fancy: bool,
    mut steps: Explanation,
) -> Result<Indexed, LayoutError> {
    let fail = |steps: &mut Explanation, err: LayoutError| -> LayoutError {
        steps.push(
            Rule::Error,
            format!("NumPy raises {} here", err.kind().python_name()),
        );
        err.with_steps(steps.clone())
    };
    // A single array on a 1-D array: NumPy's fast path, a C-ordered copy of the index's shape.
    if only_fancy && prepared.len() == 1 {
        let Prepared::Fancy {
            shape: ishape,
            values,
        } = prepared[0]
        else {
            unreachable!("only an array")
        };
        for &v in values {
            check_index(v, shape[0], 0).map_err(|e| fail(&mut steps, e))?;
        }
        let strides = c_strides(ishape, itemsize);
        return Ok(copy_result(ishape.to_vec(), strides, steps));
    }

    // mapiter_fill_info: where the array axes go, and their broadcast shape.
    let mut consec = 0usize;
    let mut status = -1i32;
    let mut result_dim = 0usize;
    let mut curr_dim = 0usize;
    let mut bshape = vec![1usize; fancy_ndim];
    let mut fancy: Vec<(&[usize], &[i64], usize)> = Vec::new();
    let mut mismatch = false;
    for p in prepared {
        let advanced_like = matches!(p, Prepared::Fancy { .. } | Prepared::Integer(_));
        if advanced_like {
            if status == -1 {
                consec = result_dim;
                status = 0;
            } else if status == 1 {
                status = 2;
                consec = 0;
            }
        } else if status == 0 {
            status = 1;
        }
        match p {
            Prepared::Fancy {
                shape: ishape,
                values,
            } => {
                fancy.push((ishape, values, curr_dim));
                curr_dim += 1;
                let offset = fancy_ndim - ishape.len();
                for (axis, &d) in ishape.iter().enumerate() {
                    let slot = &mut bshape[offset + axis];
                    if d != 1 && d != *slot {
                        if *slot != 1 {
                            mismatch = true;
                        } else {
                            *slot = d;
                        }
                    }
                }
                if mismatch {
                    break;
                }
            }
            Prepared::Ellipsis(count) => {
                curr_dim += count;
                result_dim += count;
            }
            Prepared::NewAxis => result_dim += 1,
            Prepared::Integer(_) | Prepared::Slice(_) => {
                curr_dim += 1;
                result_dim += 1;
            }
        }
    }
    if mismatch {
        let shapes: String = prepared
            .iter()
            .filter_map(|p| match p {
                Prepared::Fancy { shape, .. } => {
                    let dims: Vec<Option<usize>> = shape.iter().copied().map(Some).collect();
                    Some(numpy_shape_string(&dims, " "))
                }
                _ => None,
            })
            .collect();
        return Err(fail(
            &mut steps,
            LayoutError::index(format!(
                "shape mismatch: indexing arrays could not be broadcast together with shapes \
                 {shapes}"
            )),
        ));
    }
    if fancy.len() > 1 || prepared.iter().any(|p| matches!(p, Prepared::Integer(_))) {
        steps.push(
            Rule::Advanced,
            format!(
                "the integer arrays broadcast together to {}",
                tuple(&bshape)
            ),
        );
    }
    let subspace = !only_fancy;
    let mut full: Vec<usize> = bshape.clone();
    if subspace {
        full.extend_from_slice(&sub_shape);
    }
    if checked_size(&full).is_none() {
        return Err(fail(
            &mut steps,
            LayoutError::value("advanced indexing operation result is too large"),
        ));
    }
    if checked_size(&bshape) != Some(0) {
        for (ishape, values, axis) in &fancy {
            let _ = ishape;
            for &v in values.iter() {
                check_index(v, shape[*axis], *axis).map_err(|e| fail(&mut steps, e))?;
            }
        }
    }

    // The copy NumPy allocates: array axes outermost, in C order; the other axes (the subspace)
    // inside, ordered by the magnitude of their strides in the indexed array.
    let sub_size: usize = if subspace {
        checked_size(&sub_shape).unwrap_or(0)
    } else {
        1
    };
    let inner = if sub_size == 1 { 1 } else { sub_size };
    let mut alloc_strides = c_strides(&bshape, itemsize.saturating_mul(inner));
    if subspace {
        let mut perm: Vec<usize> = (0..sub_shape.len()).collect();
        // Largest |stride| first, ties by axis: NumPy's PyArray_CreateSortedStridePerm.
        perm.sort_by(|&x, &y| {
            sub_strides[y]
                .unsigned_abs()
                .cmp(&sub_strides[x].unsigned_abs())
                .then(x.cmp(&y))
        });
        let mut sub = vec![0isize; sub_shape.len()];
        let mut stride = itemsize as isize;
        for &axis in perm.iter().rev() {
            sub[axis] = stride;
            stride = stride.saturating_mul(sub_shape[axis] as isize);
        }
        alloc_strides.extend(sub);
    }
    if full.contains(&0) {
        alloc_strides.iter_mut().for_each(|s| *s = 0);
    }
    let (shape_out, strides_out) = if consec > 0 {
        // Move the array axes to position `consec`.
        let order: Vec<usize> = (fancy_ndim..fancy_ndim + consec)
            .chain(0..fancy_ndim)
            .chain(fancy_ndim + consec..full.len())
            .collect();
        let axes = if fancy_ndim == 1 {
            "the broadcast axis takes".to_owned()
        } else {
            format!("the {fancy_ndim} broadcast axes take")
        };
        steps.push(
            Rule::Advanced,
            format!(
                "the advanced indices are next to each other: {axes} their place, at position \
                 {consec}"
            ),
        );
        (
            order.iter().map(|&i| full[i]).collect(),
            order.iter().map(|&i| alloc_strides[i]).collect(),
        )
    } else {
        if status == 2 {
            steps.push(
                Rule::Advanced,
                "the advanced indices are separated by a slice, None or ...: their axes go first",
            );
        } else if subspace && !full.is_empty() {
            steps.push(
                Rule::Advanced,
                "the advanced indices come first: their axes lead",
            );
        }
        (full, alloc_strides)
    };
    steps.push(
        Rule::Memory,
        "advanced indexing copies: NumPy allocates a new array with the array axes outermost in \
         memory and the other axes in the indexed array's memory order",
    );
    Ok(copy_result(shape_out, strides_out, steps))
}

fn copy_result(shape: Vec<usize>, strides: Vec<isize>, mut steps: Explanation) -> Indexed {
    steps.push(
        Rule::Result,
        format!(
            "result: shape {}, strides {}, a copy",
            tuple(&shape),
            tuple(&strides)
        ),
    );
    Indexed {
        shape,
        strides,
        view: false,
        scalar: false,
        steps,
    }
}

/// NumPy's `check_and_adjust_index`: the position, or its `IndexError`.
fn check_index(i: i64, size: usize, axis: usize) -> Result<usize, LayoutError> {
    let n = size as i128;
    let v = i as i128;
    if v < -n || v >= n {
        return Err(LayoutError::new(
            ErrorKind::IndexError,
            format!("index {i} is out of bounds for axis {axis} with size {size}"),
        ));
    }
    Ok(if v < 0 { (v + n) as usize } else { v as usize })
}

/// Python's `slice(start, stop, step).indices(n)` and the element count
/// (`PySlice_GetIndicesEx`); `None` for a zero step.
fn slice_indices(
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
    length: usize,
) -> Option<(i128, i128, i128, i128)> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return None;
    }
    // PySlice_Unpack clamps the step to -PY_SSIZE_T_MAX.
    let step = i128::from(step.max(-i64::MAX));
    let (max, min) = (i128::from(i64::MAX), i128::from(i64::MIN));
    let mut start = start.map_or(if step < 0 { max } else { 0 }, i128::from);
    let mut stop = stop.map_or(if step < 0 { min } else { max }, i128::from);
    let len = length as i128;
    for bound in [&mut start, &mut stop] {
        if *bound < 0 {
            *bound += len;
            if *bound < 0 {
                *bound = if step < 0 { -1 } else { 0 };
            }
        } else if *bound >= len {
            *bound = if step < 0 { len - 1 } else { len };
        }
    }
    let count = if step < 0 {
        if stop < start {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        }
    } else if start < stop {
        (stop - start - 1) / step + 1
    } else {
        0
    };
    Some((start, stop, step, count))
}
