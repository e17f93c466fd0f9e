//! Lloyd's iteration: assign every point to its nearest centre, move every centre to the mean of
//! its points. The assignment is the hot loop; it runs on a register-blocked kernel compiled for
//! AVX2+FMA when the CPU has them (detected at run time) and for the baseline otherwise.

use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;

/// Points per parallel task, at least; the partition is fixed so results do not depend on the
/// number of threads.
const CHUNK_ROWS: usize = 4_096;
/// At most this many partial sums.
const MAX_CHUNKS: usize = 64;
/// Centres per register block.
const W: usize = 8;
/// Points per register block.
const P: usize = 4;

/// What one Lloyd run ends with (in the coordinates it was given).
pub(crate) struct LloydRun {
    pub labels: Vec<u32>,
    pub centres: Array2<f64>,
    pub inertia: f64,
    pub n_iter: usize,
}

/// Runs Lloyd's algorithm on the rows of `x` (whose squared norms are `norms`) from `centres` as `sklearn.cluster._kmeans._kmeans_single_lloyd` does:
/// stop when an assignment equals the previous one ("strict convergence") or when the summed
/// squared centre shift is at most `tol`, after `max_iter` iterations at most; if not strictly
/// converged, assign once more so that the labels match the final centres; the inertia is
/// `Σ ‖x_i − c_{label i}‖²`.
///
/// The assignments are Lloyd's, but most points skip the distance computation: Hamerly's bounds
/// (an upper bound on the distance to the assigned centre, a lower bound on the distance to any
/// other, both moved by how far the centres moved) prove that a point keeps its centre whenever
/// the squared-distance gap they leave exceeds `10⁻¹⁰ (‖x‖² + max ‖c‖²)`, a margin far above the
/// rounding of the distances, so the labels are those of the full search.
///
/// Reference: Hamerly, "Making k-means even faster", SIAM SDM 2010.
pub(crate) fn lloyd(
    x: ArrayView2<'_, f64>,
    norms: &[f64],
    mut centres: Array2<f64>,
    max_iter: usize,
    tol: f64,
) -> LloydRun {
    let n = x.nrows();
    let k = centres.nrows();
    let mut labels = vec![0u32; n];
    let mut bounds = Bounds::new(norms);
    let (mut sums, mut counts) = (Array2::zeros((k, x.ncols())), vec![0.0; k]);
    let mut strict = false;
    let mut n_iter = 0;
    for i in 0..max_iter {
        n_iter = i + 1;
        let transfers = bounds.assign(x, centres.view(), &mut labels);
        let changed = apply_transfers(&transfers, &mut sums, &mut counts);
        let moved = update_centres(x, centres.view(), &labels, sums.clone(), counts.clone());
        let shift = bounds.shift(centres.view(), moved.view());
        centres = moved;
        if !changed {
            strict = true;
            break;
        }
        if shift <= tol {
            break;
        }
    }
    if !strict {
        bounds.assign(x, centres.view(), &mut labels);
    }
    let inertia = inertia(x, centres.view(), &labels);
    LloydRun {
        labels,
        centres,
        inertia,
        n_iter,
    }
}

/// Hamerly's per-point bounds: `upper` ≥ the distance to the assigned centre, `lower` ≤ the
/// distance to every other centre.
struct Bounds<'a> {
    norms: &'a [f64],
    upper: Vec<f64>,
    lower: Vec<f64>,
    valid: bool,
    /// The last centre moves, applied to the bounds in the next assignment's pass.
    pending: Option<Moves>,
}

/// How far each centre moved, and the two largest moves (with the index of the largest).
struct Moves {
    moved: Vec<f64>,
    farthest: usize,
    first: f64,
    second: f64,
}

