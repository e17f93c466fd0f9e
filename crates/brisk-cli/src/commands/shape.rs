//! `brisk shape`: NumPy's layout rules on shapes — broadcasting, matrix-product shapes, strides and
//! indexing — with NumPy's own error texts (exercises B.1, B.2, B.5 and A.7).

use std::io::Write;

use anyhow::{anyhow, Result};
use brisk_kernels::layout::index::index;
use brisk_kernels::layout::strides::strides;
use brisk_kernels::layout::{
    broadcast_shapes, matmul_shape, tuple, Explanation, LayoutError, Rule,
};
use serde_json::{json, Map, Value};

use super::matrix::write_json_line;
use crate::cli::{Common, OutputFormat, ShapeCommand, REPORT_OUTPUTS};
use crate::output::Destination;
use crate::table::{csv_field, TextTable};

impl ShapeCommand {
    /// The flags every command shares.
    pub fn common(&self) -> &Common {
        match self {
            ShapeCommand::Broadcast(a) => &a.common,
            ShapeCommand::Matmul(a) => &a.common,
            ShapeCommand::Strides(a) => &a.common,
            ShapeCommand::Index(a) => &a.common,
        }
    }

    /// The subcommand's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            ShapeCommand::Broadcast(_) => "shape broadcast",
            ShapeCommand::Matmul(_) => "shape matmul",
            ShapeCommand::Strides(_) => "shape strides",
            ShapeCommand::Index(_) => "shape index",
        }
    }
}

/// What a rule found.
enum Outcome {
    /// A broadcast or matmul shape.
    Shape(Vec<usize>),
    /// The layout of a new array.
    Strides {
        strides: Vec<isize>,
        itemsize: usize,
        nbytes: usize,
    },
    /// The result of indexing.
    Indexed {
        shape: Vec<usize>,
        strides: Vec<isize>,
        view: bool,
        scalar: bool,
    },
}

pub fn run(command: ShapeCommand) -> Result<()> {
    match command {
        ShapeCommand::Broadcast(a) => {
            let shapes: Vec<Vec<usize>> = a.shapes.iter().map(|s| s.0.clone()).collect();
            let result = broadcast_shapes(&shapes).map(|b| (b.steps, Outcome::Shape(b.shape)));
            finish(&a.common, a.explain, result)
        }
        ShapeCommand::Matmul(a) => {
            let result = matmul_shape(&a.a.0, &a.b.0).map(|m| (m.steps, Outcome::Shape(m.shape)));
            finish(&a.common, a.explain, result)
        }
        ShapeCommand::Strides(a) => {
            let result = strides(&a.shape.0, a.layout.dtype, a.layout.order).map(|l| {
                (
                    l.steps,
                    Outcome::Strides {
                        strides: l.strides,
                        itemsize: l.itemsize,
                        nbytes: l.nbytes,
                    },
                )
            });
            finish(&a.common, a.explain, result)
        }
        ShapeCommand::Index(a) => {
            let result = index(&a.shape.0, a.layout.dtype, a.layout.order, &a.expr).map(|r| {
                (
                    r.steps,
                    Outcome::Indexed {
                        shape: r.shape,
                        strides: r.strides,
                        view: r.view,
                        scalar: r.scalar,
                    },
                )
            });
            finish(&a.common, a.explain, result)
        }
    }
}

/// Prints (or writes to -o) the outcome, or fails with NumPy's message (exit status 1); with
/// `--explain`, the rules applied come first, up to the failing one.
fn finish(
    common: &Common,
    explain: bool,
    result: std::result::Result<(Explanation, Outcome), LayoutError>,
) -> Result<()> {
    let destination = Destination::resolve(common, &[], REPORT_OUTPUTS)?;
    let (steps, outcome) = match result {
        Ok(found) => found,
        Err(err) => {
            if explain && destination.path.is_none() && destination.format == OutputFormat::Table {
                let steps = err.steps();
                Destination::stdout(OutputFormat::Table).write(|out| {
                    for step in steps.steps().iter().filter(|s| s.rule != Rule::Result) {
                        writeln!(out, "{step}")?;
                    }
                    Ok(())
                })?;
            }
            return Err(anyhow!("{}", err.message()));
        }
    };
    let steps_json = || Value::Array(steps.lines().map(|l| Value::from(l.to_owned())).collect());
    destination.write(|out| match destination.format {
        OutputFormat::Json => {
            let mut object = json_object(&outcome);
            if explain {
                object.insert("steps".into(), steps_json());
            }
            write_json_line(out, object)
        }
        OutputFormat::Csv => {
            let (header, row) = csv_row(&outcome);
            writeln!(out, "{}", header.join(","))?;
            let row: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
            writeln!(out, "{}", row.join(","))
        }
        _ => {
            if explain {
                writeln!(out, "{steps}")?;
                writeln!(out)?;
            }
            match &outcome {
                Outcome::Shape(shape) => writeln!(out, "{}", tuple(shape)),
                Outcome::Strides {
                    strides,
                    itemsize,
                    nbytes,
                } => {
                    let mut table = TextTable::new(&["", ""]);
                    table.push(vec!["strides".into(), tuple(strides)]);
                    table.push(vec!["itemsize".into(), itemsize.to_string()]);
                    table.push(vec!["nbytes".into(), nbytes.to_string()]);
                    write_rows(out, &table)
                }
                Outcome::Indexed {
                    shape,
                    strides,
                    view,
                    scalar,
                } => {
                    let kind = match (view, scalar) {
                        (true, _) => "view",
                        (false, true) => "copy (a NumPy scalar)",
                        (false, false) => "copy",
                    };
                    let mut table = TextTable::new(&["", ""]);
                    table.push(vec!["shape".into(), tuple(shape)]);
                    table.push(vec!["strides".into(), tuple(strides)]);
                    table.push(vec!["memory".into(), kind.into()]);
                    write_rows(out, &table)
                }
            }
        }
    })
}

/// A two-column table without its (empty) header line.
fn write_rows(out: &mut dyn Write, table: &TextTable) -> std::io::Result<()> {
    let mut text = Vec::new();
    table.write(&mut text)?;
    let text = String::from_utf8_lossy(&text);
    for line in text.lines().skip(1) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn json_object(outcome: &Outcome) -> Map<String, Value> {
    let value = match outcome {
        Outcome::Shape(shape) => json!({ "shape": shape }),
        Outcome::Strides {
            strides,
            itemsize,
            nbytes,
        } => json!({ "strides": strides, "itemsize": itemsize, "nbytes": nbytes }),
        Outcome::Indexed {
            shape,
            strides,
            view,
            scalar,
        } => json!({ "shape": shape, "strides": strides, "view": view, "scalar": scalar }),
    };
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn csv_row(outcome: &Outcome) -> (Vec<&'static str>, Vec<String>) {
    match outcome {
        Outcome::Shape(shape) => (vec!["shape"], vec![tuple(shape)]),
        Outcome::Strides {
            strides,
            itemsize,
            nbytes,
        } => (
            vec!["strides", "itemsize", "nbytes"],
            vec![tuple(strides), itemsize.to_string(), nbytes.to_string()],
        ),
        Outcome::Indexed {
            shape,
            strides,
            view,
            scalar,
        } => (
            vec!["shape", "strides", "view", "scalar"],
            vec![
                tuple(shape),
                tuple(strides),
                view.to_string(),
                scalar.to_string(),
            ],
        ),
    }
}
