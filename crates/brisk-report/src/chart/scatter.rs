//! The cluster scatter plot: 2-D points (PCA scores, typically) coloured by cluster label.

use std::collections::BTreeMap;

use ndarray::ArrayView2;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{self, Axes};
use super::palette;
use super::text::{self, Sizes, INK, MUTED_INK};
use super::{render, Canvas, Chart, ChartError, Image, ImageFormat};

/// Draws points coloured by cluster, with a legend, as SVG or PNG.
///
/// `points` has one row per point and two columns (x, y); `labels[i]` is the cluster of row `i`.
/// Each cluster gets a colour of a categorical palette (matplotlib's `tab10`, then the 10 lighter
/// `tab20` shades; labels past 20 reuse the palette) and an entry "cluster k" in the legend at the
/// right. `axis_names` name the x and y axes, e.g. `["PC1 (68.6%)", "PC2 (19.5%)"]`. Points with a
/// non-finite coordinate are left out.
///
/// # Errors
///
/// [`ChartError::Empty`] when there are no points, [`ChartError::Mismatch`] when `points` does not
/// have two columns or `labels` has a different length, [`ChartError::InvalidSize`] for a canvas
/// smaller than [`MIN_SIZE`](super::MIN_SIZE) (PNG) or [`MIN_SVG_SIZE`](super::MIN_SVG_SIZE) (SVG).
///
/// # Example
///
/// ```
/// use brisk_report::chart::{cluster_scatter, ImageFormat};
/// use ndarray::array;
///
/// let points = array![[0.0, 0.1], [0.2, 0.0], [5.0, 5.1], [5.2, 4.9]];
/// let image = cluster_scatter(points.view(), &[0, 0, 1, 1], ["PC1 (68.6%)", "PC2 (19.5%)"], "Clusters",
///     ImageFormat::Svg, (900, 600))?;
/// let svg = String::from_utf8(image.as_bytes().to_vec()).unwrap();
/// assert!(svg.starts_with("<svg") && svg.contains("cluster 1") && svg.contains("PC1 (68.6%)"));
/// # Ok::<(), brisk_report::chart::ChartError>(())
/// ```
pub fn cluster_scatter(
    points: ArrayView2<'_, f64>,
    labels: &[usize],
    axis_names: [&str; 2],
    title: &str,
    format: ImageFormat,
    size: (u32, u32),
) -> Result<Image, ChartError> {
    render(
        &Scatter::new(points, labels, axis_names, title)?,
        format,
        size,
    )
}

/// Validated points, labels and names of a scatter plot.
pub(crate) struct Scatter<'a> {
    points: ArrayView2<'a, f64>,
    labels: &'a [usize],
    axis_names: [&'a str; 2],
    title: &'a str,
}

impl<'a> Scatter<'a> {
    /// Checks the shapes: `n × 2` points and `n` labels, `n ≥ 1`.
    pub(crate) fn new(
        points: ArrayView2<'a, f64>,
        labels: &'a [usize],
        axis_names: [&'a str; 2],
        title: &'a str,
    ) -> Result<Self, ChartError> {
        let (rows, columns) = points.dim();
        if columns != 2 {
            return Err(ChartError::Mismatch(format!(
                "a scatter plot needs 2 coordinates per point, got {columns} columns"
            )));
        }
        if labels.len() != rows {
            return Err(ChartError::Mismatch(format!(
                "{rows} points but {} cluster labels",
                labels.len()
            )));
        }
        if rows == 0 {
            return Err(ChartError::Empty("no points to scatter".into()));
        }
        Ok(Self {
            points,
            labels,
            axis_names,
            title,
        })
    }

    /// The finite points of each cluster, by label.
    fn clusters(&self) -> BTreeMap<usize, Vec<(f64, f64)>> {
        let mut clusters: BTreeMap<usize, Vec<(f64, f64)>> = BTreeMap::new();
        for (row, &label) in self.points.rows().into_iter().zip(self.labels) {
            let entry = clusters.entry(label).or_default();
            if row[0].is_finite() && row[1].is_finite() {
                entry.push((row[0], row[1]));
            }
        }
        clusters
    }
}

/// The range of `values` widened by 5% on each side (a unit range around a single value, −1…1
/// without values); [`ChartError::OutOfRange`] when the span overflows.
fn padded_range(
    values: impl Iterator<Item = f64>,
    what: &str,
) -> Result<std::ops::Range<f64>, ChartError> {
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if low > high {
        return Ok(-1.0..1.0);
    }
    let span = high - low;
    if span <= f64::EPSILON * high.abs().max(1.0) {
        let half = 0.5 * high.abs().max(1.0);
        return axes::finite_range(low - half, high + half, what);
    }
    axes::finite_range(low - 0.05 * span, high + 0.05 * span, what)
}

impl Chart for Scatter<'_> {
    fn draw<DB: Canvas>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let sizes = Sizes::for_area(area.dim_in_pixel());
        let body = text::title(area, self.title, sizes)?;
        let (_, height) = body.dim_in_pixel();
        let clusters = self.clusters();

