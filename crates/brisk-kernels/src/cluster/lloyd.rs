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
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports the features the function is compiled for.
            unsafe { nearest_centres_avx2(rows, d, centres, labels) };
            return;
        }
    }
    nearest_centres_with::<false>(rows, d, centres, labels);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn nearest_centres_avx2(
    rows: &[f64],
    d: usize,
    centres: &PackedCentres,
    labels: &mut [u32],
) {
    nearest_centres_with::<true>(rows, d, centres, labels);
}

#[inline(always)]
fn nearest_centres_with<const FMA: bool>(
    rows: &[f64],
    d: usize,
    centres: &PackedCentres,
    labels: &mut [u32],
) {
    if d == 0 {
        labels.fill(0);
        return;
    }
    let mut blocks = rows.chunks_exact(P * d);
    let mut out = labels.chunks_exact_mut(P);
    for (block, out) in (&mut blocks).zip(&mut out) {
        let points: [&[f64]; P] = std::array::from_fn(|p| &block[p * d..(p + 1) * d]);
        out.copy_from_slice(&nearest::<P, FMA>(points, centres));
    }
    for (row, label) in blocks.remainder().chunks_exact(d).zip(out.into_remainder()) {
        *label = nearest::<1, FMA>([row], centres)[0];
    }
}

/// The nearest centre of each of `Q` points: `Q × W` dot products held in registers while the
/// centres stream through. Indexed loops over fixed-size arrays are what the vectoriser turns into
/// register-resident FMAs.
#[inline(always)]
#[allow(clippy::needless_range_loop)]
fn nearest<const Q: usize, const FMA: bool>(
    points: [&[f64]; Q],
    centres: &PackedCentres,
) -> [u32; Q] {
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
                    acc[q][l] = if FMA {
                        v.mul_add(column[l], acc[q][l])
                    } else {
                        v * column[l] + acc[q][l]
                    };
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
