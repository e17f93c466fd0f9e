//! A seeded uniform sample of rows that does not depend on how the rows were chunked.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use crate::error::{invalid, KernelError, Result};

/// A uniform random sample of at most `k` rows of `p` values, the same whatever the chunking and
/// the merge order.
///
/// Every row has a global 0-based index `r` and a priority `h(seed, r)`, the `(r+1)`-th output
/// of a SplitMix64 generator started at `seed` (Steele, Lea & Flood, "Fast splittable
/// pseudorandom number generators", OOPSLA 2014): its finaliser is a bijection of 64-bit words,
/// so distinct rows have distinct priorities and ties cannot occur. The sample is the `k` rows
/// with the smallest priorities, a bottom-k sample (Cohen & Kaplan, "Summarizing data using
/// bottom-k sketches", PODC 2007): every `k`-subset is equally likely, and since it is a function
/// of the set of rows alone, any split merged in any order gives the same sample.
///
/// The state is a buffer of candidate rows, their values in one flat vector, and a threshold:
/// the largest priority of the `k` smallest seen so far. A row whose priority is not below the
/// threshold cannot enter and costs `O(1)`; one that is below joins the buffer in `O(p)`. When
/// the buffer holds `3k/2` rows, a selection (`O(k)`) keeps the `k` smallest and lowers the
/// threshold, so a row costs `O(p)` amortised and the state never walks a heap that has left
/// the cache. Row indices must be distinct across all the states that are merged.
///
/// ```
/// use brisk_kernels::accumulate::Reservoir;
/// let rows: Vec<[f64; 2]> = (0..100).map(|r| [r as f64, -(r as f64)]).collect();
/// let mut whole = Reservoir::new(5, 2, 42);
/// for (r, row) in rows.iter().enumerate() {
///     whole.add(r as u64, row)?;
/// }
/// let (mut odd, mut even) = (Reservoir::new(5, 2, 42), Reservoir::new(5, 2, 42));
/// for (r, row) in rows.iter().enumerate() {
///     if r % 2 == 1 { odd.add(r as u64, row)? } else { even.add(r as u64, row)? }
/// }
/// even.merge(&odd)?;
/// assert_eq!((even.len(), even.seen()), (5, 100));
/// let (indices, values) = even.finish();
/// assert_eq!((indices, values), whole.finish());
/// # Ok::<(), brisk_kernels::KernelError>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "ReservoirState", into = "ReservoirState")]
pub struct Reservoir {
    capacity: usize,
    width: usize,
    seed: u64,
    seen: u64,
    /// The candidates, at most `3k/2`: they include the `k` of smallest priority seen.
    kept: Vec<Kept>,
    /// The candidates' values: candidate `i` at `i·p..(i + 1)·p`.
    values: Vec<f64>,
    /// Rows of this priority or more cannot be among the `k` smallest (`u64::MAX` until `k`
    /// rows have been seen).
    threshold: u64,
}

/// A candidate row: its priority and its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Kept {
    priority: u64,
    row: u64,
}

impl Reservoir {
    /// An empty sample of at most `k` rows of `p` values, drawn with `seed`.
    pub fn new(k: usize, p: usize, seed: u64) -> Reservoir {
        Reservoir {
            capacity: k,
            width: p,
            seed,
            seen: 0,
            kept: Vec::new(),
            values: Vec::new(),
            threshold: u64::MAX,
        }
    }

    /// Offers row `row_index` with its `p` values.
    ///
    /// # Errors
    /// [`KernelError::ShapeMismatch`] when `values` does not hold `p` values.
    pub fn add(&mut self, row_index: u64, values: &[f64]) -> Result<()> {
        if values.len() != self.width {
            return Err(KernelError::ShapeMismatch(format!(
                "a sample of rows of {} values, the row has {}",
                self.width,
                values.len()
            )));
        }
        self.seen += 1;
        self.offer(
            priority(self.seed, row_index),
            row_index,
            values.iter().copied(),
        );
        Ok(())
    }

