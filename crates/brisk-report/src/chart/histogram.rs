//! Histograms: numpy-compatible equal-width binning and a grid of small histograms.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use brisk_data::timeline::Timeline;

use super::axes::{self, Axes};
use super::palette::BAR;
use super::text::{self, Sizes, INK, MUTED_INK};
use super::{render, Canvas, Chart, ChartError, Image, ImageFormat};

/// The most bins a histogram may have.
pub const MAX_BINS: usize = 10_000;

/// The edges and counts of an equal-width histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct Bins {
    /// `counts.len() + 1` increasing edges.
    pub edges: Vec<f64>,
    /// How many values fall in each bin.
    pub counts: Vec<u64>,
}

/// Counts `values` in equal-width bins, like `numpy.histogram(values, bins)`.
///
/// Parameters
/// ----------
/// values : the data. NaN and ±inf are skipped (where numpy would raise).
/// bins : the number of equal-width bins spanning `[min, max]` of the finite values; at least 1.
///
/// Returns
/// -------
/// `Some(Bins)` with `bins + 1` edges, `edges[i] = i * ((max - min) / bins) + min` and
/// `edges[bins] = max` exactly (as `numpy.linspace`), and `counts[i]` the number of values in
/// `[edges[i], edges[i + 1])`, the last bin closed: `[edges[bins - 1], max]`. A value's bin is found
/// as numpy does it, by scaling then correcting against the edges, so the counts equal numpy's.
/// A constant input (min == max) gets a single bin `[v - 0.5, v + 0.5]` holding every value (numpy
/// would spread `bins` bins over that interval; past 5e11 the half-width grows to `|v| * 1e-12` so
/// that the bin keeps a width). `None` when no value is finite, when `max - min` overflows, or when
/// `bins` is 0.
pub(crate) fn histogram(values: &[f64], bins: usize) -> Option<Bins> {
    let finite = || values.iter().copied().filter(|v| v.is_finite());
    let (low, high) = finite().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if bins == 0 || low > high || !(high - low).is_finite() {
        return None;
    }
    if low == high {
        let count = finite().count() as u64;
        let half = 0.5f64.max(low.abs() * 1e-12);
        return Some(Bins {
            edges: vec![low - half, high + half],
            counts: vec![count],
        });
    }
    let step = (high - low) / bins as f64;
    let mut edges: Vec<f64> = (0..=bins).map(|i| i as f64 * step + low).collect();
    edges[bins] = high;
    let norm = bins as f64 / (high - low);
    let mut counts = vec![0u64; bins];
    for value in finite() {
        let mut index = (((value - low) * norm) as usize).min(bins - 1);
        if value < edges[index] {
            index -= 1;
        } else if index + 1 < bins && value >= edges[index + 1] {
            index += 1;
        }
        counts[index] += 1;
    }
    Some(Bins { edges, counts })
}

/// Draws one small histogram per column, in a grid, as SVG or PNG.
///
/// Each column's finite values are binned like `numpy.histogram(values, bins)`: `bins` equal-width
/// bins over `[min, max]`, the last bin closed. NaN and infinite values are skipped; a constant
/// column gets one bin of width 1 around its value; a column without finite values shows a note
/// instead of bars. Each histogram is titled with its column name (shortened with "…" when too
/// long). The grid has as many rows and columns as keep the histograms close to 4:3.
///
/// # Errors
///
/// [`ChartError::Empty`] when there are no columns, [`ChartError::InvalidOption`] when `bins` is 0
/// or above [`MAX_BINS`], [`ChartError::InvalidSize`] for a canvas smaller than
/// [`MIN_SIZE`](super::MIN_SIZE) (PNG) or [`MIN_SVG_SIZE`](super::MIN_SVG_SIZE) (SVG).
///
/// # Example
///
/// ```
/// use brisk_report::chart::{histograms, ImageFormat};
///
/// let columns = vec![
///     ("bill_length_mm".to_string(), vec![39.1, 39.5, 40.3, 36.7, 39.3, 38.9]),
///     ("body_mass_g".to_string(), vec![3750.0, 3800.0, 3250.0, f64::NAN, 3450.0, 3650.0]),
/// ];
/// let image = histograms(&columns, 10, ImageFormat::Svg, (900, 600))?;
/// let svg = String::from_utf8(image.as_bytes().to_vec()).unwrap();
/// assert!(svg.starts_with("<svg") && svg.contains("body_mass_g"));
/// # Ok::<(), brisk_report::chart::ChartError>(())
/// ```
pub fn histograms(
    columns: &[(String, Vec<f64>)],
    bins: usize,
    format: ImageFormat,
    size: (u32, u32),
) -> Result<Image, ChartError> {
    render(&Histograms::new(columns, bins, "")?, format, size)
}

