//! Heatmaps of square matrices: correlations on a fixed blue–white–red scale over −1…1
//! ([`correlation_heatmap`]), associations such as Cramér's V on white–red over 0…1
//! ([`association_heatmap`]), each with a colour bar; [`heatmap_size`] grows the canvas with the
//! columns so that 60 or 200 columns stay readable.

use ndarray::ArrayView2;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::category::{grown, label_step, LabelRow, Placement, MIN_LABEL_PITCH};
use super::palette::{self, MISSING};
use super::text::{self, Sizes, INK, MUTED_INK};
use super::{render, Canvas, Chart, ChartError, Image, ImageFormat, DEFAULT_SIZE};

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
/// Past [`MAX_ANNOTATED_COLUMNS`] columns the text stays at its reference size however large the
/// canvas (size it with [`heatmap_size`]); the names shrink with the cells down to 8 pixels, and
/// when the cells are narrower than a name's line, only every k-th row and column is named, so that
/// no two names overlap (at 200 columns on the canvas of [`heatmap_size`] every name is written).
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

/// Draws a matrix of associations in [0, 1] (Cramér's V, |r|) as a heatmap, SVG or PNG.
///
/// As [`correlation_heatmap`], on a white–red scale fixed to 0…1 (values outside are clamped) with
/// a colour bar marking 0, 0.25, 0.5, 0.75 and 1.
///
/// # Errors
///
/// As [`correlation_heatmap`].
///
/// # Example
///
/// ```
/// use brisk_report::chart::{association_heatmap, ImageFormat};
/// use ndarray::array;
///
/// let names = vec!["species".to_string(), "island".to_string()];
/// let v = array![[1.0, 0.65], [0.65, 1.0]];
/// let image = association_heatmap(&names, v.view(), "Cramér's V", ImageFormat::Svg, (900, 600))?;
/// let svg = String::from_utf8(image.as_bytes().to_vec()).unwrap();
/// assert!(svg.contains("0.65") && svg.contains("0.75"));
/// # Ok::<(), brisk_report::chart::ChartError>(())
/// ```
pub fn association_heatmap(
    names: &[String],
    matrix: ArrayView2<'_, f64>,
    title: &str,
    format: ImageFormat,
    size: (u32, u32),
) -> Result<Image, ChartError> {
    let heatmap = Heatmap {
        scale: Scale::Unsigned,
        ..Heatmap::new(names, matrix, title)?
    };
    render(&heatmap, format, size)
}

/// The canvas of a heatmap of `columns` columns: [`DEFAULT_SIZE`] up to
/// [`MAX_ANNOTATED_COLUMNS`] columns, then about 16 pixels more per column, up to 2400 × 2300
/// (where 200 columns get cells of 9 pixels).
///
/// ```
/// use brisk_report::chart::{heatmap_size, DEFAULT_SIZE};
///
/// assert_eq!(heatmap_size(2), DEFAULT_SIZE);
/// assert!(heatmap_size(60).0 > DEFAULT_SIZE.0);
/// assert_eq!(heatmap_size(200), heatmap_size(5000));
/// ```
pub fn heatmap_size(columns: usize) -> (u32, u32) {
    if columns <= MAX_ANNOTATED_COLUMNS {
        return DEFAULT_SIZE;
    }
    (
        grown(columns, 520, 16, (DEFAULT_SIZE.0, 2400)),
        grown(columns, 360, 16, (DEFAULT_SIZE.1, 2300)),
    )
}

/// A validated square matrix with its names and colour scale.
pub(crate) struct Heatmap<'a> {
    names: &'a [String],
    corr: ArrayView2<'a, f64>,
    title: &'a str,
    scale: Scale,
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
        Ok(Self {
            names,
            corr,
            title,
            scale: Scale::Signed,
        })
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
        let mut sizes = Sizes::for_area(area.dim_in_pixel());
        if self.names.len() > MAX_ANNOTATED_COLUMNS {
            // A large matrix gets a canvas that grows with it: text stays at its reference size.
            sizes = sizes.at_most_reference();
        }
        let body = text::title(area, self.title, sizes)?;
        let layout = self.layout(&body, sizes)?;
        self.draw_cells(&body, &layout, sizes)?;
        self.draw_names(&body, &layout)?;
        let grid = layout.cell * self.names.len() as i32;
        self.draw_color_bar(
            &body,
            sizes,
            (layout.x0 + grid + sizes.px(24.0), layout.y0),
            grid,
        )
    }
}

