//! Column types as pandas' `read_csv` infers them, decided once for every job.
//!
//! A column is numeric while every non-null value is a number; the first value that is not makes
//! it text, for the whole column. A numeric column with no null whose every value is an integer
//! literal is what pandas reads as `int64` ([`ColumnTypes::is_integer`]); the others are `float64`.
//! A column whose every non-null value is one of pandas' true or false tokens
//! ([`crate::value::parse_bool`]) is boolean; its batches hold 1 and 0 as numbers, so that the
//! analyses take it as `DataFrame.corr(numeric_only=True)` and scikit-learn do. pandas reads a
//! boolean column with nulls as `object`; brisk keeps it boolean, as pandas' nullable `boolean`
//! dtype would, with the nulls counted. A column whose every non-null value is an ISO 8601 date or
//! date-time ([`crate::dates::parse_datetime`]) is a date-time column (pandas'
//! `read_csv(parse_dates=...)`), unless the input turns the detection off; its batches hold
//! seconds since the epoch.

use crate::error::Location;

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ColumnType {
    /// Every non-null value is a number.
    Numeric,
    /// Some value is text.
    Text,
    /// Every non-null value is `True` or `False`: 1 and 0 in the batches.
    Bool,
    /// Every non-null value is an ISO 8601 date or date-time: seconds since the epoch (UTC) in
    /// the batches.
    Datetime,
}

/// Whether a column's ISO 8601 dates make it a date-time column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DateRule {
    /// A column whose first value is a date is a date-time column; a later value that is not
    /// makes it text.
    Detect,
    /// The column must hold dates (`--parse-dates`): a value that is not one is an error.
    Require,
    /// Dates are text (`--no-parse-dates`).
    Off,
}

/// The first field that made a column text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TextSighting {
    /// The file, line (CSV) or row (Parquet) and column.
    pub location: Location,
    /// The field's text.
    pub value: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Inferred {
    ty: ColumnType,
    /// Every value so far is an integer literal that fits in an `i64`.
    integer: bool,
    has_null: bool,
    /// A non-null value was read.
    has_value: bool,
    /// A date-time value with a time of day other than midnight was read.
    has_time_of_day: bool,
    dates: DateRule,
    first_text: Option<TextSighting>,
    /// The column was read as numbers in an earlier batch of this pass before it turned to text.
    turned_late: bool,
}

