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

/// Runs Lloyd's algorithm from `centres` as `sklearn.cluster._kmeans._kmeans_single_lloyd` does:
/// stop when an assignment equals the previous one ("strict convergence") or when the summed
/// squared centre shift is at most `tol`, after `max_iter` iterations at most; if not strictly
/// converged, assign once more so that the labels match the final centres; the inertia is
/// `Σ ‖x_i − c_{label i}‖²`.
pub(crate) fn lloyd(
    x: ArrayView2<'_, f64>,
    mut centres: Array2<f64>,
    max_iter: usize,
    tol: f64,
) -> LloydRun {
    let n = x.nrows();
    let mut labels = vec![0u32; n];
    let mut previous = vec![u32::MAX; n];
    let mut strict = false;
    let mut n_iter = 0;
    for i in 0..max_iter {
        n_iter = i + 1;
        let (sums, counts) = assign(x, centres.view(), &mut labels, true);
        let moved = update_centres(x, centres.view(), &labels, sums, counts);
        let shift: f64 = (&moved - &centres)
            .rows()
            .into_iter()
            .map(|r| r.dot(&r).sqrt().powi(2))
            .sum();
        centres = moved;
        if labels == previous {
            strict = true;
            break;
        }
        if shift <= tol {
            break;
        }
        previous.copy_from_slice(&labels);
    }
    if !strict {
        assign(x, centres.view(), &mut labels, false);
    }
    let inertia = inertia(x, centres.view(), &labels);
    LloydRun {
        labels,
        centres,
        inertia,
        n_iter,
    }
}

/// `Σ ‖x_i − c_{label i}‖²`, summed directly (not through the expansion).
pub(crate) fn inertia(x: ArrayView2<'_, f64>, centres: ArrayView2<'_, f64>, labels: &[u32]) -> f64 {
    x.outer_iter()
        .zip(labels)
        .map(|(row, &l)| {
            row.iter()
                .zip(centres.row(l as usize))
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>()
        })
        .sum()
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

/// Labels every point with its nearest centre (first on ties), by `‖c‖² − 2x·c`; with
/// `accumulate`, also returns each cluster's coordinate sums and point count.
pub(crate) fn assign(
    x: ArrayView2<'_, f64>,
    centres: ArrayView2<'_, f64>,
    labels: &mut [u32],
    accumulate: bool,
) -> (Array2<f64>, Vec<f64>) {
    let (n, d) = x.dim();
    let k = centres.nrows();
    let packed = PackedCentres::new(centres);
    let data = x
        .as_slice()
        .expect("k-means works on a standard-layout copy of the data");
    let chunk = CHUNK_ROWS.max(n.div_ceil(MAX_CHUNKS));
    let partials: Vec<(Vec<f64>, Vec<f64>)> = data
        .par_chunks(chunk * d.max(1))
        .zip(labels.par_chunks_mut(chunk))
        .map(|(rows, labels)| {
            let mut sums = vec![0.0; if accumulate { k * d } else { 0 }];
            let mut counts = vec![0.0; if accumulate { k } else { 0 }];
            nearest_centres(rows, d, &packed, labels);
            if accumulate {
                for (row, &l) in rows.chunks_exact(d).zip(labels.iter()) {
                    let l = l as usize;
                    for (s, v) in sums[l * d..(l + 1) * d].iter_mut().zip(row) {
                        *s += v;
                    }
                    counts[l] += 1.0;
                }
            }
            (sums, counts)
        })
        .collect();
    let mut sums = Array2::zeros((if accumulate { k } else { 0 }, d));
    let mut counts = vec![0.0; if accumulate { k } else { 0 }];
    for (s, c) in &partials {
        for (t, v) in sums.iter_mut().zip(s) {
            *t += v;
        }
        for (t, v) in counts.iter_mut().zip(c) {
            *t += v;
        }
    }
    (sums, counts)
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

/// Writes the nearest centre of every row of `rows` (`d` values each) into `labels`.
pub(crate) fn nearest_centres(rows: &[f64], d: usize, centres: &PackedCentres, labels: &mut [u32]) {
    if d == 0 {
        labels.fill(0);
        return;
    }
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU has the features `avx2::nearest_centres` is compiled for.
            unsafe { avx2::nearest_centres(rows, d, centres, labels) };
            return;
        }
    }
    let mut blocks = rows.chunks_exact(P * d);
    let mut out = labels.chunks_exact_mut(P);
    for (block, out) in (&mut blocks).zip(&mut out) {
        let points: [&[f64]; P] = std::array::from_fn(|p| &block[p * d..(p + 1) * d]);
        out.copy_from_slice(&nearest::<P>(points, centres));
    }
    for (row, label) in blocks.remainder().chunks_exact(d).zip(out.into_remainder()) {
        *label = nearest::<1>([row], centres)[0];
    }
}