/// Where the parts of the heatmap go, in pixels, and how its names are written.
#[derive(Debug, Default, Clone, Copy)]
struct Layout {
    /// The font size of the names.
    label_size: f64,
    /// The width left of the cells for the row names.
    row_labels: i32,
    /// The height below the cells for the column names.
    column_labels: i32,
    /// Whether the column names are turned upwards.
    rotated: bool,
    /// Every how many rows and columns a name is written.
    step: usize,
    /// The side of a cell.
    cell: i32,
    /// The gap between the names and the cells.
    gap: i32,
    /// The top left corner of the cells.
    x0: i32,
    y0: i32,
}

impl Heatmap<'_> {
    /// Sizes the cells and the names: names shrink with the cells down to 8 pixels, then only every
    /// `step`-th name is written so that written names stay [`MIN_LABEL_PITCH`] pixels apart; column
    /// names turn upwards when they do not fit across.
    fn layout<DB: Canvas>(
        &self,
        body: &DrawingArea<DB, Shift>,
        sizes: Sizes,
    ) -> Result<Layout, ChartError> {
        let (width, height) = body.dim_in_pixel();
        let (width, height) = (width as i32, height as i32);
        let n = self.names.len();
        let gap = sizes.px(8.0);
        let margin = sizes.px(12.0);
        let bar_block = self.color_bar_width(body, sizes)? + margin;
        let mut layout = Layout {
            label_size: sizes.small(),
            gap,
            ..Layout::default()
        };
        for _ in 0..3 {
            let label_size = layout.label_size;
            let style = text::style(label_size, &INK);
            let mut longest = 0;
            for name in self.names {
                longest = longest.max(text::width(body, name, &style)?);
            }
            let row_labels = longest.min(width / 4);
            let across = |columns_height: i32| {
                let free_w = width - row_labels - gap - bar_block - margin;
                let free_h = height - columns_height - gap - margin;
                (free_w.min(free_h) / n as i32).max(1)
            };
            let min_pitch = MIN_LABEL_PITCH.max(label_size + 1.0);
            let mut cell = across(label_size.round() as i32);
            let mut step = label_step(n, f64::from(cell), min_pitch);
            let rotated = longest > cell * step as i32 - gap / 2;
            let mut column_labels = label_size.round() as i32;
            if rotated {
                column_labels = longest.min(height * 3 / 10);
                cell = across(column_labels);
                step = label_step(n, f64::from(cell), min_pitch);
            }
            let grid = cell * n as i32;
            let block = row_labels + gap + grid + bar_block;
            layout = Layout {
                label_size,
                row_labels,
                column_labels,
                rotated,
                step,
                cell,
                gap,
                x0: ((width - block) / 2).max(0) + row_labels + gap,
                y0: ((height - column_labels - gap - grid) / 2).max(0),
            };
            let fitting = f64::from(cell) * 0.8;
            if fitting >= label_size || label_size <= 8.0 {
                break;
            }
            layout.label_size = text::even(fitting);
        }
        Ok(layout)
    }

    /// The cells, their values when there are few columns, and white seams between them.
    fn draw_cells<DB: Canvas>(
        &self,
        body: &DrawingArea<DB, Shift>,
        layout: &Layout,
        sizes: Sizes,
    ) -> Result<(), ChartError> {
        let Layout { cell, x0, y0, .. } = *layout;
        let n = self.names.len();
        let value_size = sizes.small().min(f64::from(cell) * 0.3);
        let value_style =
            text::anchored(&text::style(value_size, &INK), HPos::Center, VPos::Center);
        let annotate = n <= MAX_ANNOTATED_COLUMNS;
        for ((i, j), value) in self.corr.indexed_iter() {
            let color = self.scale.color(*value);
            let (x, y) = (x0 + j as i32 * cell, y0 + i as i32 * cell);
            body.draw(&Rectangle::new(
                [(x, y), (x + cell, y + cell)],
                color.filled(),
            ))?;
            if annotate {
                let style = text::recolor(&value_style, palette::text_on(color));
                text::draw(
                    body,
                    &cell_text(*value),
                    &style,
                    (x + cell / 2, y + cell / 2),
                )?;
            }
        }
        if n > 1 && cell >= 4 {
            let grid = cell * n as i32;
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
        Ok(())
    }

    /// Every `step`-th name left of its row and below its column.
    fn draw_names<DB: Canvas>(
        &self,
        body: &DrawingArea<DB, Shift>,
        layout: &Layout,
    ) -> Result<(), ChartError> {
        let Layout {
            cell,
            gap,
            x0,
            y0,
            step,
            ..
        } = *layout;
        let style = text::style(layout.label_size, &INK);
        let row_style = text::anchored(&style, HPos::Right, VPos::Center);
        for (k, name) in self.names.iter().enumerate().step_by(step) {
            let row_name = text::fit(body, name, &style, layout.row_labels)?;
            let middle = y0 + k as i32 * cell + cell / 2;
            text::draw(body, &row_name, &row_style, (x0 - gap, middle))?;
        }
        let columns = LabelRow {
            first_center: x0 + cell / 2,
            pitch: f64::from(cell),
            edge: y0 + cell * self.names.len() as i32 + gap,
            placement: if layout.rotated {
                Placement::BelowTurned
            } else {
                Placement::BelowAcross
            },
            max_length: if layout.rotated {
                layout.column_labels
            } else {
                i32::MAX
            },
        };
        columns.draw(body, self.names, &style, step)
    }

    /// The width of the colour bar with its ticks and their labels.
    fn color_bar_width<DB: Canvas>(
        &self,
        body: &DrawingArea<DB, Shift>,
        sizes: Sizes,
    ) -> Result<i32, ChartError> {
        let mut widest = 0;
        for (_, label) in self.scale.ticks() {
            widest = widest.max(text::width(body, label, &text::style(sizes.small(), &INK))?);
        }
        Ok(sizes.px(24.0 + 20.0 + 8.0) + widest)
    }
}

