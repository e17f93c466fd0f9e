//! Column types as pandas' `read_csv` infers them, decided once for every job.
//!
//! A column is numeric while every non-null value is a number; the first value that is not makes
//! it text, for the whole column. A numeric column with no null whose every value is an integer
//! literal is what pandas reads as `int64` ([`ColumnTypes::is_integer`]); the others are `float64`.

use crate::error::Location;

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Every non-null value is a number.
    Numeric,
    /// Some value is text.
    Text,
}

/// The first field that made a column text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSighting {
    /// The file, line (CSV) or row (Parquet) and column.
    pub location: Location,
    /// The field's text.
    pub value: String,
}

#[derive(Debug, Clone)]
struct Inferred {
    ty: ColumnType,
    /// Every value so far is an integer literal that fits in an `i64`.
    integer: bool,
    has_null: bool,
    first_text: Option<TextSighting>,
    /// The column was read as numbers in an earlier batch of this pass before it turned to text.
    turned_late: bool,
}

/// The names and types of a table's columns, as inferred so far.
#[derive(Debug, Clone)]
pub struct ColumnTypes {
    names: Vec<String>,
    columns: Vec<Inferred>,
    /// Types were given by an earlier pass: a column that turns to text now means the input
    /// changed.
    fixed: bool,
}

impl ColumnTypes {
    /// Every column numeric until its data says otherwise.
    pub fn infer(names: Vec<String>) -> Self {
        let columns = names
            .iter()
            .map(|_| Inferred {
                ty: ColumnType::Numeric,
                integer: true,
                has_null: false,
                first_text: None,
                turned_late: false,
            })
            .collect();
        ColumnTypes {
            names,
            columns,
            fixed: false,
        }
    }

    /// The same types, fixed for another pass over the same input.
    pub fn fixed(&self) -> Self {
        let mut types = self.clone();
        types.fixed = true;
        for column in &mut types.columns {
            column.turned_late = false;
        }
        types
    }

    /// Whether the types were fixed by an earlier pass.
    pub fn is_fixed(&self) -> bool {
        self.fixed
    }

    /// The column names, made unique as pandas makes them.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the table has no column.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The type of column `j`.
    pub fn get(&self, j: usize) -> ColumnType {
        self.columns[j].ty
    }

    /// Whether column `j` is numeric.
    pub fn is_numeric(&self, j: usize) -> bool {
        self.columns[j].ty == ColumnType::Numeric
    }

    /// Whether column `j` is what pandas reads as `int64`: numeric, no null, every value an
    /// integer literal.
    pub fn is_integer(&self, j: usize) -> bool {
        let c = &self.columns[j];
        c.ty == ColumnType::Numeric && c.integer && !c.has_null
    }

    /// Where column `j` first showed text, if it is text.
    pub fn first_text(&self, j: usize) -> Option<&TextSighting> {
        self.columns[j].first_text.as_ref()
    }

    /// Whether some column turned to text after an earlier batch of this pass read it as
    /// numbers: whatever the pass accumulated for that column as numbers is not its final
    /// answer, and a job that needs final types from the first row runs the pass again with
    /// [`ColumnTypes::fixed`].
    pub fn turned_late(&self) -> bool {
        self.columns.iter().any(|c| c.turned_late)
    }

    /// The index of a column by name.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    pub(super) fn saw_null(&mut self, j: usize) {
        self.columns[j].has_null = true;
    }

    pub(super) fn saw_non_integer(&mut self, j: usize) {
        self.columns[j].integer = false;
    }

    pub(super) fn is_integer_so_far(&self, j: usize) -> bool {
        let c = &self.columns[j];
        c.integer
    }

    /// Column `j` met text: it is text from now on. `earlier_rows` says whether rows of earlier
    /// batches were read as numbers.
    pub(super) fn turn_text(&mut self, j: usize, sighting: TextSighting, earlier_rows: bool) {
        let c = &mut self.columns[j];
        c.ty = ColumnType::Text;
        c.integer = false;
        c.turned_late |= earlier_rows;
        c.first_text.get_or_insert(sighting);
    }

    /// Sets a column's type outright (a typed source such as Parquet).
    pub(crate) fn set(&mut self, j: usize, ty: ColumnType, integer: bool) {
        let c = &mut self.columns[j];
        c.ty = ty;
        c.integer = integer;
    }
}
