//! Labelled horizontal bars of counts: a text column's most frequent values ([`top_values`]) and
//! the share of values present in each column ([`missing_bars`], missingno's `bar`).
//!
//! Both charts are a list of rows — a label, a bar and a note "count (share)" at the bar's end —
//! whose canvas grows with the rows, so that every label keeps a legible line.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::category::{grouped, grown, label_step, MIN_LABEL_PITCH};
use super::palette::{BAR, GRID, MISSING};
use super::text::{self, Sizes, INK, MUTED_INK};
use super::{render, Canvas, Chart, ChartError, Image, ImageFormat, MIN_SIZE, MIN_SVG_SIZE};

/// The most values [`top_values`] draws a bar for; the rest join the "other values" bar.
pub const MAX_TOP_VALUES: usize = 10;

/// The most characters of a value's label before it is cut with "…".
const MAX_LABEL_CHARS: usize = 40;

/// The tallest canvas of [`missing_bars`], in pixels: past about 200 columns the rows get thinner.
const MAX_BARS_HEIGHT: u32 = 4200;

/// Draws a text column's most frequent values as horizontal bars, largest first, SVG or PNG.
///
/// `values` are (value, count) pairs in any order; the [`MAX_TOP_VALUES`] most frequent are drawn
/// (ties in input order) and the counts of the rest are added to `other`. When `other > 0` a grey
/// bar "other values" closes the list. Each bar ends with its count and its share of `total`
/// (`1,234 (12.3%)`); the longest bar spans the plot. Labels longer than 40 characters, or wider
/// than a third of the canvas, are cut with "…". The height follows the number of bars (about 26
/// pixels a bar), at least the format's minimum height.
///
/// # Errors
///
/// [`ChartError::Empty`] when there are no values and `other` is 0, or `total` is 0;
/// [`ChartError::Mismatch`] when the counts add up to more than `total`;
/// [`ChartError::InvalidSize`] when `width` is below the format's minimum width.
///
/// # Example
///
/// ```
/// use brisk_report::chart::{top_values, ImageFormat};
///
/// let values = [("Adelie", 152), ("Gentoo", 124), ("Chinstrap", 68)];
/// let image = top_values(&values, 0, 344, "species", ImageFormat::Svg, 600)?;
/// let svg = String::from_utf8(image.as_bytes().to_vec()).unwrap();
/// assert!(svg.contains("Gentoo") && svg.contains("152 (44.2%)"));
/// # Ok::<(), brisk_report::chart::ChartError>(())
/// ```
pub fn top_values(
    values: &[(&str, u64)],
    other: u64,
    total: u64,
    title: &str,
    format: ImageFormat,
    width: u32,
) -> Result<Image, ChartError> {
    let list = BarList::top_values(values, other, total, title)?;
    let height = grown(
        list.rows.len(),
        70,
        26,
        (min_height(format), MAX_BARS_HEIGHT),
    );
    render(&list, format, (width, height))
}

/// Draws the share of values present in each column as horizontal bars, SVG or PNG (missingno's
/// `bar`).
///
/// `columns` are (name, values present) pairs, drawn in the given order, one row each, against a
/// light track that stands for all `rows`; each bar ends with "present (share)". The height grows
/// by 20 pixels a column up to 4200 pixels (about 200 columns); past that the rows get thinner, and
/// once a row is thinner than a legible line only every k-th row is labelled.
///
/// # Errors
///
/// [`ChartError::Empty`] when there are no columns or `rows` is 0, [`ChartError::Mismatch`] when a
/// column has more values present than `rows`, [`ChartError::InvalidSize`] when `width` is below
/// the format's minimum width.
///
/// # Example
///
/// ```
/// use brisk_report::chart::{missing_bars, ImageFormat};
///
/// let image = missing_bars(&[("bill_length_mm", 342), ("sex", 333)], 344, ImageFormat::Svg, 700)?;
/// let svg = String::from_utf8(image.as_bytes().to_vec()).unwrap();
/// assert!(svg.contains("sex") && svg.contains("333 (96.8%)"));
/// # Ok::<(), brisk_report::chart::ChartError>(())
/// ```
pub fn missing_bars(
    columns: &[(&str, u64)],
    rows: u64,
    format: ImageFormat,
    width: u32,
) -> Result<Image, ChartError> {
    let list = BarList::missing(columns, rows)?;
    let height = grown(
        list.rows.len(),
        70,
        20,
        (min_height(format), MAX_BARS_HEIGHT),
    );
    render(&list, format, (width, height))
}

