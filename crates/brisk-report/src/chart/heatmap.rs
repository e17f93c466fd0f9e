//! The correlation heatmap: square cells on a fixed blue–white–red scale, with a colour bar.

use ndarray::ArrayView2;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;

use super::palette::{self, MISSING};
use super::text::{self, Sizes, INK, MUTED_INK};
use super::{render, Canvas, Chart, ChartError, Image, ImageFormat};

/// Cell values are written in the cells up to this many columns.
pub const MAX_ANNOTATED_COLUMNS: usize = 12;

/// Draws a correlation matrix as a heatmap, SVG or PNG.
///
/// Cell `(i, j)` of `corr` is coloured on a diverging scale fixed to −1…1 (blue for −1, white for 0,
/// red for 1; values outside are clamped), so charts of different data compare at a glance. The
/// names label the rows (left) and the columns (below, turned upwards when they do not fit across a
/// cell); with at most [`MAX_ANNOTATED_COLUMNS`] columns every cell also shows its value with two
/// decimals. NaN cells (a constant column) are grey and read "nan". A colour bar on the right marks
/// −1, 0 and 1.
///
/// # Errors
///
/// [`ChartError::Empty`] for an empty matrix, [`ChartError::Mismatch`] when `corr` is not square
/// or its side differs from `names.len()`, [`ChartError::InvalidSize`] for a canvas smaller than
/// [`MIN_SIZE`](super::MIN_SIZE) (PNG) or [`MIN_SVG_SIZE`](super::MIN_SVG_SIZE) (SVG).
///
/// # Example
///
/// ```
/// use brisk_report::chart::{correlation_heatmap, ImageFormat};
/// use ndarray::array;
///
/// let names = vec!["bill_length_mm".to_string(), "body_mass_g".to_string()];
/// let corr = array![[1.0, 0.61], [0.61, 1.0]];
/// let image = correlation_heatmap(&names, corr.view(), "Correlation", ImageFormat::Svg, (900, 600))?;
/// let svg = String::from_utf8(image.as_bytes().to_vec()).unwrap();
/// assert!(svg.starts_with("<svg") && svg.contains("0.61"));
/// # Ok::<(), brisk_report::chart::ChartError>(())
/// ```
pub fn correlation_heatmap(
    names: &[String],
    corr: ArrayView2<'_, f64>,
    title: &str,
    format: ImageFormat,
    size: (u32, u32),
) -> Result<Image, ChartError> {
    render(&Heatmap::new(names, corr, title)?, format, size)
}

/// A validated correlation matrix with its names.
pub(crate) struct Heatmap<'a> {
    names: &'a [String],
    corr: ArrayView2<'a, f64>,
    title: &'a str,
}

impl<'a> Heatmap<'a> {
    /// Checks that `corr` is square with one row per name.
    pub(crate) fn new(
        names: &'a [String],
        corr: ArrayView2<'a, f64>,
        title: &'a str,
    ) -> Result<Self, ChartError> {
        let (rows, columns) = corr.dim();
        if rows != columns {
            return Err(ChartError::Mismatch(format!(
                "a correlation matrix must be square, this one is {rows}x{columns}"
            )));
        }
        if rows != names.len() {
            return Err(ChartError::Mismatch(format!(
                "{} column names for a {rows}x{columns} correlation matrix",
                names.len()
            )));
        }
        if rows == 0 {
            return Err(ChartError::Empty(
                "the correlation matrix has no columns".into(),
            ));
        }
        Ok(Self { names, corr, title })
    }
}

/// A cell's text: two decimals, no negative zero, "nan" for NaN.
fn cell_text(value: f64) -> String {
    if value.is_nan() {
        return "nan".into();
    }
    let text = format!("{value:.2}");
    if text == "-0.00" {
        "0.00".into()
    } else {
        text
    }
}

