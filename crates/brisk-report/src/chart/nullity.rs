//! The nullity matrix (missingno's `matrix`): a column of cells per column, a line per sampled
//! row in file order, dark where a value is present and light where it is null.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::category::{grouped, grown, label_step, LabelRow, Placement, MIN_LABEL_PITCH};
use super::text::{self, Sizes, INK, MUTED_INK};
use super::{render, Canvas, Chart, ChartError, Image, ImageFormat, MIN_SIZE};

/// The ink of a present value.
const PRESENT: RGBColor = RGBColor(0x40, 0x40, 0x40);

/// The background of a null value.
const NULL: RGBColor = RGBColor(0xf2, 0xf2, 0xf2);

/// Draws which values of sampled rows are null, SVG or PNG (missingno's `matrix`).
///
/// `rows` are the sampled rows in file order, row-major, `true` where a value is null; each holds
/// one flag per name. Columns run across (at least 6 and about 14 pixels each, the canvas from 800
/// up to 3000 pixels wide), rows down; a present value is dark, a null one light, so a column's
/// gaps read as light streaks. The names stand above the columns, turned upwards (cut with "…"
/// past three tenths of the height), and when the
/// columns are narrower than a legible line only every k-th is named. A note below reads
/// "rows sampled in file order: 1,000 of 1,234,567". The canvas is 600 pixels high; each run of
/// nulls is one rectangle, so the SVG stays small.
///
/// # Errors
///
/// [`ChartError::Empty`] when there are no names or no rows, [`ChartError::Mismatch`] when a row
/// does not have one flag per name or `total_rows` is below the number of rows.
///
/// # Example
///
/// ```
/// use brisk_report::chart::{nullity_matrix, ImageFormat};
///
/// let names = vec!["bill_length_mm".to_string(), "sex".to_string()];
/// let rows = vec![vec![false, false], vec![false, true], vec![true, true]];
/// let image = nullity_matrix(&names, &rows, 344, ImageFormat::Svg)?;
/// let svg = String::from_utf8(image.as_bytes().to_vec()).unwrap();
/// assert!(svg.contains("sex") && svg.contains("3 of 344"));
/// # Ok::<(), brisk_report::chart::ChartError>(())
/// ```
pub fn nullity_matrix(
    names: &[String],
    rows: &[Vec<bool>],
    total_rows: u64,
    format: ImageFormat,
) -> Result<Image, ChartError> {
    let matrix = Nullity::new(names, rows, total_rows)?;
    let width = grown(names.len(), 260, 14, (MIN_SIZE.0, 3000));
    render(&matrix, format, (width, 600))
}

/// A validated sample of null flags.
struct Nullity<'a> {
    names: &'a [String],
    rows: &'a [Vec<bool>],
    total_rows: u64,
}

impl<'a> Nullity<'a> {
    fn new(
        names: &'a [String],
        rows: &'a [Vec<bool>],
        total_rows: u64,
    ) -> Result<Self, ChartError> {
        if names.is_empty() || rows.is_empty() {
            return Err(ChartError::Empty("no columns or no rows to draw".into()));
        }
        if let Some((k, row)) = rows
            .iter()
            .enumerate()
            .find(|(_, row)| row.len() != names.len())
        {
            return Err(ChartError::Mismatch(format!(
                "sampled row {k} has {} flags for {} columns",
                row.len(),
                names.len()
            )));
        }
        if total_rows < rows.len() as u64 {
            return Err(ChartError::Mismatch(format!(
                "{} sampled rows of only {total_rows}",
                rows.len()
            )));
        }
        Ok(Self {
            names,
            rows,
            total_rows,
        })
    }

    /// The runs of null rows of column `column`, as half-open ranges of row indices.
    fn null_runs(&self, column: usize) -> Vec<(usize, usize)> {
        let mut runs = Vec::new();
        let mut start = None;
        for (k, row) in self.rows.iter().enumerate() {
            match (row[column], start) {
                (true, None) => start = Some(k),
                (false, Some(first)) => {
                    runs.push((first, k));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(first) = start {
            runs.push((first, self.rows.len()));
        }
        runs
    }
}

impl Chart for Nullity<'_> {
    fn draw<DB: Canvas>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let sizes = Sizes::for_area(area.dim_in_pixel()).at_most_reference();
        let (width, height) = area.dim_in_pixel();
        let (width, height) = (width as i32, height as i32);
        let margin = sizes.px(16.0);
        let n = self.names.len();
        let pitch = f64::from(width - 2 * margin) / n as f64;
        let font = text::even(sizes.small().min(pitch * 0.8));
        let step = label_step(n, pitch, MIN_LABEL_PITCH.max(font + 1.0));
        let label_style = text::style(font, &INK);
        let mut longest = 0;
        for name in self.names {
            longest = longest.max(text::width(area, name, &label_style)?);
        }
        // The names' room: the longest name, up to three tenths of the height.
        let label_room = (longest + sizes.px(12.0)).min(height * 3 / 10);
        let note_style = text::style(sizes.small(), &MUTED_INK);
        let top = margin + label_room;
        let bottom = height - margin - sizes.small().round() as i32 - sizes.px(10.0);
        LabelRow {
            first_center: margin + (pitch / 2.0).round() as i32,
            pitch,
            edge: top - sizes.px(6.0),
            placement: Placement::AboveTurned,
            max_length: label_room - sizes.px(6.0),
        }
        .draw(area, self.names, &label_style, step)?;
        self.draw_cells(area, (margin, top), pitch, bottom - top)?;
        let note = format!(
            "rows sampled in file order: {} of {}",
            grouped(self.rows.len() as u64),
            grouped(self.total_rows)
        );
        let style = text::anchored(&note_style, HPos::Left, VPos::Top);
        text::draw(area, &note, &style, (margin, bottom + sizes.px(10.0)))
    }
}

impl Nullity<'_> {
    /// A dark column per name, lightened over its runs of nulls, `pitch` pixels apart.
    fn draw_cells<DB: Canvas>(
        &self,
        area: &DrawingArea<DB, Shift>,
        (left, top): (i32, i32),
        pitch: f64,
        height: i32,
    ) -> Result<(), ChartError> {
        let row_height = f64::from(height) / self.rows.len() as f64;
        let y = |row: usize| top + (row as f64 * row_height).round() as i32;
        for column in 0..self.names.len() {
            let x0 = left + (column as f64 * pitch).round() as i32;
            let x1 = left + ((column + 1) as f64 * pitch).round() as i32;
            // A seam between columns while they are wide enough to spare a pixel.
            let x1 = if pitch >= 4.0 { x1 - 1 } else { x1 };
            area.draw(&Rectangle::new(
                [(x0, top), (x1, top + height)],
                PRESENT.filled(),
            ))?;
            for (first, end) in self.null_runs(column) {
                // Every null row keeps at least a pixel.
                let bottom = y(end).max(y(first) + 1);
                area.draw(&Rectangle::new(
                    [(x0, y(first)), (x1, bottom)],
                    NULL.filled(),
                ))?;
            }
        }
        Ok(())
    }
}