impl Heatmap<'_> {
    /// The colour legend: a vertical bar from the top of the scale down to its bottom, with ticks.
    fn draw_color_bar<DB: Canvas>(
        &self,
        area: &DrawingArea<DB, Shift>,
        sizes: Sizes,
        (x, y): (i32, i32),
        height: i32,
    ) -> Result<(), ChartError> {
        let bar_width = sizes.px(20.0);
        let height = height.max(sizes.px(120.0));
        let (low, high) = self.scale.range();
        let steps = height.clamp(2, 200);
        for step in 0..steps {
            let top = y + height * step / steps;
            let bottom = y + height * (step + 1) / steps;
            let value = high - (high - low) * (f64::from(step) + 0.5) / f64::from(steps);
            area.draw(&Rectangle::new(
                [(x, top), (x + bar_width, bottom)],
                self.scale.color(value).filled(),
            ))?;
        }
        area.draw(&Rectangle::new(
            [(x, y), (x + bar_width, y + height)],
            MUTED_INK.stroke_width(1),
        ))?;
        let style = text::anchored(&text::style(sizes.small(), &INK), HPos::Left, VPos::Center);
        for (value, label) in self.scale.ticks() {
            let tick_y = y + ((high - value) / (high - low) * f64::from(height)).round() as i32;
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

/// The colour scale of a heatmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scale {
    /// −1…1, blue through white to red: correlations.
    Signed,
    /// 0…1, white to red: associations such as Cramér's V.
    Unsigned,
}

impl Scale {
    /// The lowest and highest value of the scale.
    fn range(self) -> (f64, f64) {
        match self {
            Self::Signed => (-1.0, 1.0),
            Self::Unsigned => (0.0, 1.0),
        }
    }

    /// The colour of `value` (clamped to the scale), grey for NaN.
    fn color(self, value: f64) -> RGBColor {
        let (low, high) = self.range();
        if value.is_nan() {
            MISSING
        } else {
            palette::diverging(value.clamp(low, high))
        }
    }

    /// The colour bar's ticks, from the top.
    fn ticks(self) -> [(f64, &'static str); 5] {
        match self {
            Self::Signed => [
                (1.0, "1"),
                (0.5, "0.5"),
                (0.0, "0"),
                (-0.5, "-0.5"),
                (-1.0, "-1"),
            ],
            Self::Unsigned => [
                (1.0, "1"),
                (0.75, "0.75"),
                (0.5, "0.5"),
                (0.25, "0.25"),
                (0.0, "0"),
            ],
        }
    }
}