impl Chart for Heatmap<'_> {
    fn draw<DB: Canvas>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let sizes = Sizes::for_area(area.dim_in_pixel());
        let body = text::title(area, self.title, sizes)?;
        let (width, height) = body.dim_in_pixel();
        let (width, height) = (width as i32, height as i32);
        let n = self.names.len();
        let gap = sizes.px(8.0);
        let margin = sizes.px(12.0);
        // The colour bar: a space, the bar, its ticks and their labels.
        let bar_block = sizes.px(24.0 + 20.0 + 8.0)
            + text::width(&body, "-0.5", &text::style(sizes.small(), &INK))?
            + margin;

        // Names are measured at the normal size; they shrink when the cells are small.
        let mut label_size = sizes.small();
        let mut layout = Layout::default();
        for _ in 0..3 {
            let style = text::style(label_size, &INK);
            let mut longest = 0;
            for name in self.names {
                longest = longest.max(text::width(&body, name, &style)?);
            }
            let row_labels = longest.min(width / 4);
            let text_height = label_size.round() as i32;
            let across = |columns_height: i32| {
                let free_w = width - row_labels - gap - bar_block - margin;
                let free_h = height - columns_height - gap - margin;
                (free_w.min(free_h) / n as i32).max(1)
            };
            let mut cell = across(text_height);
            let rotated = longest > cell - gap / 2;
            let column_labels = if rotated {
                cell = across(longest.min(height * 3 / 10));
                longest.min(height * 3 / 10)
            } else {
                text_height
            };
            layout = Layout {
                row_labels,
                column_labels,
                rotated,
                cell,
            };
            let fitting = f64::from(cell) * 0.8;
            if fitting >= label_size || label_size <= 8.0 {
                break;
            }
            label_size = text::even(fitting);
        }
        let Layout {
            row_labels,
            column_labels,
            rotated,
            cell,
        } = layout;
        let show_names = cell >= 9;

        let grid = cell * n as i32;
        let block = row_labels + gap + grid + bar_block;
        let x0 = ((width - block) / 2).max(0) + row_labels + gap;
        let y0 = ((height - column_labels - gap - grid) / 2).max(0);

        let value_size = sizes.small().min(f64::from(cell) * 0.3);
        let value_style = text::style(value_size, &INK);
        let annotate = n <= MAX_ANNOTATED_COLUMNS;
        for i in 0..n {
            for j in 0..n {
                let value = self.corr[[i, j]];
                let color = if value.is_nan() {
                    MISSING
                } else {
                    palette::diverging(value)
                };
                let (x, y) = (x0 + j as i32 * cell, y0 + i as i32 * cell);
                body.draw(&Rectangle::new(
                    [(x, y), (x + cell, y + cell)],
                    color.filled(),
                ))?;
                if annotate {
                    let style = text::recolor(
                        &text::anchored(&value_style, HPos::Center, VPos::Center),
                        palette::text_on(color),
                    );
                    text::draw(
                        &body,
                        &cell_text(value),
                        &style,
                        (x + cell / 2, y + cell / 2),
                    )?;
                }
            }
        }
        if n > 1 && cell >= 4 {
            // White seams between the cells.
            let seam = WHITE.stroke_width(1);
            for k in 1..n as i32 {
                body.draw(&PathElement::new(
                    vec![(x0 + k * cell, y0), (x0 + k * cell, y0 + grid)],
                    seam,
                ))?;
                body.draw(&PathElement::new(
                    vec![(x0, y0 + k * cell), (x0 + grid, y0 + k * cell)],
                    seam,
                ))?;
            }
        }

        if show_names {
            let style = text::style(label_size, &INK);
            let row_style = text::anchored(&style, HPos::Right, VPos::Center);
            let column_style = if rotated {
                text::anchored(&style, HPos::Right, VPos::Center)
                    .transform(FontTransform::Rotate270)
            } else {
                text::anchored(&style, HPos::Center, VPos::Top)
            };
            for (k, name) in self.names.iter().enumerate() {
                let middle = k as i32 * cell + cell / 2;
                let row_name = text::fit(&body, name, &style, row_labels)?;
                text::draw(&body, &row_name, &row_style, (x0 - gap, y0 + middle))?;
                let column_name = if rotated {
                    text::fit(&body, name, &style, column_labels)?
                } else {
                    name.clone()
                };
                text::draw(
                    &body,
                    &column_name,
                    &column_style,
                    (x0 + middle, y0 + grid + gap),
                )?;
            }
        }

        self.draw_color_bar(&body, sizes, (x0 + grid + sizes.px(24.0), y0), grid)
    }
}

/// Where the parts of the heatmap go, in pixels.
#[derive(Debug, Default, Clone, Copy)]
struct Layout {
    row_labels: i32,
    column_labels: i32,
    rotated: bool,
    cell: i32,
}

impl Heatmap<'_> {
    /// The colour legend: a vertical bar from 1 (top) to −1 (bottom), ticks at −1, −0.5, 0, 0.5, 1.
    fn draw_color_bar<DB: Canvas>(
        &self,
        area: &DrawingArea<DB, Shift>,
        sizes: Sizes,
        (x, y): (i32, i32),
        height: i32,
    ) -> Result<(), ChartError> {
        let bar_width = sizes.px(20.0);
        let height = height.max(sizes.px(120.0));
        let steps = height.clamp(2, 200);
        for step in 0..steps {
            let top = y + height * step / steps;
            let bottom = y + height * (step + 1) / steps;
            let value = 1.0 - 2.0 * (f64::from(step) + 0.5) / f64::from(steps);
            area.draw(&Rectangle::new(
                [(x, top), (x + bar_width, bottom)],
                palette::diverging(value).filled(),
            ))?;
        }
        area.draw(&Rectangle::new(
            [(x, y), (x + bar_width, y + height)],
            MUTED_INK.stroke_width(1),
        ))?;
        let style = text::anchored(&text::style(sizes.small(), &INK), HPos::Left, VPos::Center);
        for (value, label) in [
            (1.0, "1"),
            (0.5, "0.5"),
            (0.0, "0"),
            (-0.5, "-0.5"),
            (-1.0, "-1"),
        ] {
            let tick_y = y + ((1.0 - value) / 2.0 * f64::from(height)).round() as i32;
            let tick = vec![
                (x + bar_width, tick_y),
                (x + bar_width + sizes.px(5.0), tick_y),
            ];
            area.draw(&PathElement::new(tick, MUTED_INK.stroke_width(1)))?;
            text::draw(area, label, &style, (x + bar_width + sizes.px(8.0), tick_y))?;
        }
        Ok(())
    }
}