impl<'a> Bounds<'a> {
    /// No bounds yet, for the points of squared norms `norms`.
    fn new(norms: &'a [f64]) -> Bounds<'a> {
        let n = norms.len();
        Bounds {
            norms,
            upper: vec![f64::INFINITY; n],
            lower: vec![0.0; n],
            valid: false,
            pending: None,
        }
    }

    /// Labels every point with its nearest centre, searching only where the bounds do not
    /// decide, and tightens the bounds of the points searched. Returns the points that changed
    /// cluster, gathered while their rows are still in cache; on the first assignment every
    /// point enters its cluster.
    fn assign(
        &mut self,
        x: ArrayView2<'_, f64>,
        centres: ArrayView2<'_, f64>,
        labels: &mut [u32],
    ) -> Vec<Transfers> {
        let (n, d) = x.dim();
        let k = centres.nrows();
        let packed = PackedCentres::new(centres);
        let largest = packed.norms[..centres.nrows()]
            .iter()
            .fold(0.0f64, |m, &v| m.max(v));
        let data = x
            .as_slice()
            .expect("k-means works on a standard-layout copy of the data");
        let chunk = CHUNK_ROWS.max(n.div_ceil(MAX_CHUNKS));
        let valid = self.valid;
        let pending = self.pending.take();
        let transfers = data
            .par_chunks(chunk * d.max(1))
            .zip(labels.par_chunks_mut(chunk))
            .zip(self.upper.par_chunks_mut(chunk))
            .zip(self.lower.par_chunks_mut(chunk))
            .zip(self.norms.par_chunks(chunk))
            .map(|((((rows, labels), upper), lower), norms)| {
                if let Some(m) = &pending {
                    for ((u, l), &a) in upper.iter_mut().zip(lower.iter_mut()).zip(labels.iter()) {
                        let a = a as usize;
                        *u += m.moved[a];
                        *l -= if a == m.farthest { m.second } else { m.first };
                    }
                }
                let todo: Vec<usize> = (0..labels.len())
                    .filter(|&i| {
                        let (u, l) = (upper[i], lower[i]);
                        let margin = 1e-10 * (norms[i] + largest) + 1e-300;
                        !(valid && l > u && (l - u) * (l + u) > margin)
                    })
                    .collect();
                let picked: Vec<&[f64]> = todo.iter().map(|&i| &rows[i * d..(i + 1) * d]).collect();
                let mut found = vec![Nearest::default(); todo.len()];
                nearest_of(&picked, &packed, &mut found);
                let mut transfers = Transfers::default();
                for (&i, f) in todo.iter().zip(&found) {
                    let row = &rows[i * d..(i + 1) * d];
                    if !valid {
                        transfers.record(row, None, f.label, k);
                    } else if f.label != labels[i] {
                        transfers.record(row, Some(labels[i]), f.label, k);
                    }
                    labels[i] = f.label;
                    upper[i] = (f.best + norms[i]).max(0.0).sqrt();
                    lower[i] = (f.second + norms[i]).max(0.0).sqrt();
                }
                transfers
            })
            .collect();
        self.valid = true;
        transfers
    }

    /// Records how far the centres moved from `old` to `new`; the next [`Bounds::assign`] moves
    /// the bounds by it in its own (parallel) pass. Returns scikit-learn's `center_shift_tot`,
    /// the sum of the squared moves.
    fn shift(&mut self, old: ArrayView2<'_, f64>, new: ArrayView2<'_, f64>) -> f64 {
        let moved: Vec<f64> = old
            .outer_iter()
            .zip(new.outer_iter())
            .map(|(a, b)| {
                a.iter()
                    .zip(b)
                    .map(|(p, q)| (p - q) * (p - q))
                    .sum::<f64>()
                    .sqrt()
            })
            .collect();
        let (mut first, mut second, mut farthest) = (0.0f64, 0.0f64, usize::MAX);
        for (j, &m) in moved.iter().enumerate() {
            if m > first {
                (second, first, farthest) = (first, m, j);
            } else if m > second {
                second = m;
            }
        }
        let total = moved.iter().map(|m| m * m).sum();
        self.pending = Some(Moves {
            moved,
            farthest,
            first,
            second,
        });
        total
    }
}

/// What the points that changed cluster in one part of the rows do to the per-cluster sums and
/// counts: each adds its row to its new cluster and subtracts it from its old one (if any; the
/// first assignment sums every cluster afresh). Empty when no point changed. After the first
/// iterations few points move, so updating the sums by these transfers reads far fewer rows than
/// summing the clusters afresh.
#[derive(Default, Clone)]
pub(crate) struct Transfers {
    sums: Vec<f64>,
    counts: Vec<f64>,
}

impl Transfers {
    /// Records that `row` moved from cluster `before` (none: it had no cluster yet) to `now`
    /// (of `k`).
    pub(crate) fn record(&mut self, row: &[f64], before: Option<u32>, now: u32, k: usize) {
        let d = row.len();
        if self.counts.is_empty() {
            self.sums = vec![0.0; k * d];
            self.counts = vec![0.0; k];
        }
        let now = now as usize;
        for (t, v) in self.sums[now * d..(now + 1) * d].iter_mut().zip(row) {
            *t += v;
        }
        self.counts[now] += 1.0;
        if let Some(before) = before {
            let before = before as usize;
            for (t, v) in self.sums[before * d..(before + 1) * d].iter_mut().zip(row) {
                *t -= v;
            }
            self.counts[before] -= 1.0;
        }
    }
}

/// Adds the transfers of every part, in order (so the sums do not depend on the number of
/// threads), to the per-cluster `sums` and `counts`. Returns whether any point changed cluster.
pub(crate) fn apply_transfers(
    parts: &[Transfers],
    sums: &mut Array2<f64>,
    counts: &mut [f64],
) -> bool {
    let mut changed = false;
    for part in parts.iter().filter(|p| !p.counts.is_empty()) {
        changed = true;
        for (t, v) in sums.iter_mut().zip(&part.sums) {
            *t += v;
        }
        for (t, v) in counts.iter_mut().zip(&part.counts) {
            *t += v;
        }
    }
    changed
}

/// Labels every row of `x` (standard layout) with its nearest centre, first on ties.
pub(crate) fn nearest_labels(x: ArrayView2<'_, f64>, centres: ArrayView2<'_, f64>) -> Vec<u32> {
    let d = x.ncols();
    let packed = PackedCentres::new(centres);
    let data = x.as_slice().expect("a standard-layout matrix");
    let mut found = vec![Nearest::default(); x.nrows()];
    found
        .par_chunks_mut(CHUNK_ROWS)
        .zip(data.par_chunks(CHUNK_ROWS * d.max(1)))
        .for_each(|(found, rows)| {
            let rows: Vec<&[f64]> = rows.chunks_exact(d.max(1)).collect();
            nearest_of(&rows, &packed, found);
        });
    found.iter().map(|f| f.label).collect()
}

/// `Σ ‖x_i − c_{label i}‖²`, summed directly (not through the expansion), over a fixed partition
/// of the rows added in order.
pub(crate) fn inertia(x: ArrayView2<'_, f64>, centres: ArrayView2<'_, f64>, labels: &[u32]) -> f64 {
    let d = x.ncols().max(1);
    let data = x.as_slice().expect("a standard-layout matrix");
    let centres = centres.as_standard_layout();
    let centres = centres.as_slice().expect("a standard-layout copy");
    let partials: Vec<f64> = data
        .par_chunks(CHUNK_ROWS * d)
        .zip(labels.par_chunks(CHUNK_ROWS))
        .map(|(rows, labels)| {
            rows.chunks_exact(d)
                .zip(labels)
                .map(|(row, &l)| {
                    squared_distance(row, &centres[l as usize * d..(l as usize + 1) * d])
                })
                .sum()
        })
        .collect();
    partials.iter().sum()
}

/// `‖a − b‖²` summed directly, in four interleaved partial sums (which the compiler keeps in one
/// vector register, instead of a chain of dependent additions).
fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    let mut partial = [0.0; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = a4
        .remainder()
        .iter()
        .zip(b4.remainder())
        .map(|(p, q)| (p - q) * (p - q))
        .sum();
    for (p, q) in a4.zip(b4) {
        for l in 0..4 {
            partial[l] += (p[l] - q[l]) * (p[l] - q[l]);
        }
    }
    (partial[0] + partial[1]) + (partial[2] + partial[3]) + tail
}

/// The new centres from the per-cluster sums and counts: an empty cluster first takes the point
/// farthest from its current centre (scikit-learn's `_relocate_empty_clusters_dense`), then every
/// non-empty cluster's sum is scaled by `1/count`.
fn update_centres(
    x: ArrayView2<'_, f64>,
    old: ArrayView2<'_, f64>,
    labels: &[u32],
    mut sums: Array2<f64>,
    mut counts: Vec<f64>,
) -> Array2<f64> {
    let empty: Vec<usize> = (0..counts.len()).filter(|&j| counts[j] == 0.0).collect();
    if !empty.is_empty() {
        let mut far: Vec<(f64, usize)> = x
            .outer_iter()
            .zip(labels)
            .enumerate()
            .map(|(i, (row, &l))| {
                let d = row
                    .iter()
                    .zip(old.row(l as usize))
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum::<f64>();
                (d, i)
            })
            .collect();
        let m = empty.len().min(far.len());
        far.select_nth_unstable_by(m - 1, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        far[..m].sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (&cluster, &(_, point)) in empty.iter().zip(&far[..m]) {
            let from = labels[point] as usize;
            let row = x.row(point);
            let mut source = sums.row_mut(from);
            source -= &row;
            sums.row_mut(cluster).assign(&row);
            counts[cluster] = 1.0;
            counts[from] -= 1.0;
        }
    }
    for (mut row, &count) in sums.outer_iter_mut().zip(&counts) {
        if count > 0.0 {
            let alpha = 1.0 / count;
            row.mapv_inplace(|v| v * alpha);
        }
    }
    sums
}

/// The centres transposed to `d × k_padded` (k rounded up to [`W`]) with their squared norms;
/// padding centres have an infinite norm, so they are never nearest.
pub(crate) struct PackedCentres {
    transposed: Vec<f64>,
    norms: Vec<f64>,
    width: usize,
}

impl PackedCentres {
    pub(crate) fn new(centres: ArrayView2<'_, f64>) -> PackedCentres {
        let (k, d) = centres.dim();
        let width = k.div_ceil(W).max(1) * W;
        let mut transposed = vec![0.0; d * width];
        let mut norms = vec![f64::INFINITY; width];
        for (c, row) in centres.outer_iter().enumerate() {
            norms[c] = row.dot(&row);
            for (j, &v) in row.iter().enumerate() {
                transposed[j * width + c] = v;
            }
        }
        PackedCentres {
            transposed,
            norms,
            width,
        }
    }
}

/// A point's nearest centre and the values `‖c‖² − 2x·c` of its nearest and second-nearest
/// centres (add `‖x‖²` for the squared distances).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Nearest {
    pub label: u32,
    pub best: f64,
    pub second: f64,
}

impl Default for Nearest {
    fn default() -> Nearest {
        Nearest {
            label: 0,
            best: f64::INFINITY,
            second: f64::INFINITY,
        }
    }
}

/// Finds the nearest centre (first on ties) of every row in `rows`, all of the centres' length.
pub(crate) fn nearest_of(rows: &[&[f64]], centres: &PackedCentres, out: &mut [Nearest]) {
    if rows.first().is_none_or(|r| r.is_empty()) {
        out.fill(Nearest::default());
        return;
    }
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU has the features `avx2::nearest_of` is compiled for.
            unsafe { avx2::nearest_of(rows, centres, out) };
            return;
        }
    }
    for (row, found) in rows.iter().zip(out) {
        *found = nearest(row, centres);
    }
}