/// Draws one small histogram per column from bins counted elsewhere (a streaming pass), in the
/// same grid as [`histograms`]; a column without bins shows "no finite values".
///
/// # Errors
///
/// As [`histograms`].
///
/// ```
/// use brisk_report::chart::{binned_histograms, Bins, ImageFormat};
/// let bins = Bins { edges: vec![0.0, 1.0, 2.0], counts: vec![3, 5] };
/// let image = binned_histograms(&[("x".to_string(), Some(bins))], ImageFormat::Svg, (600, 400))?;
/// assert!(image.as_bytes().starts_with(b"<svg"));
/// # Ok::<(), brisk_report::chart::ChartError>(())
/// ```
pub fn binned_histograms(
    columns: &[(String, Option<Bins>)],
    format: ImageFormat,
    size: (u32, u32),
) -> Result<Image, ChartError> {
    if columns.is_empty() {
        return Err(ChartError::Empty("no columns to draw histograms of".into()));
    }
    let columns: Vec<_> = columns
        .iter()
        .map(|(name, bins)| (name.as_str(), bins.clone().ok_or("no finite values")))
        .collect();
    let periods = vec![None; columns.len()];
    render(
        &Histograms {
            columns,
            periods,
            title: "",
        },
        format,
        size,
    )
}

/// The canvas of [`column_histogram`] in a column's section of the report.
pub const COLUMN_HISTOGRAM_SIZE: (u32, u32) = (440, 220);

/// Draws one numeric column's histogram from its bins (counted elsewhere), titled `name`, SVG or
/// PNG: one panel as [`binned_histograms`] draws it, at e.g. [`COLUMN_HISTOGRAM_SIZE`] (an SVG; a
/// PNG needs at least [`MIN_SIZE`](super::MIN_SIZE)).
///
/// # Errors
///
/// [`ChartError::Empty`] when `bins` has no counts, [`ChartError::Mismatch`] when it does not have
/// one more edge than counts, [`ChartError::InvalidSize`] for a canvas below the format's minimum.
///
/// ```
/// use brisk_report::chart::{column_histogram, Bins, ImageFormat, COLUMN_HISTOGRAM_SIZE};
/// let bins = Bins { edges: vec![0.0, 1.0, 2.0], counts: vec![3, 5] };
/// let image = column_histogram("flipper_length_mm", &bins, ImageFormat::Svg, COLUMN_HISTOGRAM_SIZE)?;
/// let svg = String::from_utf8(image.as_bytes().to_vec()).unwrap();
/// assert!(svg.contains("flipper_length_mm"));
/// # Ok::<(), brisk_report::chart::ChartError>(())
/// ```
pub fn column_histogram(
    name: &str,
    bins: &Bins,
    format: ImageFormat,
    size: (u32, u32),
) -> Result<Image, ChartError> {
    if bins.counts.is_empty() {
        return Err(ChartError::Empty(format!("no bins for column {name:?}")));
    }
    if bins.edges.len() != bins.counts.len() + 1 {
        return Err(ChartError::Mismatch(format!(
            "{} bin edges for {} counts",
            bins.edges.len(),
            bins.counts.len()
        )));
    }
    render(
        &Histograms {
            columns: vec![(name, Ok(bins.clone()))],
            periods: vec![None],
            title: "",
        },
        format,
        size,
    )
}

