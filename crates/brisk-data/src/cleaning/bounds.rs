//! Step 5's bounds as pandas computes them, to the last bit: a row whose value sits within an
//! ulp of a bound survives or goes as it does in pandas.
//!
//! pandas takes a float column's mean as `numpy.sum(x) / n` (NumPy's pairwise order; an `int64`
//! column is summed through NumPy's cast buffers) and its standard deviation in two passes,
//! `sqrt(numpy.sum((mean − x)²) / (n − 1))` (`nanops.nanmean`, `nanops.nanvar`; without
//! bottleneck, which pandas does not use for the mean). The moments of the fill state give the
//! same figures correctly rounded, which can differ from these in the last bits; the two passes
//! here, over the filled distinct rows of the median-filled columns only, give pandas' own.

use brisk_kernels::numeric::{NumpySum, SumOrder};

use super::fill::PlannedColumn;
use super::PreparedClean;
use crate::batch::{BatchColumn, BatchPass, Batches, SpilledColumns};
use crate::error::Result;
use crate::input::Input;

/// A median-filled column whose bounds the passes settle.
struct Bounded {
    column: usize,
    fill: Option<f64>,
    order: SumOrder,
}

/// Replaces the bounds of `columns` (those of them the plan bounds) by pandas' own, in two
/// passes over `spilled` when given, else over `input` decoding only them. Returns `false` when
/// the passes did not see `rows` rows: the input changed.
///
/// # Errors
/// The reader's errors.
pub(crate) fn settle_bounds(
    input: &Input,
    prepared: &mut PreparedClean,
    spilled: Option<&SpilledColumns>,
    columns: &[usize],
    batch_rows: usize,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<bool> {
    let PreparedClean {
        types,
        duplicates,
        plan,
        rows,
        ..
    } = prepared;
    let (types, duplicates, rows) = (&*types, &*duplicates, *rows);
    let bounded: Vec<Bounded> = plan
        .columns
        .iter()
        .enumerate()
        .filter(|(column, _)| columns.contains(column))
        .filter_map(|(column, planned)| match planned {
            PlannedColumn::Numbers {
                fill,
                bounds: Some(_),
            } => Some(Bounded {
                column,
                fill: *fill,
                order: if types.is_integer(column) {
                    SumOrder::Cast
                } else {
                    SumOrder::Contiguous
                },
            }),
            _ => None,
        })
        .collect();
    if bounded.is_empty() {
        return Ok(true);
    }
    let n = rows - duplicates.count();
    let columns: Vec<usize> = bounded.iter().map(|b| b.column).collect();
    let columns = &columns;
    let mut pass = |term: &dyn Fn(usize, f64) -> f64, orders: &dyn Fn(&Bounded) -> SumOrder| {
        let mut sums: Vec<NumpySum> = bounded
            .iter()
            .map(|b| NumpySum::new(n, orders(b)))
            .collect();
        let replay = spilled.and_then(|s| s.replay_columns(types, columns));
        let mut batches: Box<dyn BatchPass> = match replay {
            Some(replay) => Box::new(replay),
            None => {
                let mut batches = Batches::with_types(input, types, batch_rows)?;
                batches.decode_only(columns);
                Box::new(batches)
            }
        };
        let mut seen = 0;
        while let Some(batch) = batches.next_batch()? {
            seen += batch.rows() as u64;
            let first = batch.first_row();
            for (k, (b, sum)) in bounded.iter().zip(&mut sums).enumerate() {
                let BatchColumn::Numeric(values) = batch.column(b.column) else {
                    continue;
                };
                for (r, &x) in values.values().iter().enumerate() {
                    if !duplicates.contains(first + r as u64) {
                        let x = if x.is_nan() { b.fill.unwrap_or(x) } else { x };
                        sum.add(term(k, x));
                    }
                }
            }
            let (bytes, total) = batches.progress();
            progress(bytes, total);
        }
        let sums: Option<Vec<f64>> = sums.iter().map(NumpySum::finish).collect();
        Ok::<_, crate::error::DataError>(sums.filter(|_| seen == rows))
    };
    let count = n as f64;
    let Some(sums) = pass(&|_, x| x, &|b| b.order)? else {
        return Ok(false);
    };
    let means: Vec<f64> = sums.iter().map(|s| s / count).collect();
    // `(mean − x) ** 2` of the values as float64, summed as a contiguous float64 array.
    let squared = |k: usize, x: f64| (means[k] - x) * (means[k] - x);
    let Some(squares) = pass(&squared, &|_| SumOrder::Contiguous)? else {
        return Ok(false);
    };
    for ((b, mean), square) in bounded.iter().zip(&means).zip(squares) {
        let std = if n > 1 {
            (square / (count - 1.0)).sqrt()
        } else {
            f64::NAN
        };
        plan.set_bounds(b.column, *mean, std);
    }
    Ok(true)
}