/// The smallest canvas height of `format`.
fn min_height(format: ImageFormat) -> u32 {
    match format {
        ImageFormat::Svg => MIN_SVG_SIZE.1,
        ImageFormat::Png => MIN_SIZE.1,
    }
}

/// `part` of `whole` as a percentage with one decimal, "<0.1%" for a tiny non-zero share.
pub(crate) fn share(part: u64, whole: u64) -> String {
    let percent = part as f64 / whole as f64 * 100.0;
    if part > 0 && percent < 0.05 {
        "<0.1%".into()
    } else {
        format!("{percent:.1}%")
    }
}

/// One row of a bar list.
struct BarRow {
    label: String,
    /// The bar's length as a fraction of the plot's width, in [0, 1].
    length: f64,
    note: String,
    /// The "other values" row, drawn grey.
    other: bool,
}

/// Validated rows of labelled bars, top to bottom.
struct BarList<'a> {
    title: &'a str,
    rows: Vec<BarRow>,
    /// Whether a light track behind each bar marks the full length.
    track: bool,
}

impl<'a> BarList<'a> {
    /// The most frequent values, largest first, and the "other values" row.
    fn top_values(
        values: &[(&str, u64)],
        other: u64,
        total: u64,
        title: &'a str,
    ) -> Result<Self, ChartError> {
        if (values.is_empty() && other == 0) || total == 0 {
            return Err(ChartError::Empty("no values to count".into()));
        }
        let counted = values
            .iter()
            .map(|(_, count)| *count)
            .chain([other])
            .try_fold(0u64, u64::checked_add);
        if counted.is_none_or(|sum| sum > total) {
            return Err(ChartError::Mismatch(format!(
                "the value counts add up to more than the {total} values"
            )));
        }
        let mut sorted = values.to_vec();
        sorted.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
        let rest: u64 = sorted.iter().skip(MAX_TOP_VALUES).map(|(_, c)| *c).sum();
        sorted.truncate(MAX_TOP_VALUES);
        let other = other + rest;
        let longest = sorted.iter().map(|(_, c)| *c).chain([other]).max();
        let longest = longest.unwrap_or(0).max(1) as f64;
        let row = |label: String, count: u64, other: bool| BarRow {
            label,
            length: count as f64 / longest,
            note: format!("{} ({})", grouped(count), share(count, total)),
            other,
        };
        let mut rows: Vec<BarRow> = sorted
            .iter()
            .map(|(value, count)| row(value_label(value), *count, false))
            .collect();
        if other > 0 {
            rows.push(row("other values".into(), other, true));
        }
        Ok(Self {
            title,
            rows,
            track: false,
        })
    }

    /// One row per column: the share of its values present.
    fn missing(columns: &[(&str, u64)], total: u64) -> Result<Self, ChartError> {
        if columns.is_empty() || total == 0 {
            return Err(ChartError::Empty("no columns or no rows".into()));
        }
        if let Some((name, present)) = columns.iter().find(|(_, present)| *present > total) {
            return Err(ChartError::Mismatch(format!(
                "column {name:?} has {present} values present of {total} rows"
            )));
        }
        let rows = columns
            .iter()
            .map(|(name, present)| BarRow {
                label: (*name).to_string(),
                length: *present as f64 / total as f64,
                note: format!("{} ({})", grouped(*present), share(*present, total)),
                other: false,
            })
            .collect();
        Ok(Self {
            title: "Values present per column",
            rows,
            track: true,
        })
    }
}

