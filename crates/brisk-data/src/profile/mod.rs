//! Per-column profiles for the report, as ydata-profiling shows them: distinct counts, extreme
//! values, zeros, negatives and infinities of numeric columns; top values, lengths, padding,
//! numbers held as text and case variants of text columns. Built while
//! [`TableSummary`](crate::summary::TableSummary) reads the batches, in bounded memory, and
//! finished by [`TableSummary::finish_profiled`](crate::summary::TableSummary::finish_profiled).
//!
//! Main types: [`ColumnProfile`] (one per column: [`NumericProfile`], [`TextProfile`], or the
//! distinct count of a boolean or date-time column) and [`Distinct`], a count that says whether
//! it is exact. Distinct counts and top values are exact while the column's distinct values fit
//! the summary's budget; past it they come from a
//! [`HyperLogLog`] (an estimate with its relative
//! standard error) and a [`SpaceSaving`](brisk_kernels::accumulate::SpaceSaving) summary (counts
//! that are upper bounds; `top_exact` is then false).
//!
//! ```
//! use brisk_data::batch::Batches;
//! use brisk_data::input::{Format, Input};
//! use brisk_data::profile::ColumnProfile;
//! use brisk_data::summary::TableSummary;
//! let text = "x,s\n0,Retail\n-2,retail\n0, 7\n5,Retail\n";
//! let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
//! let mut batches = Batches::open(&input, 2).unwrap();
//! let mut summary = TableSummary::new(batches.types(), 1 << 20).profiled(batches.types());
//! while let Some(batch) = batches.next_batch().unwrap() {
//!     summary.add(&batch, batches.types());
//! }
//! let finished = summary.finish_profiled(batches.types(), None).unwrap();
//! let ColumnProfile::Numeric(x) = &finished.profiles[0] else { panic!() };
//! assert_eq!((x.distinct.count, x.distinct.exact), (3, true));
//! assert_eq!((x.zeros, x.negatives, x.smallest[0].value), (2, 1, -2.0));
//! let ColumnProfile::Text(s) = &finished.profiles[1] else { panic!() };
//! assert_eq!((s.top[0].value.as_str(), s.top[0].count, s.distinct.count), ("Retail", 2, 3));
//! assert_eq!((s.padded, s.numeric_like), (1, 1)); // " 7"
//! assert_eq!(s.case_variants[0].len(), 2); // Retail, retail
//! ```

mod numeric;
mod text;

use brisk_kernels::accumulate::HyperLogLog;
use serde::Serialize;

pub use brisk_kernels::accumulate::ValueCount;
pub(crate) use numeric::NumericFacts;
pub(crate) use text::{TextFacts, TextTally};

/// The values at each end of a numeric column's [`NumericProfile`] (ydata-profiling's "extreme
/// values").
pub const EXTREME_VALUES: usize = 5;
/// The most frequent values of a [`TextProfile`].
pub const TOP_VALUES: usize = 10;
/// The groups of case variants a [`TextProfile`] lists, most frequent first.
pub const CASE_GROUPS: usize = 10;

/// A number of distinct values: exact, or a HyperLogLog estimate with its relative standard
/// error (`1.04 / √m`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Distinct {
    /// Distinct non-null values (pandas' `Series.nunique()`).
    pub count: u64,
    /// Whether `count` is exact.
    pub exact: bool,
    /// The relative standard error of an estimate; `None` when exact.
    pub relative_error: Option<f64>,
}

impl Distinct {
    pub(crate) fn exact(count: u64) -> Self {
        Distinct {
            count,
            exact: true,
            relative_error: None,
        }
    }

    pub(crate) fn estimated(sketch: &HyperLogLog) -> Self {
        Distinct {
            count: sketch.estimate().round() as u64,
            exact: false,
            relative_error: Some(HyperLogLog::RELATIVE_ERROR),
        }
    }
}

/// A text value and how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextCount {
    /// The value.
    pub value: String,
    /// Its occurrences (an upper bound when the profile's `top_exact` is false).
    pub count: u64,
}

/// The lengths of a text column's values in characters (Unicode scalar values, pandas'
/// `str.len()`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LengthStats {
    /// The shortest.
    pub min: u64,
    /// The longest.
    pub max: u64,
    /// The mean.
    pub mean: f64,
    /// The median, the mean of the two middle lengths for an even count (`numpy.median`).
    pub median: f64,
}

/// The profile of a numeric column (integers included; not booleans or date-times).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumericProfile {
    /// Distinct non-null values.
    pub distinct: Distinct,
    /// Values equal to 0.
    pub zeros: u64,
    /// Values below 0 (−∞ included).
    pub negatives: u64,
    /// Values ±∞.
    pub infinite: u64,
    /// The [`EXTREME_VALUES`] smallest distinct values with their counts, ascending
    /// (`value_counts().sort_index().head(5)`).
    pub smallest: Vec<ValueCount>,
    /// The [`EXTREME_VALUES`] largest distinct values with their counts, ascending
    /// (`value_counts().sort_index().tail(5)`).
    pub largest: Vec<ValueCount>,
}

/// The profile of a text column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextProfile {
    /// Distinct non-null values.
    pub distinct: Distinct,
    /// The [`TOP_VALUES`] most frequent values, most frequent first; ties to the value seen
    /// first (`value_counts().head(10)`).
    pub top: Vec<TextCount>,
    /// The non-null values not in `top`.
    pub other: u64,
    /// Whether `top`'s counts (and `other`) are exact; past the budget `top` comes from a
    /// SpaceSaving summary whose counts are upper bounds once it saw more distinct values than
    /// its counters.
    pub top_exact: bool,
    /// The values' lengths; `None` without a value.
    pub length: Option<LengthStats>,
    /// Values with leading or trailing whitespace (`s != s.str.strip()`).
    pub padded: u64,
    /// Values that the CSV type inference reads as numbers ([`crate::value::parse_number`]).
    pub numeric_like: u64,
    /// Up to [`CASE_GROUPS`] groups of distinct values equal after Unicode lowercasing
    /// (`Retail`, `retail`), each most frequent first; the groups by their total count. Empty
    /// past the budget, where the distinct values are no longer known.
    pub case_variants: Vec<Vec<TextCount>>,
}

/// The profile of one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ColumnProfile {
    /// A numeric column.
    Numeric(NumericProfile),
    /// A text column.
    Text(TextProfile),
    /// A boolean column.
    Bool {
        /// Distinct non-null values (0, 1 or 2).
        distinct: Distinct,
    },
    /// A date-time column.
    Datetime {
        /// Distinct non-null instants.
        distinct: Distinct,
    },
}

#[cfg(test)]
mod tests;
