//! Complete rows of a batch: the rows where every column of a set holds a finite number, gathered
//! into a column-major block (pandas' `dropna()`, infinities dropped too, as scikit-learn refuses them).

use brisk_data::batch::{Batch, BatchColumn};
use ndarray::{ArrayView2, ShapeBuilder};

/// The numeric columns of a batch by index, `None` for a column that is not numeric in it.
pub(crate) fn numeric_columns<'a>(batch: &'a Batch, columns: &[usize]) -> Vec<Option<&'a [f64]>> {
    columns
        .iter()
        .map(|&j| match batch.column(j) {
            BatchColumn::Numeric(c) => Some(c.values()),
            BatchColumn::Text(_) => None,
        })
        .collect()
}

/// Which rows of a batch have every one of `columns` finite; none when a column is not numeric.
///
/// The test runs in AVX2 where the processor has it (the portable build has no 64-bit integer
/// comparison to vectorise `is_finite` with).
pub(crate) fn complete(batch: &Batch, columns: &[Option<&[f64]>]) -> Vec<bool> {
    let mut keep = vec![columns.iter().all(Option::is_some); batch.rows()];
    brisk_kernels::simd::with_avx2(
        #[inline(always)]
        || {
            for values in columns.iter().flatten() {
                for (k, x) in keep.iter_mut().zip(values.iter()) {
                    *k &= x.is_finite();
                }
            }
        },
    );
    keep
}

/// The kept rows of `columns` as a column-major `rows × columns` block (zeros for a `None`
/// column), written into `cells`: a buffer the caller keeps from batch to batch and that only
/// grows, so that no block is allocated, zeroed or faulted in anew for every batch. Column by
/// column, the reads and writes are sequential, and a batch whose rows are all kept is copied
/// whole.
pub(crate) fn gather<'c>(
    columns: &[Option<&[f64]>],
    keep: &[bool],
    cells: &'c mut Vec<f64>,
) -> ArrayView2<'c, f64> {
    let width = columns.len();
    let rows = keep.iter().filter(|&&k| k).count();
    // One spare cell past the last column, for `compact`.
    grow(cells, rows * width + 1);
    for (j, values) in columns.iter().enumerate() {
        // Column `j` and everything after it: at least `rows + 1` cells.
        let slots = &mut cells[j * rows..];
        match values {
            Some(values) if rows == keep.len() => slots[..rows].copy_from_slice(values),
            Some(values) => compact(slots, values.iter().copied(), keep),
            None => slots[..rows].fill(0.0),
        }
    }
    ArrayView2::from_shape((rows, width).f(), &cells[..rows * width]).expect("rows × width cells")
}

/// Grows `buffer` to at least `len` cells, never shrinking it (its cells are written before they
/// are read).
pub(crate) fn grow(buffer: &mut Vec<f64>, len: usize) {
    if buffer.len() < len {
        buffer.resize(len, 0.0);
    }
}

/// Writes the values of `values` whose `keep` is true to the front of `slots`, in order; `slots`
/// must hold one cell more than the kept values. Every value is written and only a kept one moves
/// the end on: no branch per value, which a few scattered incomplete rows would make
/// mispredicted.
pub(crate) fn compact(slots: &mut [f64], values: impl Iterator<Item = f64>, keep: &[bool]) {
    let mut end = 0;
    for (x, &k) in values.zip(keep) {
        slots[end] = x;
        end += usize::from(k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brisk_data::batch::NumericColumn;

    #[test]
    fn complete_rows_have_every_column_finite() {
        let a = [1.0, f64::NAN, 3.0, 4.0, 5.0, 6.0, 7.0];
        let b = [1.0, 2.0, f64::INFINITY, 4.0, f64::NEG_INFINITY, 6.0, -0.0];
        let column = |v: &[f64]| BatchColumn::Numeric(NumericColumn::new(v.to_vec()));
        let batch = Batch::from_columns(0, vec![column(&a), column(&b)]);
        let keep = complete(&batch, &numeric_columns(&batch, &[0, 1]));
        assert_eq!(keep, [true, false, false, true, false, true, true]);
    }

    #[test]
    fn compact_is_the_filter() {
        let values: Vec<f64> = (0..100).map(|i| i as f64 * 0.5).collect();
        for pattern in [0usize, 1, 3, 7] {
            let keep: Vec<bool> = (0..100).map(|i| pattern == 0 || i % pattern != 0).collect();
            let kept = keep.iter().filter(|&&k| k).count();
            let mut slots = vec![-1.0; kept + 1];
            compact(&mut slots, values.iter().copied(), &keep);
            let plain = values.iter().zip(&keep).filter(|(_, &k)| k);
            let plain: Vec<f64> = plain.map(|(&x, _)| x).collect();
            assert_eq!(slots[..kept], plain[..]);
        }
    }

    #[test]
    fn gather_is_the_plain_cell_by_cell_copy() {
        let a: Vec<f64> = (0..50).map(|i| i as f64).collect();
        let b: Vec<f64> = (0..50).map(|i| (i * 7 % 11) as f64 - 0.5).collect();
        let keep: Vec<bool> = (0..50).map(|i| i % 3 != 1).collect();
        let columns = [Some(&a[..]), None, Some(&b[..])];
        let mut cells = Vec::new();
        let block = gather(&columns, &keep, &mut cells);
        let kept: Vec<usize> = (0..50).filter(|&r| keep[r]).collect();
        assert_eq!(block.dim(), (kept.len(), 3));
        for (i, &r) in kept.iter().enumerate() {
            assert_eq!(block.row(i).to_vec(), vec![a[r], 0.0, b[r]]);
        }
        assert_eq!(gather(&[], &keep, &mut cells).dim(), (kept.len(), 0));
        // Every row kept: the columns copied whole.
        let all = gather(&columns, &[true; 50], &mut cells);
        for r in 0..50 {
            assert_eq!(all.row(r).to_vec(), vec![a[r], 0.0, b[r]]);
        }
    }
}