/// Draws one histogram over time per date-time column, in the same grid as [`histograms`]: a
/// bar per calendar period (see `brisk_data::timeline`), the axis labelled with the periods.
///
/// # Errors
///
/// As [`histograms`].
///
/// ```
/// use brisk_data::timeline::{Period, Timeline};
/// use brisk_report::chart::{timelines, ImageFormat};
/// let months = Timeline {
///     unit: Period::Month,
///     periods: vec!["2007-11".into(), "2007-12".into(), "2008-01".into()],
///     counts: vec![4, 0, 9],
/// };
/// let image = timelines(&[("Date Egg".to_string(), &months)], ImageFormat::Svg, (600, 400))?;
/// let svg = String::from_utf8(image.as_bytes().to_vec()).unwrap();
/// assert!(svg.contains("Date Egg (by month)") && svg.contains("2007-11"));
/// # Ok::<(), brisk_report::chart::ChartError>(())
/// ```
pub fn timelines(
    columns: &[(String, &Timeline)],
    format: ImageFormat,
    size: (u32, u32),
) -> Result<Image, ChartError> {
    if columns.is_empty() {
        return Err(ChartError::Empty("no date-time columns to draw".into()));
    }
    let names: Vec<String> = columns
        .iter()
        .map(|(name, timeline)| format!("{name} (by {})", timeline.unit.name()))
        .collect();
    let columns_drawn = names
        .iter()
        .zip(columns)
        .map(|(name, (_, timeline))| {
            let bins = Bins {
                edges: (0..=timeline.counts.len()).map(|i| i as f64).collect(),
                counts: timeline.counts.clone(),
            };
            (name.as_str(), Ok(bins))
        })
        .collect();
    let periods = columns
        .iter()
        .map(|(_, timeline)| Some(timeline.periods.as_slice()))
        .collect();
    render(
        &Histograms {
            columns: columns_drawn,
            periods,
            title: "",
        },
        format,
        size,
    )
}

/// The binned columns of a grid of histograms.
pub(crate) struct Histograms<'a> {
    /// Each column's name and bins, or why it has none.
    columns: Vec<(&'a str, Result<Bins, &'static str>)>,
    /// For a histogram over time, the label of each bin (whose edges are then 0, 1, …, n).
    periods: Vec<Option<&'a [String]>>,
    title: &'a str,
}

impl<'a> Histograms<'a> {
    /// Bins every column; `title` (possibly empty) goes above the grid.
    pub(crate) fn new(
        columns: &'a [(String, Vec<f64>)],
        bins: usize,
        title: &'a str,
    ) -> Result<Self, ChartError> {
        if columns.is_empty() {
            return Err(ChartError::Empty("no columns to draw histograms of".into()));
        }
        if !(1..=MAX_BINS).contains(&bins) {
            return Err(ChartError::InvalidOption(format!(
                "the number of bins must be between 1 and {MAX_BINS}, got {bins}"
            )));
        }
        let columns = columns
            .iter()
            .map(|(name, values)| {
                let binned = histogram(values, bins).ok_or_else(|| {
                    if values.iter().any(|v| v.is_finite()) {
                        "values too far apart to bin"
                    } else {
                        "no finite values"
                    }
                });
                (name.as_str(), binned)
            })
            .collect::<Vec<_>>();
        let periods = vec![None; columns.len()];
        Ok(Self {
            columns,
            periods,
            title,
        })
    }
}

/// Rows and columns of a grid of `count` cells on a `width × height` area whose cells are closest to
/// a 4:3 aspect ratio.
fn grid_shape(count: usize, (width, height): (u32, u32)) -> (usize, usize) {
    let score = |columns: usize| {
        let rows = count.div_ceil(columns);
        let aspect = (f64::from(width) / columns as f64) / (f64::from(height) / rows as f64);
        // Prefer cells near 4:3, and few empty cells.
        (aspect / (4.0 / 3.0)).ln().abs() + 0.15 * (rows * columns - count) as f64
    };
    let columns = (1..=count)
        .min_by(|a, b| score(*a).total_cmp(&score(*b)))
        .unwrap_or(1);
    (count.div_ceil(columns), columns)
}

