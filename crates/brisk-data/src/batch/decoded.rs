//! [`Decoded`]: what a text decoder (CSV, JSON lines) found in one column of a batch, and
//! [`learn`], the one place the pass's [`ColumnTypes`] learn from it.

use super::column::{BatchColumn, NumericColumn, TextColumn};
use super::types::{ColumnType, ColumnTypes, DateRule, TextSighting};
use crate::error::{DataError, ErrorKind, Location, Result};

/// What decoding a column of a batch starts from: the pass's type of the column so far.
pub(super) struct Kind {
    pub(super) ty: ColumnType,
    /// Every value so far was an integer.
    pub(super) integer: bool,
    /// Earlier batches held a value.
    pub(super) has_value: bool,
    pub(super) dates: DateRule,
}

impl Kind {
    /// The kind of every column of `types`.
    pub(super) fn all(types: &ColumnTypes) -> Vec<Kind> {
        (0..types.len())
            .map(|j| Kind {
                ty: types.get(j),
                integer: types.is_integer_so_far(j),
                has_value: types.has_value(j),
                dates: types.date_rule(j),
            })
            .collect()
    }
}

/// What decoding one column of a batch found.
pub(super) struct Decoded {
    pub(super) column: BatchColumn,
    pub(super) integers: Option<Vec<i64>>,
    pub(super) saw_null: bool,
    /// A non-null value was read.
    pub(super) saw_value: bool,
    pub(super) non_integer: bool,
    /// A numeric column, null until now, met a boolean and was decoded as booleans.
    pub(super) became_bool: bool,
    /// A numeric column, null until now, met a date and was decoded as date-times.
    pub(super) became_datetime: bool,
    /// A date-time value had a time of day other than midnight.
    pub(super) saw_time_of_day: bool,
    /// The row and text of a value that is not a date in a column that must hold dates.
    pub(super) not_a_date: Option<(usize, String)>,
    /// The row (in the batch) and text of the value that turned the column to text.
    pub(super) turned_text: Option<(usize, String)>,
}

impl Decoded {
    /// A column of values coded as numbers (booleans, date-times), with its nulls.
    pub(super) fn coded(values: Vec<f64>, saw_null: bool) -> Decoded {
        Decoded {
            saw_value: values.iter().any(|v| !v.is_nan()),
            saw_null,
            non_integer: true,
            ..Decoded::nothing(BatchColumn::Numeric(NumericColumn::new(values)))
        }
    }

    /// A text column: all it says of the type is that it is not integer.
    pub(super) fn text(column: TextColumn) -> Decoded {
        Decoded {
            non_integer: true,
            ..Decoded::nothing(BatchColumn::Text(column))
        }
    }

    /// A text column that was numeric (or boolean) until the value `value` of row `row`.
    pub(super) fn turned_text(
        column: TextColumn,
        saw_null: bool,
        row: usize,
        value: String,
    ) -> Decoded {
        Decoded {
            saw_null,
            saw_value: true,
            turned_text: Some((row, value)),
            ..Decoded::text(column)
        }
    }

    /// A column from which nothing is learnt.
    pub(super) fn nothing(column: BatchColumn) -> Decoded {
        Decoded {
            column,
            integers: None,
            saw_null: false,
            saw_value: false,
            non_integer: false,
            became_bool: false,
            became_datetime: false,
            saw_time_of_day: false,
            not_a_date: None,
            turned_text: None,
        }
    }
}

/// Folds what decoding column `j` of a batch found into `types`. `locate(types, row)` names a
/// row of the batch (with the column); `first_value()` is the row of the column's first value;
/// `first_row` is the batch's first data row (a turn to text after it is a late one).
///
/// # Errors
/// A value that is not a date in a column that must hold dates; on a pass with the types of an
/// earlier one, a column that turns to bool, date-time or text: the input changed in between.
pub(super) fn learn(
    types: &mut ColumnTypes,
    j: usize,
    found: &mut Decoded,
    first_row: u64,
    locate: &dyn Fn(&ColumnTypes, usize) -> Location,
    first_value: &dyn Fn() -> usize,
) -> Result<()> {
    if found.saw_null {
        types.saw_null(j);
    }
    if found.non_integer {
        types.saw_non_integer(j);
    }
    if found.saw_value {
        types.saw_value(j);
    }
    if found.saw_time_of_day {
        types.saw_time_of_day(j);
    }
    if let Some((row, value)) = found.not_a_date.take() {
        return Err(DataError::new(
            ErrorKind::Date,
            locate(types, row),
            format!(
                "{value:?} is not an ISO 8601 date or date-time (YYYY-MM-DD, optionally with a \
                 time), and --parse-dates names this column"
            ),
        ));
    }
    if found.became_bool || found.became_datetime {
        if types.is_fixed() {
            let what = if found.became_bool {
                "a boolean"
            } else {
                "a date"
            };
            return Err(DataError::new(
                ErrorKind::Io,
                locate(types, first_value()),
                format!(
                    "{what} in a column an earlier pass read as empty: the file changed between \
                     the passes over it; run again on a file at rest"
                ),
            ));
        }
        if found.became_bool {
            types.turn_bool(j);
        } else {
            types.turn_datetime(j);
        }
    }
    if let Some((row, value)) = found.turned_text.take() {
        let location = locate(types, row);
        if types.is_fixed() {
            return Err(DataError::new(
                ErrorKind::Io,
                location,
                format!(
                    "{value:?} is text in a column an earlier pass read as numbers: the file \
                     changed between the passes over it; run again on a file at rest"
                ),
            ));
        }
        types.turn_text(j, TextSighting { location, value }, first_row > 0);
    }
    Ok(())
}