/// The portable search: `‖c‖² − 2x·c` for every centre, keeping the two smallest.
fn nearest(row: &[f64], centres: &PackedCentres) -> Nearest {
    let width = centres.width;
    let mut found = Nearest::default();
    for c in 0..width {
        let dot: f64 = row
            .iter()
            .enumerate()
            .map(|(j, v)| v * centres.transposed[j * width + c])
            .sum();
        let dist = centres.norms[c] - 2.0 * dot;
        if dist < found.best {
            found = Nearest {
                label: c as u32,
                best: dist,
                second: found.best,
            };
        } else if dist < found.second {
            found.second = dist;
        }
    }
    found
}

/// The assignment kernel in AVX2 + FMA intrinsics: 4 points × 8 centres of dot products live in
/// eight 256-bit registers while the transposed centres stream through; each lane keeps its
/// running minimum (earlier centre on ties) and second minimum, reduced at the end to the first
/// minimum and the runner-up, exactly as the portable search.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{Nearest, PackedCentres, P, W};

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn nearest_of(rows: &[&[f64]], centres: &PackedCentres, out: &mut [Nearest]) {
        let mut blocks = rows.chunks_exact(P);
        let mut found = out.chunks_exact_mut(P);
        for (b, (block, found)) in (&mut blocks).zip(&mut found).enumerate() {
            // The rows may be scattered (only those the bounds could not decide): ask for the
            // next block's cache lines while this one computes.
            for row in rows.iter().skip((b + 1) * P).take(P) {
                for line in (0..row.len()).step_by(8) {
                    // SAFETY: `line` < row.len(); a prefetch never faults anyway.
                    unsafe { _mm_prefetch::<_MM_HINT_T0>(row.as_ptr().add(line).cast()) };
                }
            }
            let block: &[&[f64]; P] = block.try_into().expect("P rows");
            found.copy_from_slice(&nearest::<P>(block, centres));
        }
        for (row, found) in blocks.remainder().iter().zip(found.into_remainder()) {
            *found = nearest::<1>(&[row], centres)[0];
        }
    }

    /// Merges two sets of (best, its index, runner-up) lane by lane: the smaller best wins, the
    /// smaller index on a tie; the runner-up is the smallest of both runners-up and the loser.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    fn merge(
        b: __m256d,
        i: __m256d,
        s: __m256d,
        other_b: __m256d,
        other_i: __m256d,
        other_s: __m256d,
    ) -> (__m256d, __m256d, __m256d) {
        let closer = _mm256_cmp_pd::<_CMP_LT_OQ>(other_b, b);
        let tie = _mm256_and_pd(
            _mm256_cmp_pd::<_CMP_EQ_OQ>(other_b, b),
            _mm256_cmp_pd::<_CMP_LT_OQ>(other_i, i),
        );
        let take = _mm256_or_pd(closer, tie);
        let runner_up = _mm256_min_pd(_mm256_min_pd(s, other_s), _mm256_max_pd(b, other_b));
        (
            _mm256_blendv_pd(b, other_b, take),
            _mm256_blendv_pd(i, other_i, take),
            runner_up,
        )
    }

    /// The nearest centres of `Q` rows.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    fn nearest<const Q: usize>(rows: &[&[f64]; Q], centres: &PackedCentres) -> [Nearest; Q] {
        let width = centres.width;
        let d = centres.transposed.len() / width;
        assert!(rows.iter().all(|r| r.len() == d));
        let ct = centres.transposed.as_ptr();
        let x: [*const f64; Q] = std::array::from_fn(|q| rows[q].as_ptr());
        let two = _mm256_set1_pd(2.0);
        let infinity = _mm256_set1_pd(f64::INFINITY);
        let mut best = [[infinity; 2]; Q];
        let mut second = [[infinity; 2]; Q];
        let mut best_index = [[_mm256_setzero_pd(); 2]; Q];
        let lane = _mm256_set_pd(3.0, 2.0, 1.0, 0.0);
        for c0 in (0..width).step_by(W) {
            let mut acc = [[_mm256_setzero_pd(); 2]; Q];
            for j in 0..d {
                // SAFETY: j < d and c0 + 8 <= width, inside the asserted lengths.
                let (lo, hi) = unsafe {
                    let column = ct.add(j * width + c0);
                    (_mm256_loadu_pd(column), _mm256_loadu_pd(column.add(4)))
                };
                for (q, acc) in acc.iter_mut().enumerate() {
                    // SAFETY: j < d, the asserted length of every row.
                    let v = unsafe { _mm256_broadcast_sd(&*x[q].add(j)) };
                    acc[0] = _mm256_fmadd_pd(v, lo, acc[0]);
                    acc[1] = _mm256_fmadd_pd(v, hi, acc[1]);
                }
            }
            // SAFETY: c0 + 8 <= width = norms.len().
            let norms = unsafe {
                let n = centres.norms.as_ptr().add(c0);
                [_mm256_loadu_pd(n), _mm256_loadu_pd(n.add(4))]
            };
            let base = _mm256_add_pd(_mm256_set1_pd(c0 as f64), lane);
            let index = [base, _mm256_add_pd(base, _mm256_set1_pd(4.0))];
            for q in 0..Q {
                for h in 0..2 {
                    let dist = _mm256_fnmadd_pd(two, acc[q][h], norms[h]);
                    let closer = _mm256_cmp_pd::<_CMP_LT_OQ>(dist, best[q][h]);
                    let runner_up = _mm256_min_pd(second[q][h], dist);
                    second[q][h] = _mm256_blendv_pd(runner_up, best[q][h], closer);
                    best[q][h] = _mm256_blendv_pd(best[q][h], dist, closer);
                    best_index[q][h] = _mm256_blendv_pd(best_index[q][h], index[h], closer);
                }
            }
        }
        let mut found = [Nearest::default(); Q];
        for (q, found) in found.iter_mut().enumerate() {
            // Merge the two halves (lane l of each holds the best of its own centres), then the
            // lanes pairwise down to lane 0.
            let (mut b, mut i, mut s) = merge(
                best[q][0],
                best_index[q][0],
                second[q][0],
                best[q][1],
                best_index[q][1],
                second[q][1],
            );
            (b, i, s) = merge(
                b,
                i,
                s,
                _mm256_permute2f128_pd::<1>(b, b),
                _mm256_permute2f128_pd::<1>(i, i),
                _mm256_permute2f128_pd::<1>(s, s),
            );
            (b, i, s) = merge(
                b,
                i,
                s,
                _mm256_permute_pd::<0b0101>(b),
                _mm256_permute_pd::<0b0101>(i),
                _mm256_permute_pd::<0b0101>(s),
            );
            *found = Nearest {
                label: _mm256_cvtsd_f64(i) as u32,
                best: _mm256_cvtsd_f64(b),
                second: _mm256_cvtsd_f64(s),
            };
        }
        found
    }
}
