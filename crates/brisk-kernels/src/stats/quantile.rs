//! Exact quantiles by selection, with NumPy's linear interpolation.
//!
//! For a quantile `q` of `n` sorted values the position is `h = (n − 1)·q`; the result lies between
//! the order statistics `x[⌊h⌋]` and `x[⌊h⌋ + 1]`, interpolated as NumPy's `_lerp` does (the form
//! depends on whether the fraction is below one half), so results match `numpy.quantile` and
//! `pandas.Series.quantile` to the bit.

/// Where quantile `q` of `n` values falls: the lower order-statistic index and the fraction
/// towards the next one.
///
/// ```
/// use brisk_kernels::stats::quantile_position;
/// assert_eq!(quantile_position(5, 0.5), (2, 0.0));
/// assert_eq!(quantile_position(4, 0.25), (0, 0.75));
/// ```
pub fn quantile_position(n: usize, q: f64) -> (usize, f64) {
    let h = (n.saturating_sub(1)) as f64 * q;
    let lower = h.floor();
    (lower as usize, h - lower)
}

/// NumPy's `_lerp(a, b, t)`: `a + (b − a)·t` below one half, `b − (b − a)·(1 − t)` from it.
#[inline]
pub fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

/// The order-statistic indices that quantiles `qs` of `n` values need, ascending and distinct.
pub fn needed_ranks(n: usize, qs: &[f64]) -> Vec<usize> {
    let mut ranks: Vec<usize> = qs
        .iter()
        .flat_map(|&q| {
            let (k, t) = quantile_position(n, q);
            let next = (t > 0.0 && k + 1 < n).then_some(k + 1);
            std::iter::once(k).chain(next)
        })
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    ranks
}

/// Interpolates the quantiles `qs` of `n` values from a lookup of order statistics.
pub fn interpolate(n: usize, qs: &[f64], order_statistic: impl Fn(usize) -> f64) -> Vec<f64> {
    qs.iter()
        .map(|&q| {
            let (k, t) = quantile_position(n, q);
            if t > 0.0 && k + 1 < n {
                lerp(order_statistic(k), order_statistic(k + 1), t)
            } else {
                order_statistic(k)
            }
        })
        .collect()
}

/// Interpolates the quantiles `qs` of `n` values from the order statistics `found` at `ranks`
/// (as [`needed_ranks`] gives them).
pub fn interpolate_found(n: usize, qs: &[f64], ranks: &[usize], found: &[f64]) -> Vec<f64> {
    let lookup = |rank: usize| found[ranks.binary_search(&rank).expect("a needed rank")];
    interpolate(n, qs, lookup)
}

/// The exact quantiles `qs` (each in `[0, 1]`) of `values`, which it reorders; `None` when empty.
///
/// Expected `O(n)`: one `select_nth_unstable` per quantile, each on the part left of the previous
/// one; the second order statistic of an interpolated pair is the maximum left of the first. NaN
/// must be filtered out first.
///
/// ```
/// use brisk_kernels::stats::exact_quantiles;
/// let mut xs = vec![7.0, 1.0, 3.0, 5.0];
/// assert_eq!(exact_quantiles(&mut xs, &[0.25, 0.5, 0.75]), Some(vec![2.5, 4.0, 5.5]));
/// ```
pub fn exact_quantiles(values: &mut [f64], qs: &[f64]) -> Option<Vec<f64>> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let ranks = needed_ranks(n, qs);
    let mut found = vec![0.0; ranks.len()];
    let mut bound = n;
    for (i, &rank) in ranks.iter().enumerate().rev() {
        if rank + 1 == bound && i + 1 < ranks.len() {
            // The next rank up was just selected, so everything left of it is smaller: this order
            // statistic is their maximum, found by a scan instead of another selection.
            let (at, &max) = values[..bound]
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .expect("a non-empty prefix");
            values.swap(at, rank);
            found[i] = max;
        } else {
            let (_, nth, _) = values[..bound].select_nth_unstable_by(rank, f64::total_cmp);
            found[i] = *nth;
        }
        bound = rank;
    }
    Some(interpolate_found(n, qs, &ranks, &found))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted_reference(values: &[f64], q: f64) -> f64 {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let (k, t) = quantile_position(v.len(), q);
        if k + 1 < v.len() {
            lerp(v[k], v[k + 1], t)
        } else {
            v[k]
        }
    }

    #[test]
    fn selection_equals_sorting_on_seeded_random_inputs() {
        let mut state = 42u64;
        for n in [1usize, 2, 3, 4, 5, 10, 101, 1000, 4097] {
            let values: Vec<f64> = (0..n)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((state >> 11) as f64 / (1u64 << 53) as f64 * 20.0).floor() - 7.5
                })
                .collect();
            let qs = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0];
            let got = exact_quantiles(&mut values.clone(), &qs).unwrap();
            for (g, &q) in got.iter().zip(&qs) {
                assert_eq!(*g, sorted_reference(&values, q), "n={n} q={q}");
            }
        }
    }

    #[test]
    fn empty_has_no_quantiles() {
        assert_eq!(exact_quantiles(&mut [], &[0.5]), None);
    }
}
