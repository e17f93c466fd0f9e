//! The starting centres of k-means, drawn exactly as scikit-learn draws them from a
//! `numpy.random.RandomState`, so the same seed picks the same rows.

use ndarray::{Array2, ArrayView2, Axis};

use crate::random::Mt19937;

/// Greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's `2 + ⌊ln k⌋` local
/// trials): the first centre uniformly, each next one the best of several candidates drawn with
/// probability proportional to the squared distance to the nearest chosen centre. `norms` are
/// the rows' squared norms. Returns the centres and the rows they came from.
pub(crate) fn kmeans_plus_plus(
    x: ArrayView2<'_, f64>,
    norms: &[f64],
    k: usize,
    rng: &mut Mt19937,
) -> (Array2<f64>, Vec<usize>) {
    let n = x.nrows();
    let trials = 2 + (k as f64).ln() as usize;
    let uniform = vec![1.0 / n as f64; n];
    let first = search_right(&normalised_cumsum(&uniform), rng.random_sample());
    let mut indices = vec![first];
    let mut closest = squared_distances(x, first, norms);
    let mut potential: f64 = closest.iter().sum();
    while indices.len() < k {
        let draws: Vec<f64> = (0..trials)
            .map(|_| rng.random_sample() * potential)
            .collect();
        let cumsum = cumsum(&closest);
        let mut best: Option<(f64, usize, Vec<f64>)> = None;
        for draw in draws {
            let candidate = search_left(&cumsum, draw).min(n - 1);
            let mut distances = squared_distances(x, candidate, norms);
            for (d, c) in distances.iter_mut().zip(&closest) {
                *d = d.min(*c);
            }
            let pot: f64 = distances.iter().sum();
            if best.as_ref().is_none_or(|b| pot < b.0) {
                best = Some((pot, candidate, distances));
            }
        }
        let (pot, candidate, distances) = best.expect("at least two trials");
        potential = pot;
        closest = distances;
        indices.push(candidate);
    }
    (x.select(Axis(0), &indices), indices)
}

/// `k` distinct rows drawn uniformly, as `RandomState.choice(n, k, replace=False, p=uniform)`
/// (scikit-learn's `init="random"`): draw, drop repeats, redraw for the missing ones with the
/// chosen rows' probability set to zero.
pub(crate) fn random_rows(
    x: ArrayView2<'_, f64>,
    k: usize,
    rng: &mut Mt19937,
) -> (Array2<f64>, Vec<usize>) {
    let n = x.nrows();
    let mut p = vec![1.0 / n as f64; n];
    let mut found: Vec<usize> = Vec::with_capacity(k);
    while found.len() < k {
        let draws: Vec<f64> = (0..k - found.len()).map(|_| rng.random_sample()).collect();
        for &i in &found {
            p[i] = 0.0;
        }
        let cdf = normalised_cumsum(&p);
        let mut new: Vec<(usize, usize)> = Vec::new();
        for (position, &u) in draws.iter().enumerate() {
            let index = search_right(&cdf, u);
            if !new.iter().any(|&(_, i)| i == index) {
                new.push((position, index));
            }
        }
        // `np.unique(..., return_index=True)` then sorting the first positions: the first
        // occurrences, in draw order.
        new.sort_unstable();
        found.extend(new.into_iter().map(|(_, i)| i));
    }
    (x.select(Axis(0), &found), found)
}

/// `‖x_i − x_c‖²` for every row `i`, as scikit-learn's `_euclidean_distances(..., squared=True)`:
/// `−2 x_c·x_i + ‖x_c‖² + ‖x_i‖²`, clamped at 0.
fn squared_distances(x: ArrayView2<'_, f64>, c: usize, norms: &[f64]) -> Vec<f64> {
    let centre = x.row(c);
    let centre_norm = centre.dot(&centre);
    x.outer_iter()
        .zip(norms)
        .map(|(row, &norm)| ((-2.0 * row.dot(&centre) + centre_norm) + norm).max(0.0))
        .collect()
}

fn cumsum(values: &[f64]) -> Vec<f64> {
    values
        .iter()
        .scan(0.0, |s, &v| {
            *s += v;
            Some(*s)
        })
        .collect()
}

/// `cdf = cumsum(p); cdf /= cdf[-1]`, as `RandomState.choice` does.
fn normalised_cumsum(p: &[f64]) -> Vec<f64> {
    let mut cdf = cumsum(p);
    let total = *cdf.last().expect("at least one row");
    cdf.iter_mut().for_each(|v| *v /= total);
    cdf
}

/// `searchsorted(side="left")`: the first index whose value is `>= v`.
fn search_left(sorted: &[f64], v: f64) -> usize {
    sorted.partition_point(|&s| s < v)
}

/// `searchsorted(side="right")`: the first index whose value is `> v`.
fn search_right(sorted: &[f64], v: f64) -> usize {
    sorted.partition_point(|&s| s <= v)
}
