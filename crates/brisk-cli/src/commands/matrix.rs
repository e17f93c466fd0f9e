//! What the array commands share: loading the input matrix, naming errors after their file, and
//! writing a matrix result as .npy, CSV, JSON or a table.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{anyhow, Result};
use brisk_data::input::Input;
use brisk_data::matrix::{load_matrix, Matrix};
use brisk_kernels::KernelError;
use ndarray::ArrayView2;
use serde_json::{Map, Value};

use crate::cli::{Common, OutputFormat};
use crate::output::Destination;
use crate::table::{csv_field, human, TextTable};

/// An input file and its numeric matrix.
pub struct Loaded {
    pub input: Input,
    pub matrix: Matrix,
}

impl Loaded {
    /// Opens `path` and loads its numeric matrix.
    pub fn open(path: &Path, common: &Common) -> Result<Loaded> {
        let input = super::open_input(path, common)?;
        let matrix = load_matrix(&input, common.keep_index)?;
        if let Some(column) = matrix.index_dropped() {
            super::note_index_dropped(input.name(), column);
        }
        Ok(Loaded { input, matrix })
    }

    /// A kernel's complaint, prefixed with this file's name.
    pub fn error(&self, err: KernelError) -> anyhow::Error {
        anyhow!("{}: {err}", self.input.name())
    }

    /// The JSON fields every array result starts with: source, rows, columns, rows_dropped.
    pub fn summary(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("source".into(), self.input.name().into());
        map.insert("rows".into(), self.matrix.view().nrows().into());
        map.insert("columns".into(), self.matrix.columns().into());
        map.insert("rows_dropped".into(), self.matrix.rows_dropped().into());
        if let Some(column) = self.matrix.index_dropped() {
            map.insert("index_dropped".into(), column.into());
        }
        map
    }

    /// One line for tables: `name: 342 rows × 4 columns (2 rows with nulls dropped)`.
    pub fn describe(&self) -> String {
        let (n, d) = self.matrix.view().dim();
        let dropped = match self.matrix.rows_dropped() {
            0 => String::new(),
            r => format!(" ({r} rows with nulls dropped)"),
        };
        format!("{}: {n} rows × {d} columns{dropped}", self.input.name())
    }

    /// The result of an elementwise transform of this matrix (same shape, same columns), whose
    /// summary adds `key: name` and the axis.
    pub fn transformed<'a>(
        &self,
        values: ArrayView2<'a, f64>,
        key: &str,
        name: &str,
        axis: usize,
    ) -> MatrixResult<'a> {
        let mut summary = self.summary();
        summary.insert(key.into(), name.into());
        summary.insert("axis".into(), axis.into());
        MatrixResult {
            values,
            columns: self.matrix.columns().to_vec(),
            row_labels: None,
            one_dimensional: self.matrix.is_one_dimensional(),
            summary,
            title: format!("{}; {name} along axis {axis}", self.describe()),
        }
    }
}

/// A matrix result and how to label it.
pub struct MatrixResult<'a> {
    pub values: ArrayView2<'a, f64>,
    /// Column headers (CSV, table).
    pub columns: Vec<String>,
    /// Row labels for the table (a covariance's column names); row numbers when `None`.
    pub row_labels: Option<Vec<String>>,
    /// Write a 1-D `.npy` (the matrix has one column).
    pub one_dimensional: bool,
    /// JSON fields before `"matrix"`.
    pub summary: Map<String, Value>,
    /// The table's first line.
    pub title: String,
}

impl MatrixResult<'_> {
    /// Writes the result where `destination` says.
    pub fn write(&self, destination: &Destination) -> Result<()> {
        destination.write(|out| match destination.format {
            OutputFormat::Npy => self.write_npy(out),
            OutputFormat::Csv => self.write_csv(out),
            OutputFormat::Json => self.write_json(out),
            // Only .npy, .csv and .json are accepted for arrays; other formats never get here.
            OutputFormat::Table
            | OutputFormat::Tsv
            | OutputFormat::Parquet
            | OutputFormat::Svg
            | OutputFormat::Png
            | OutputFormat::Html
            | OutputFormat::State => self.write_table(out),
        })
    }

    fn write_npy(&self, out: &mut dyn Write) -> io::Result<()> {
        let (n, d) = self.values.dim();
        let shape: &[usize] = if self.one_dimensional { &[n] } else { &[n, d] };
        brisk_data::npy::write_f64(out, shape, self.values.iter().copied())
    }

    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let header: Vec<String> = self.columns.iter().map(|c| csv_field(c)).collect();
        writeln!(out, "{}", header.join(","))?;
        let mut line = String::new();
        for row in self.values.rows() {
            line.clear();
            for (j, v) in row.iter().enumerate() {
                if j > 0 {
                    line.push(',');
                }
                line.push_str(&number(*v));
            }
            writeln!(out, "{line}")?;
        }
        Ok(())
    }

    fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut map = self.summary.clone();
        map.insert("matrix".into(), rows_json(self.values));
        write_json_line(out, map)
    }

    fn write_table(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}", self.title)?;
        let mut header = vec![""];
        header.extend(self.columns.iter().map(String::as_str));
        let mut table = TextTable::new(&header);
        for (i, row) in self.values.rows().into_iter().enumerate() {
            let label = match &self.row_labels {
                Some(labels) => labels[i].clone(),
                None => i.to_string(),
            };
            let mut cells = vec![label];
            cells.extend(row.iter().map(|&v| human(Some(v))));
            table.push(cells);
        }
        table.write(out)
    }
}

/// One JSON object on one line.
pub fn write_json_line(out: &mut dyn Write, object: Map<String, Value>) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &Value::Object(object))?;
    writeln!(out)
}

/// A matrix as JSON rows (NaN as null).
pub fn rows_json(values: ArrayView2<'_, f64>) -> Value {
    Value::Array(
        values
            .rows()
            .into_iter()
            .map(|r| r.iter().map(|&v| json_number(v)).collect())
            .collect(),
    )
}

/// A number for JSON: the shortest text that reads back to the same `f64`; null for NaN or ±inf.
pub fn json_number(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// A number for CSV: the shortest round-trip text, in exponent form when very large or small.
pub fn number(v: f64) -> String {
    if v == 0.0 || (1e-5..1e16).contains(&v.abs()) || !v.is_finite() {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}