    /// Offers the rows of a block (`rows × p`, any memory order): row `i` of `x` is row
    /// `indices[i]`. Only a row that enters the sample is read; the sample is the one
    /// [`add`](Self::add) row by row would give.
    ///
    /// ```
    /// use brisk_kernels::accumulate::Reservoir;
    /// use ndarray::ShapeBuilder;
    /// // Three rows of two columns, column-major.
    /// let x = ndarray::ArrayView2::from_shape((3, 2).f(), &[1.0, 2.0, 3.0, -1.0, -2.0, -3.0])?;
    /// let mut sample = Reservoir::new(5, 2, 42);
    /// sample.add_rows(&[10, 11, 12], x)?;
    /// assert_eq!((sample.len(), sample.seen()), (3, 3));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`KernelError::ShapeMismatch`] unless `x` has `p` columns and a row per index.
    pub fn add_rows(&mut self, indices: &[u64], x: ArrayView2<'_, f64>) -> Result<()> {
        if x.ncols() != self.width || x.nrows() != indices.len() {
            return Err(KernelError::ShapeMismatch(format!(
                "a sample of rows of {} values, a block of {} × {} with {} row indices",
                self.width,
                x.nrows(),
                x.ncols(),
                indices.len()
            )));
        }
        self.seen += indices.len() as u64;
        for (i, &index) in indices.iter().enumerate() {
            // The row's values are read only if `offer` keeps it.
            self.offer(priority(self.seed, index), index, x.row(i).iter().copied());
        }
        Ok(())
    }

    /// Offers rows `first_row, first_row + 1, …` given as `p` columns of one length. Only a
    /// row that enters the sample is read, so a batch costs one priority a row, not a copy:
    /// the sample is the one [`add`](Self::add) row by row would give.
    ///
    /// ```
    /// use brisk_kernels::accumulate::Reservoir;
    /// let (a, b) = ([1.0, 2.0, 3.0], [-1.0, -2.0, -3.0]);
    /// let mut by_columns = Reservoir::new(2, 2, 42);
    /// by_columns.add_columns(10, &[&a, &b])?;
    /// let mut by_rows = Reservoir::new(2, 2, 42);
    /// for r in 0..3 {
    ///     by_rows.add(10 + r as u64, &[a[r], b[r]])?;
    /// }
    /// assert_eq!(by_columns.finish(), by_rows.finish());
    /// # Ok::<(), brisk_kernels::KernelError>(())
    /// ```
    ///
    /// # Errors
    /// [`KernelError::ShapeMismatch`] unless there are `p` columns of one length.
    pub fn add_columns(&mut self, first_row: u64, columns: &[&[f64]]) -> Result<()> {
        let rows = columns.first().map_or(0, |c| c.len());
        if columns.len() != self.width || columns.iter().any(|c| c.len() != rows) {
            return Err(KernelError::ShapeMismatch(format!(
                "a sample of rows of {} values, {} columns of lengths {:?}",
                self.width,
                columns.len(),
                columns.iter().map(|c| c.len()).collect::<Vec<_>>()
            )));
        }
        self.seen += rows as u64;
        for i in 0..rows {
            let row = first_row + i as u64;
            self.offer(priority(self.seed, row), row, columns.iter().map(|c| c[i]));
        }
        Ok(())
    }

    /// Adds the rows offered to `other` (whose row indices must differ from this state's).
    ///
    /// # Errors
    /// [`KernelError::InvalidParameter`] unless both samples have the same `k`, `p` and seed.
    pub fn merge(&mut self, other: &Reservoir) -> Result<()> {
        let shape = |r: &Reservoir| (r.capacity, r.width, r.seed);
        if shape(self) != shape(other) {
            return Err(invalid(
                "seed",
                format!(
                    "samples with different (k, p, seed) cannot be merged: {:?} and {:?}",
                    shape(self),
                    shape(other)
                ),
            ));
        }
        self.seen += other.seen;
        for (i, kept) in other.kept.iter().enumerate() {
            let values = &other.values[i * other.width..(i + 1) * other.width];
            self.offer(kept.priority, kept.row, values.iter().copied());
        }
        Ok(())
    }

    /// The number of rows kept, `min(k, seen)`.
    pub fn len(&self) -> usize {
        self.kept.len().min(self.capacity)
    }

    /// Whether no row is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of rows offered.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// The sample: the kept rows' indices in increasing order and their values (`len × p`).
    pub fn finish(mut self) -> (Vec<u64>, Array2<f64>) {
        self.keep_smallest();
        let mut order: Vec<usize> = (0..self.kept.len()).collect();
        order.sort_unstable_by_key(|&i| self.kept[i].row);
        let p = self.width;
        let values =
            Array2::from_shape_fn((order.len(), p), |(i, j)| self.values[order[i] * p + j]);
        (order.iter().map(|&i| self.kept[i].row).collect(), values)
    }