impl Chart for Histograms<'_> {
    fn draw<DB: Canvas>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let sizes = Sizes::for_area(area.dim_in_pixel());
        let body = text::title(area, self.title, sizes)?;
        let (rows, columns) = grid_shape(self.columns.len(), body.dim_in_pixel());
        let cells = body.split_evenly((rows, columns));
        // Small multiples: text a little smaller than a full chart's, the same in every cell.
        let font = if rows * columns > 1 {
            text::even(sizes.small() * 0.85)
        } else {
            sizes.small()
        };
        for (((name, bins), periods), cell) in self.columns.iter().zip(&self.periods).zip(&cells) {
            let bins = bins.as_ref().map_err(|note| *note);
            draw_one(cell, name, bins, *periods, sizes, font)?;
        }
        Ok(())
    }
}

/// One histogram filling `cell`, titled `name`; `bins` is the binning or the note to show instead;
/// `periods` label the bins of a histogram over time (whose edges are 0, 1, …, n).
fn draw_one<DB: Canvas>(
    cell: &DrawingArea<DB, Shift>,
    name: &str,
    bins: Result<&Bins, &str>,
    periods: Option<&[String]>,
    sizes: Sizes,
    font: f64,
) -> Result<(), ChartError> {
    let (width, height) = cell.dim_in_pixel();
    let pad = sizes.px(10.0);
    let title_style = text::style(font + 2.0, &INK);
    let shown = text::fit(cell, name, &title_style, width as i32 - 2 * pad)?;
    let title = text::anchored(&title_style, HPos::Center, VPos::Top);
    text::draw(cell, &shown, &title, (width as i32 / 2, pad))?;
    let bins = match bins {
        Ok(bins) => bins,
        Err(note) => {
            let style = text::anchored(&text::style(font, &MUTED_INK), HPos::Center, VPos::Center);
            let centre = (width as i32 / 2, height as i32 / 2);
            return text::draw(cell, note, &style, centre);
        }
    };
    let body = cell.margin(pad * 2 + (font + 2.0).round() as i32, pad, pad, pad * 2);

    let tick_style = text::style(font, &MUTED_INK);
    let highest = bins.counts.iter().copied().max().unwrap_or(0).max(1);
    // Integer counts on an integer axis, so that ticks are whole numbers.
    let y_top = highest + highest.div_ceil(12);
    let tick_width = text::width(cell, &y_top.to_string(), &tick_style)?;
    let (low, high) = (bins.edges[0], bins.edges[bins.edges.len() - 1]);
    let span = high - low;
    let chart = ChartBuilder::on(&body)
        .x_label_area_size(axes::x_label_room(sizes, font, false))
        .y_label_area_size(axes::y_label_room(sizes, tick_width, false))
        .build_cartesian_2d(low..high, 0u64..y_top)?;
    let plot = chart.plotting_area().get_pixel_range();
    let axes = Axes {
        x_ticks: axes::x_ticks(&chart, cell, &tick_style, |v| match periods {
            // A tick at the start of a period's bar names the period.
            Some(periods) if v.fract() == 0.0 => {
                periods.get(*v as usize).cloned().unwrap_or_default()
            }
            Some(_) => String::new(),
            None => text::format_tick(*v, span),
        })?,
        y_ticks: axes::y_ticks(&chart, font.round() as i32 * 3, |v| v.to_string()),
        x_name: "",
        y_name: "",
        x_grid: false,
        y_grid: true,
        sizes,
        tick_size: font,
        plot,
    };
    axes.draw_grid(cell)?;
    for (i, count) in bins
        .counts
        .iter()
        .enumerate()
        .filter(|(_, count)| **count > 0)
    {
        let mut bar = Rectangle::new(
            [(bins.edges[i], 0), (bins.edges[i + 1], *count)],
            BAR.filled(),
        );
        bar.set_margin(0, 0, 0, 1);
        chart.plotting_area().draw(&bar)?;
    }
    axes.draw(cell)
}
