//! Complete rows of a batch: the rows where every column of a set holds a finite number, gathered
//! into a row-major block (pandas' `dropna()`, infinities dropped too, as scikit-learn refuses them).

use brisk_data::batch::{Batch, BatchColumn};
use ndarray::Array2;

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
pub(crate) fn complete(batch: &Batch, columns: &[Option<&[f64]>]) -> Vec<bool> {
    let mut keep = vec![columns.iter().all(Option::is_some); batch.rows()];
    for values in columns.iter().flatten() {
        for (k, x) in keep.iter_mut().zip(values.iter()) {
            *k &= x.is_finite();
        }
    }
    keep
}

/// The kept rows of `columns` as a row-major `rows × columns` block.
pub(crate) fn gather(columns: &[Option<&[f64]>], keep: &[bool]) -> Array2<f64> {
    let rows = keep.iter().filter(|&&k| k).count();
    let mut block = Array2::zeros((rows, columns.len()));
    for (j, values) in columns.iter().enumerate() {
        let Some(values) = values else { continue };
        let mut i = 0;
        for (&x, &k) in values.iter().zip(keep) {
            if k {
                block[[i, j]] = x;
                i += 1;
            }
        }
    }
    block
}