/// The nearest centre of each of `Q` points: `Q × W` dot products held in registers while the
/// centres stream through (the portable version of `avx2::nearest_centres`).
#[allow(clippy::needless_range_loop)]
fn nearest<const Q: usize>(points: [&[f64]; Q], centres: &PackedCentres) -> [u32; Q] {
    let width = centres.width;
    let d = points[0].len();
    let mut best = [f64::INFINITY; Q];
    let mut label = [0u32; Q];
    for c0 in (0..width).step_by(W) {
        let mut acc = [[0.0f64; W]; Q];
        for j in 0..d {
            let column: &[f64; W] = centres.transposed[j * width + c0..][..W]
                .try_into()
                .expect("W values");
            for q in 0..Q {
                let v = points[q][j];
                for l in 0..W {
                    acc[q][l] += v * column[l];
                }
            }
        }
        for q in 0..Q {
            for l in 0..W {
                let dist = centres.norms[c0 + l] - 2.0 * acc[q][l];
                if dist < best[q] {
                    best[q] = dist;
                    label[q] = (c0 + l) as u32;
                }
            }
        }
    }
    label
}

/// The assignment kernel in AVX2 + FMA intrinsics: 4 points × 8 centres of dot products live in
/// eight 256-bit registers while the transposed centres stream through, and the running minimum
/// of each point is kept per lane (earlier centre on ties) and reduced to the first minimum at the
/// end, so the labels are those of a plain first-minimum search over `‖c‖² − 2x·c`.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{PackedCentres, P, W};

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn nearest_centres(
        rows: &[f64],
        d: usize,
        centres: &PackedCentres,
        labels: &mut [u32],
    ) {
        let mut blocks = rows.chunks_exact(P * d);
        let mut out = labels.chunks_exact_mut(P);
        for (block, out) in (&mut blocks).zip(&mut out) {
            out.copy_from_slice(&nearest::<P>(block, d, centres));
        }
        for (row, label) in blocks.remainder().chunks_exact(d).zip(out.into_remainder()) {
            *label = nearest::<1>(row, d, centres)[0];
        }
    }

    /// The nearest centres of the `Q` rows of `block` (`Q × d` values).
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    fn nearest<const Q: usize>(block: &[f64], d: usize, centres: &PackedCentres) -> [u32; Q] {
        assert!(block.len() == Q * d && centres.transposed.len() == d * centres.width);
        let width = centres.width;
        let ct = centres.transposed.as_ptr();
        let x = block.as_ptr();
        let two = _mm256_set1_pd(2.0);
        let mut best = [[_mm256_set1_pd(f64::INFINITY); 2]; Q];
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
                    // SAFETY: q < Q and j < d, inside `block`.
                    let v = unsafe { _mm256_broadcast_sd(&*x.add(q * d + j)) };
                    acc[0] = _mm256_fmadd_pd(v, lo, acc[0]);
                    acc[1] = _mm256_fmadd_pd(v, hi, acc[1]);
                }
            }
            // SAFETY: c0 + 8 <= width = norms.len().
            let norms = unsafe {
                let n = centres.norms.as_ptr().add(c0);
                [_mm256_loadu_pd(n), _mm256_loadu_pd(n.add(4))]
            };
            let base = _mm256_set1_pd(c0 as f64);
            let index = [
                _mm256_add_pd(base, lane),
                _mm256_add_pd(base, _mm256_add_pd(lane, _mm256_set1_pd(4.0))),
            ];
            for q in 0..Q {
                for h in 0..2 {
                    let dist = _mm256_fnmadd_pd(two, acc[q][h], norms[h]);
                    let closer = _mm256_cmp_pd::<_CMP_LT_OQ>(dist, best[q][h]);
                    best[q][h] = _mm256_blendv_pd(best[q][h], dist, closer);
                    best_index[q][h] = _mm256_blendv_pd(best_index[q][h], index[h], closer);
                }
            }
        }
        let mut labels = [0u32; Q];
        for q in 0..Q {
            let mut values = [0.0f64; 8];
            let mut indices = [0.0f64; 8];
            // SAFETY: two 4-lane stores into 8-element arrays.
            unsafe {
                _mm256_storeu_pd(values.as_mut_ptr(), best[q][0]);
                _mm256_storeu_pd(values.as_mut_ptr().add(4), best[q][1]);
                _mm256_storeu_pd(indices.as_mut_ptr(), best_index[q][0]);
                _mm256_storeu_pd(indices.as_mut_ptr().add(4), best_index[q][1]);
            }
            let mut pick = 0;
            for l in 1..8 {
                if values[l] < values[pick]
                    || (values[l] == values[pick] && indices[l] < indices[pick])
                {
                    pick = l;
                }
            }
            labels[q] = indices[pick] as u32;
        }
        labels
    }
}
