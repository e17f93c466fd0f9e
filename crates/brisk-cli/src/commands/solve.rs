//! `brisk solve`: A X = B by LU with partial pivoting.

use anyhow::{anyhow, bail, Result};
use brisk_kernels::linalg::solve;
use serde_json::Value;

use super::matrix::{json_number, rows_json, write_json_line, Loaded, MatrixResult};
use crate::cli::{OutputFormat, SolveArgs};
use crate::output::Destination;
use crate::table::{human, TextTable};

pub fn run(args: SolveArgs) -> Result<()> {
    let a = Loaded::open(&args.a, &args.common)?;
    let b = Loaded::open(&args.b, &args.common)?;
    for m in [&a, &b] {
        if m.matrix.rows_dropped() > 0 {
            bail!(
                "{}: {} rows hold nulls; a linear system needs every row (fill them first)",
                m.input.name(),
                m.matrix.rows_dropped()
            );
        }
    }
    let destination =
        Destination::resolve(&args.common, &[&args.a, &args.b], crate::cli::ARRAY_OUTPUTS)?;
    let solution = solve(a.matrix.view(), b.matrix.view())
        .map_err(|e| anyhow!("{} and {}: {e}", a.input.name(), b.input.name()))?;
    let vector = b.matrix.is_one_dimensional();
    let x_json = if vector {
        Value::Array(
            solution
                .x
                .column(0)
                .iter()
                .map(|&v| json_number(v))
                .collect(),
        )
    } else {
        rows_json(solution.x.view())
    };
    let mut summary = serde_json::Map::new();
    summary.insert("a".into(), a.input.name().into());
    summary.insert("b".into(), b.input.name().into());
    summary.insert("n".into(), solution.x.nrows().into());
    summary.insert("rhs".into(), solution.x.ncols().into());
    summary.insert("method".into(), "lu_partial_pivoting".into());
    summary.insert("residual_norm".into(), json_number(solution.residual_norm));
    summary.insert(
        "relative_residual".into(),
        json_number(solution.relative_residual),
    );
    summary.insert(
        "backward_error".into(),
        json_number(solution.backward_error),
    );
    summary.insert("condition_estimate".into(), json_number(solution.condition));
    let columns: Vec<String> = (0..solution.x.ncols()).map(|j| j.to_string()).collect();
    if destination.path.is_some() {
        MatrixResult {
            values: solution.x.view(),
            columns: columns.clone(),
            row_labels: None,
            one_dimensional: vector,
            summary: summary.clone(),
            title: String::new(),
        }
        .write(&destination)?;
    }
    Destination::stdout(args.common.format).write(|out| match args.common.format {
        OutputFormat::Json => {
            summary.insert("x".into(), x_json);
            write_json_line(out, summary)
        }
        _ => {
            let n = solution.x.nrows();
            writeln!(
                out,
                "solved A X = B: A is {n}×{n}, B has {} column(s); LU with partial pivoting",
                solution.x.ncols()
            )?;
            let mut header = vec!["row"];
            header.extend(columns.iter().map(|c| c.as_str()));
            let mut table = TextTable::new(&header);
            for (i, row) in solution.x.rows().into_iter().enumerate() {
                let mut cells = vec![i.to_string()];
                cells.extend(row.iter().map(|&v| human(Some(v))));
                table.push(cells);
            }
            if destination.path.is_none() {
                table.write(out)?;
            }
            writeln!(out, "residual ‖AX − B‖: {:.3e}", solution.residual_norm)?;
            writeln!(out, "relative residual: {:.3e}", solution.relative_residual)?;
            writeln!(out, "backward error: {:.3e}", solution.backward_error)?;
            writeln!(
                out,
                "condition estimate (1-norm): {:.3e}",
                solution.condition
            )
        }
    })
}