/// The names and types of a table's columns, as inferred so far.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
                has_value: false,
                has_time_of_day: false,
                dates: DateRule::Detect,
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

    /// Only these columns (indices), in this order.
    pub(crate) fn project(&self, columns: &[usize]) -> ColumnTypes {
        ColumnTypes {
            names: columns.iter().map(|&j| self.names[j].clone()).collect(),
            columns: columns.iter().map(|&j| self.columns[j].clone()).collect(),
            fixed: self.fixed,
        }
    }

    /// The types of a table with these `names` whose columns `columns` (indices into `names`)
    /// have these types, in order; the other columns keep the types of no row read.
    pub(crate) fn widen(&self, names: Vec<String>, columns: &[usize]) -> ColumnTypes {
        let mut wide = ColumnTypes::infer(names);
        wide.fixed = self.fixed;
        for (c, &j) in self.columns.iter().zip(columns) {
            wide.columns[j] = c.clone();
        }
        wide
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

    /// Whether column `j` is numeric (not boolean).
    pub fn is_numeric(&self, j: usize) -> bool {
        self.columns[j].ty == ColumnType::Numeric
    }

    /// Whether column `j` is boolean.
    pub fn is_bool(&self, j: usize) -> bool {
        self.columns[j].ty == ColumnType::Bool
    }

    /// Whether column `j` is a date-time column.
    pub fn is_datetime(&self, j: usize) -> bool {
        self.columns[j].ty == ColumnType::Datetime
    }

    /// Whether some value of date-time column `j` has a time of day other than midnight (else
    /// it is written as dates, as pandas writes such a column).
    pub fn has_time_of_day(&self, j: usize) -> bool {
        self.columns[j].has_time_of_day
    }

    /// Whether column `j`'s batches hold numbers: a numeric, boolean or date-time column.
    pub fn holds_numbers(&self, j: usize) -> bool {
        self.columns[j].ty != ColumnType::Text
    }

    /// Whether column `j` counts as a number for the analyses (correlation, PCA, k-means,
    /// importance, the array commands): a numeric or a boolean column, as
    /// `DataFrame.corr(numeric_only=True)` takes them (not a date-time one).
    pub fn counts_as_number(&self, j: usize) -> bool {
        matches!(self.columns[j].ty, ColumnType::Numeric | ColumnType::Bool)
    }

    /// How column `j`'s dates are read.
    pub fn date_rule(&self, j: usize) -> DateRule {
        self.columns[j].dates
    }

    /// Sets how column `j`'s dates are read; a column that must hold dates is a date-time
    /// column from the first row.
    pub(crate) fn set_date_rule(&mut self, j: usize, rule: DateRule) {
        let c = &mut self.columns[j];
        c.dates = rule;
        if rule == DateRule::Require {
            c.ty = ColumnType::Datetime;
            c.integer = false;
        }
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

    pub(super) fn saw_value(&mut self, j: usize) {
        self.columns[j].has_value = true;
    }

    /// Whether column `j` has held a non-null value so far.
    pub(super) fn has_value(&self, j: usize) -> bool {
        self.columns[j].has_value
    }

    /// Column `j`, null so far, met a boolean: it is boolean from now on (its earlier rows, all
    /// null, read the same either way).
    pub(super) fn turn_bool(&mut self, j: usize) {
        let c = &mut self.columns[j];
        c.ty = ColumnType::Bool;
        c.integer = false;
    }

    /// Column `j`, null so far, met a date: it is a date-time column from now on.
    pub(super) fn turn_datetime(&mut self, j: usize) {
        let c = &mut self.columns[j];
        c.ty = ColumnType::Datetime;
        c.integer = false;
    }

    pub(crate) fn saw_time_of_day(&mut self, j: usize) {
        self.columns[j].has_time_of_day = true;
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

    /// Joins the types another part of the same table was read with (another partition): a
    /// column keeps its type where both parts hold a value, takes the other's where only the
    /// other does, and is an integer, null-free or time-of-day-free column only if both parts
    /// are.
    ///
    /// ```
    /// use brisk_data::batch::{Batches, ColumnType};
    /// use brisk_data::input::{Format, Input};
    /// let types = |text: &str| {
    ///     let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
    ///     let mut batches = Batches::open(&input, 10).unwrap();
    ///     while batches.next_batch().unwrap().is_some() {}
    ///     batches.types().clone()
    /// };
    /// let mut a = types("n,s\n1,\n2,\n");
    /// a.merge(&types("n,s\n2.5,x\n")).unwrap();
    /// assert!(!a.is_integer(0));
    /// assert_eq!(a.get(1), ColumnType::Text);
    /// assert_eq!(a.merge(&types("n,s\nx,y\n")), Err(0));
    /// ```
    ///
    /// # Errors
    /// The first column (by index) that holds values of two types, or tables of other names
    /// (`Err(0)`, or the first index past the shorter table).
    pub fn merge(&mut self, other: &ColumnTypes) -> Result<(), usize> {
        if self.names != other.names {
            return Err(0);
        }
        if let Some(j) = (0..self.len()).find(|&j| {
            let (a, b) = (&self.columns[j], &other.columns[j]);
            a.ty != b.ty && a.has_value && b.has_value
        }) {
            return Err(j);
        }
        for (mine, theirs) in self.columns.iter_mut().zip(&other.columns) {
            if !mine.has_value && theirs.has_value {
                let has_null = mine.has_null;
                *mine = theirs.clone();
                mine.has_null |= has_null;
                continue;
            }
            if theirs.has_value || mine.ty == theirs.ty {
                mine.integer &= theirs.integer;
                mine.has_time_of_day |= theirs.has_time_of_day;
            }
            mine.has_null |= theirs.has_null;
            mine.has_value |= theirs.has_value;
            if mine.first_text.is_none() {
                mine.first_text.clone_from(&theirs.first_text);
            }
        }
        Ok(())
    }

    /// Sets a column's type outright (a typed source such as Parquet).
    pub(crate) fn set(&mut self, j: usize, ty: ColumnType, integer: bool) {
        let c = &mut self.columns[j];
        c.ty = ty;
        c.integer = integer;
    }
}