/// A value as its bar's label: at most [`MAX_LABEL_CHARS`] characters, the empty string as `""`.
fn value_label(value: &str) -> String {
    if value.is_empty() {
        return "\"\"".into();
    }
    if value.chars().count() <= MAX_LABEL_CHARS {
        return value.to_string();
    }
    let kept: String = value.chars().take(MAX_LABEL_CHARS - 1).collect();
    format!("{}…", kept.trim_end())
}

/// The horizontal geometry of a bar list, in pixels.
struct Columns {
    /// The right edge of the labels.
    label_end: i32,
    /// The widest label.
    label_width: i32,
    /// Where the bars start, and their full length.
    bar_start: i32,
    bar_length: i32,
}

impl Chart for BarList<'_> {
    fn draw<DB: Canvas>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let sizes = Sizes::for_area(area.dim_in_pixel()).at_most_reference();
        let body = text::title(area, self.title, sizes)?;
        let height = body.dim_in_pixel().1 as i32 - sizes.px(8.0);
        let pitch = f64::from(height.max(1)) / self.rows.len() as f64;
        let font = text::even(sizes.small().min(pitch * 0.75));
        let step = label_step(self.rows.len(), pitch, MIN_LABEL_PITCH.max(font + 1.0));
        let label_style = text::style(font, &INK);
        let note_style = text::style(font, &MUTED_INK);
        let columns = self.columns(&body, sizes, &label_style, &note_style)?;
        for (k, row) in self.rows.iter().enumerate() {
            let top = (k as f64 * pitch).round() as i32;
            let bottom = ((k as f64 + 1.0) * pitch).round() as i32;
            let inset = ((bottom - top) / 7).max(if bottom - top > 3 { 1 } else { 0 });
            let (top, bottom) = (top + inset, bottom - inset);
            let end =
                columns.bar_start + (row.length * f64::from(columns.bar_length)).round() as i32;
            let full = columns.bar_start + columns.bar_length;
            if self.track {
                body.draw(&Rectangle::new(
                    [(columns.bar_start, top), (full, bottom)],
                    GRID.filled(),
                ))?;
            }
            let fill = if row.other { MISSING } else { BAR };
            body.draw(&Rectangle::new(
                [(columns.bar_start, top), (end, bottom)],
                fill.filled(),
            ))?;
            if k % step != 0 {
                continue;
            }
            let middle = (top + bottom) / 2;
            let label_ink = if row.other { MUTED_INK } else { INK };
            let style = text::recolor(
                &text::anchored(&label_style, HPos::Right, VPos::Center),
                label_ink,
            );
            let shown = text::fit(&body, &row.label, &label_style, columns.label_width)?;
            text::draw(&body, &shown, &style, (columns.label_end, middle))?;
            let note_at = if self.track { full } else { end } + sizes.px(8.0);
            let style = text::anchored(&note_style, HPos::Left, VPos::Center);
            text::draw(&body, &row.note, &style, (note_at, middle))?;
        }
        Ok(())
    }
}

impl BarList<'_> {
    /// The label column (as wide as the widest label, up to a third of the width), then the bars,
    /// then room for the widest note.
    fn columns<DB: Canvas>(
        &self,
        body: &DrawingArea<DB, Shift>,
        sizes: Sizes,
        label_style: &TextStyle,
        note_style: &TextStyle,
    ) -> Result<Columns, ChartError> {
        let width = body.dim_in_pixel().0 as i32;
        let (mut label_width, mut note_width) = (0, 0);
        for row in &self.rows {
            label_width = label_width.max(text::width(body, &row.label, label_style)?);
            note_width = note_width.max(text::width(body, &row.note, note_style)?);
        }
        let margin = sizes.px(12.0);
        let gap = sizes.px(8.0);
        let label_width = label_width.min(width / 3);
        let label_end = margin + label_width;
        let bar_start = label_end + gap;
        let bar_length = (width - bar_start - gap - note_width - margin).max(width / 5);
        Ok(Columns {
            label_end,
            label_width,
            bar_start,
            bar_length,
        })
    }
}
