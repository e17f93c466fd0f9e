//! Exercise D.1 (exercise sheet): from a cProfile table of a training pipeline, a) the biggest
//! bottleneck, b) what to optimise first, c) the whole run's speed-up if `data_augmentation` took
//! 50% less time, by Amdahl's law `S = 1 / ((1 − p) + p / s)`.
//!
//! The table's `tottime` column is each function's own time; their sum is the run's total. The
//! `cumtime` column shows `train_epoch` ⊃ `train_batch` ⊃ `data_augmentation` (48.8 = 0.5 + 3.1 +
//! 45.2), while `compute_loss` and `forward_pass` are outside it. The speed-up is computed with
//! `brisk_profile::amdahl_speedup` and checked against the direct ratio of old to new run time.

use brisk_examples::{check, check_close};
use brisk_profile::amdahl_speedup;

/// (ncalls, tottime, cumtime, function), as the exercise prints them.
const TABLE: [(u64, f64, f64, &str); 5] = [
    (100_000, 45.2, 45.2, "data_augmentation"),
    (1_000, 3.1, 48.3, "train_batch"),
    (100, 0.5, 48.8, "train_epoch"),
    (50_000, 12.7, 12.7, "compute_loss"),
    (100_000, 8.3, 8.3, "forward_pass"),
];

fn main() {
    let total: f64 = TABLE.iter().map(|row| row.1).sum();
    println!(
        "{:>8} {:>8} {:>8} {:>7}  function",
        "ncalls", "tottime", "cumtime", "share"
    );
    for (calls, tot, cum, name) in TABLE {
        println!(
            "{calls:>8} {tot:>8.1} {cum:>8.1} {:>6.1}%  {name}",
            100.0 * tot / total
        );
    }
    println!("total run time (the sum of tottime): {total:.1} s\n");

    // a) The largest own time; per call it is cheap (0.45 ms), it is called 100,000 times.
    let (calls, tot, _, worst) = TABLE
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap();
    println!(
        "a) bottleneck: {worst}, {tot} s own time, {:.3} ms per call over {calls} calls",
        1e3 * tot / calls as f64
    );
    check(
        worst == "data_augmentation",
        "data_augmentation has the largest tottime",
    );

    // b) What to do about it.
    println!(
        "b) optimise data_augmentation first: vectorise it over the batch (one array operation per"
    );
    println!("   batch instead of 100,000 Python calls), cache or precompute fixed transforms, and run it");
    println!("   in parallel worker processes so it overlaps training; compute_loss ({:.0}%) comes next.", 100.0 * 12.7 / total);

    // c) Amdahl: the fraction p = 45.2 / 69.8 becomes twice as fast.
    let p = tot / total;
    let speedup = amdahl_speedup(p, 2.0);
    let direct = total / (total - tot / 2.0);
    println!("\nc) p = {tot} / {total:.1} = {p:.4}; halving it: S = 1 / ((1 − p) + p / 2) = {speedup:.4}×");
    println!(
        "   the run goes from {total:.1} s to {:.1} s; the limit if it took no time: {:.2}×",
        total - tot / 2.0,
        1.0 / (1.0 - p)
    );
    check_close(
        speedup,
        direct,
        1e-12,
        "Amdahl's formula equals old time / new time",
    );
    check_close(speedup, 69.8 / 47.2, 1e-12, "S = 69.8 / 47.2 = 1.479");

    // Reading train_epoch's cumtime (48.8 s) as the whole run ignores compute_loss and forward_pass,
    // which the cumulative times show run outside it, and overstates the gain.
    let p_epoch = tot / 48.8;
    let s_epoch = amdahl_speedup(p_epoch, 2.0);
    println!("   (taking train_epoch's 48.8 s as the total instead would give p = {p_epoch:.3} and {s_epoch:.2}×:");
    println!("   true only for the time spent inside train_epoch)");
    check_close(
        s_epoch,
        48.8 / 26.2,
        1e-12,
        "within train_epoch: 48.8 / 26.2 = 1.86",
    );
}