        // The legend column at the right: a swatch and "cluster k", one line each.
        let legend_style = text::style(sizes.small(), &INK);
        let mut legend_text = 0;
        for label in clusters.keys() {
            legend_text = legend_text.max(text::width(
                &body,
                &format!("cluster {label}"),
                &legend_style,
            )?);
        }
        let swatch = sizes.px(6.0);
        let gap = sizes.px(10.0);
        let legend_width = gap * 2 + swatch * 2 + gap + legend_text;
        let (plot_area, legend) =
            body.split_horizontally(body.dim_in_pixel().0 as i32 - legend_width);

        let all = || clusters.values().flatten();
        let x_range = padded_range(all().map(|p| p.0), "the x coordinates")?;
        let y_range = padded_range(all().map(|p| p.1), "the y coordinates")?;
        let (x_span, y_span) = (x_range.end - x_range.start, y_range.end - y_range.start);
        let tick_size = sizes.small();
        let tick_style = text::style(tick_size, &MUTED_INK);
        let mut tick_width = 0;
        for value in [
            y_range.start,
            y_range.end,
            (y_range.start + y_range.end) / 2.0,
        ] {
            tick_width = tick_width.max(text::width(
                &body,
                &text::format_tick(value, y_span),
                &tick_style,
            )?);
        }
        let chart = ChartBuilder::on(&plot_area)
            .margin_top(sizes.px(6.0))
            .margin_right(sizes.px(12.0))
            .x_label_area_size(axes::x_label_room(
                sizes,
                tick_size,
                !self.axis_names[0].is_empty(),
            ))
            .y_label_area_size(axes::y_label_room(
                sizes,
                tick_width,
                !self.axis_names[1].is_empty(),
            ))
            .build_cartesian_2d(x_range.clone(), y_range)?;
        let plot = chart.plotting_area().get_pixel_range();
        let axes = Axes {
            x_ticks: axes::x_ticks(&chart, &body, &tick_style, |v| {
                text::format_tick(*v, x_span)
            })?,
            y_ticks: axes::y_ticks(&chart, tick_size.round() as i32 * 3, |v| {
                text::format_tick(*v, y_span)
            }),
            x_name: self.axis_names[0],
            y_name: self.axis_names[1],
            x_grid: true,
            y_grid: true,
            sizes,
            tick_size,
            plot,
        };
        axes.draw_grid(&body)?;

        let radius = sizes.px(4.0).max(2);
        for (&label, points) in &clusters {
            let color = palette::categorical(label);
            let style = color.mix(0.8).filled();
            for &point in points {
                chart
                    .plotting_area()
                    .draw(&Circle::new(point, radius, style))?;
            }
        }
        axes.draw(&body)?;

        // The legend, as many lines as fit; the rest is counted on a last line.
        let line = (sizes.small() * 1.6).round() as i32;
        let capacity = ((height as i32 - sizes.px(20.0)) / line).max(1) as usize;
        let shown = if clusters.len() > capacity {
            capacity - 1
        } else {
            clusters.len()
        };
        let legend_ink = text::anchored(&legend_style, HPos::Left, VPos::Center);
        let top = sizes.px(12.0) + line / 2;
        for (k, label) in clusters.keys().take(shown).enumerate() {
            let y = top + k as i32 * line;
            let center = (gap + swatch, y);
            legend.draw(&Circle::new(
                center,
                swatch,
                palette::categorical(*label).filled(),
            ))?;
            text::draw(
                &legend,
                &format!("cluster {label}"),
                &legend_ink,
                (gap + 2 * swatch + gap, y),
            )?;
        }
        if shown < clusters.len() {
            let more = format!("+{} more", clusters.len() - shown);
            let style = text::recolor(&legend_ink, MUTED_INK);
            text::draw(&legend, &more, &style, (gap, top + shown as i32 * line))?;
        }
        Ok(())
    }
}
