//! Exercise C.7 (exercise sheet): on a 1,000,000 × 10 table, create a column from a condition three
//! ways — a) `iterrows()`, b) `apply(axis=1)`, c) `np.where` on whole columns — time each and
//! compute the speed-up ratios.
//!
//! The table is stored by columns, as a DataFrame is. a) walks the records one by one, building
//! each as a name → value map, as `iterrows` builds a Series per row; b) calls a closure on every
//! row (a strided view across the columns), as `apply` does; c) combines whole columns at once.
//! The rule: `flag = where(a > 0, b * 2, c - d)`. All three must agree exactly. `--quick` uses
//! 50,000 rows.

use std::collections::HashMap;

use brisk_examples::{check, normal_matrix, quick, secs, timed};
use ndarray::{Array1, Array2, ArrayView1, Axis, ShapeBuilder, Zip};

const NAMES: [&str; 10] = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];

fn rule(a: f64, b: f64, c: f64, d: f64) -> f64 {
    if a > 0.0 {
        b * 2.0
    } else {
        c - d
    }
}

fn main() {
    let rows = if quick() { 50_000 } else { 1_000_000 };
    // Column-major: every column is contiguous, as in a DataFrame's blocks.
    let mut table = Array2::<f64>::zeros((rows, 10).f());
    table.assign(&normal_matrix(rows, 10, 9));

    // a) iterrows: one record per row, looked up by name.
    let (by_record, t_rows) = timed(|| {
        let mut out = Vec::with_capacity(rows);
        for row in table.outer_iter() {
            let record: HashMap<&str, f64> =
                NAMES.iter().copied().zip(row.iter().copied()).collect();
            out.push(rule(record["a"], record["b"], record["c"], record["d"]));
        }
        Array1::from(out)
    });
    // b) apply(axis=1): a closure on every row view.
    let per_row = |row: ArrayView1<'_, f64>| rule(row[0], row[1], row[2], row[3]);
    let (by_closure, t_apply) = timed(|| table.map_axis(Axis(1), per_row));
    // c) vectorised: whole columns at once.
    let (by_column, t_vec) = timed(|| {
        let col = |j| table.column(j);
        Zip::from(col(0))
            .and(col(1))
            .and(col(2))
            .and(col(3))
            .map_collect(|&a, &b, &c, &d| rule(a, b, c, d))
    });

    println!("{rows} × 10 table; flag = where(a > 0, b * 2, c - d)\n");
    println!("{:<42} {:>10} {:>10}", "approach", "time", "vs c)");
    println!(
        "{:<42} {:>10} {:>9.1}×",
        "a) row by row, a record per row",
        secs(t_rows),
        t_rows / t_vec
    );
    println!(
        "{:<42} {:>10} {:>9.1}×",
        "b) a closure per row (apply)",
        secs(t_apply),
        t_apply / t_vec
    );
    println!(
        "{:<42} {:>10} {:>9.1}×",
        "c) column-wise, vectorised",
        secs(t_vec),
        1.0
    );
    println!(
        "\nspeed-ups: c) over a) {:.1}×, c) over b) {:.1}×, b) over a) {:.1}×",
        t_rows / t_vec,
        t_apply / t_vec,
        t_rows / t_apply
    );

    check(
        by_record == by_column && by_closure == by_column,
        "the three approaches give the same column",
    );
    let (a, b) = (table.column(0), table.column(1));
    let ok = Zip::from(&by_column)
        .and(a)
        .and(b)
        .all(|&f, &a, &b| a <= 0.0 || f == b * 2.0);
    check(ok, "every row with a > 0 holds b * 2");
}