    /// The heap memory held, in bytes: the candidates and their values.
    pub fn heap_bytes(&self) -> usize {
        self.kept.capacity() * size_of::<Kept>() + self.values.capacity() * size_of::<f64>()
    }

    /// The most candidates held before the `k` smallest are selected.
    fn limit(&self) -> usize {
        self.capacity + self.capacity / 2
    }

    /// Keeps the row if its priority is below the threshold; selects the `k` smallest when the
    /// buffer is full.
    fn offer(&mut self, priority: u64, row: u64, values: impl Iterator<Item = f64>) {
        if priority >= self.threshold || self.capacity == 0 {
            return;
        }
        if self.kept.is_empty() {
            self.kept.reserve_exact(self.limit());
            self.values.reserve_exact(self.limit() * self.width);
        }
        self.kept.push(Kept { priority, row });
        self.values.extend(values);
        if self.kept.len() >= self.limit() {
            self.keep_smallest();
        }
    }

    /// Drops every candidate but the `k` of smallest priority, which then set the threshold.
    fn keep_smallest(&mut self) {
        let k = self.capacity;
        if self.kept.len() < k {
            return;
        }
        if self.kept.len() > k {
            let mut order: Vec<usize> = (0..self.kept.len()).collect();
            order.select_nth_unstable_by_key(k - 1, |&i| self.kept[i].priority);
            order.truncate(k);
            // In place, to the front: with the chosen slots ascending, slot `order[i] ≥ i` has
            // not been written over when candidate `i` takes it.
            order.sort_unstable();
            let p = self.width;
            for (to, &from) in order.iter().enumerate() {
                self.kept[to] = self.kept[from];
                self.values.copy_within(from * p..(from + 1) * p, to * p);
            }
            self.kept.truncate(k);
            self.values.truncate(k * p);
        }
        let largest = self.kept.iter().map(|c| c.priority).max();
        self.threshold = largest.unwrap_or(u64::MAX);
    }
}

/// Two samples are equal when they have the same parameters, have seen as many rows and keep the
/// same rows with the same values (whatever candidates they also hold).
impl PartialEq for Reservoir {
    fn eq(&self, other: &Self) -> bool {
        ReservoirState::from(self.clone()) == ReservoirState::from(other.clone())
    }
}

/// The priority of row `r` under `seed`: SplitMix64's output for the state `seed + (r+1)·γ`.
fn priority(seed: u64, row: u64) -> u64 {
    const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut z = seed.wrapping_add(row.wrapping_add(1).wrapping_mul(GAMMA));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The serialized form of [`Reservoir`]: the kept rows by increasing index, the threshold rebuilt
/// from their priorities when read.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct ReservoirState {
    k: usize,
    p: usize,
    seed: u64,
    seen: u64,
    rows: Vec<u64>,
    values: Vec<f64>,
}

impl From<Reservoir> for ReservoirState {
    fn from(reservoir: Reservoir) -> Self {
        let (k, p, seed, seen) = (
            reservoir.capacity,
            reservoir.width,
            reservoir.seed,
            reservoir.seen,
        );
        let (rows, values) = reservoir.finish();
        ReservoirState {
            k,
            p,
            seed,
            seen,
            rows,
            values: values.into_iter().collect(),
        }
    }
}

impl TryFrom<ReservoirState> for Reservoir {
    type Error = String;

    fn try_from(state: ReservoirState) -> std::result::Result<Self, String> {
        if state.rows.len() > state.k || state.values.len() != state.rows.len() * state.p {
            return Err(format!(
                "a sample of at most {} rows of {} values cannot hold {} rows and {} values",
                state.k,
                state.p,
                state.rows.len(),
                state.values.len()
            ));
        }
        let kept = state
            .rows
            .iter()
            .map(|&row| Kept {
                priority: priority(state.seed, row),
                row,
            })
            .collect();
        let mut reservoir = Reservoir {
            capacity: state.k,
            width: state.p,
            seed: state.seed,
            seen: state.seen,
            kept,
            values: state.values,
            threshold: u64::MAX,
        };
        reservoir.keep_smallest();
        Ok(reservoir)
    }
}

#[cfg(test)]
mod tests;
