//! The multi-panel figure of exercise E.4: histograms, correlation heatmap, cluster scatter and,
//! when there is a target, feature importance, on one canvas.

use ndarray::ArrayView2;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::heatmap::Heatmap;
use super::histogram::Histograms;
use super::importance::ImportanceBars;
use super::scatter::Scatter;
use super::text::{self, Sizes};
use super::{render, Canvas, Chart, ChartError, Image, ImageFormat};

/// The number of bins of the panel's histograms.
pub const PANEL_BINS: usize = 20;

/// The number of features in the panel's importance chart.
pub const PANEL_TOP: usize = 15;

/// What the multi-panel figure shows; see [`plot_panel`].
#[derive(Debug, Clone)]
pub struct Panel<'a> {
    /// The numeric columns, by name, for the histograms.
    pub histograms: &'a [(String, Vec<f64>)],
    /// Column names and their correlation matrix, for the heatmap.
    pub correlation: (&'a [String], ArrayView2<'a, f64>),
    /// `n × 2` points (e.g. the first two principal components), their cluster labels and the two
    /// axis names, for the scatter plot.
    pub scatter: (ArrayView2<'a, f64>, &'a [usize], [&'a str; 2]),
    /// Feature names and importance scores, for the bar chart; `None` leaves the chart out.
    pub importance: Option<(&'a [String], &'a [f64])>,
    /// The title of the whole figure.
    pub title: String,
}

/// Draws the multi-panel figure of exercise E.4 as SVG or PNG.
///
/// With importance scores the canvas is a 2 × 2 grid: histograms of the columns
/// ([`PANEL_BINS`] bins each) top left, the correlation heatmap top right, the cluster scatter bottom
/// left and the top [`PANEL_TOP`] feature importances bottom right. Without them the histograms
/// span the top and the heatmap and scatter share the bottom. Each panel is drawn by the same code as
/// the single charts ([`histograms`](super::histograms), [`correlation_heatmap`](super::correlation_heatmap),
/// [`cluster_scatter`](super::cluster_scatter), [`plot_feature_importance`](super::plot_feature_importance))
/// and follows their rules. A size of at least 1600 × 1000 keeps every panel legible.
///
/// # Errors
///
/// Any error of the single charts for its part of the panel (empty or mismatched inputs), and
/// [`ChartError::InvalidSize`] for a canvas smaller than [`MIN_SIZE`](super::MIN_SIZE) (PNG) or [`MIN_SVG_SIZE`](super::MIN_SVG_SIZE) (SVG).
///
/// # Example
///
/// ```
/// use brisk_report::chart::{plot_panel, ImageFormat, Panel};
/// use ndarray::array;
///
/// let names = vec!["a".to_string(), "b".to_string()];
/// let columns = vec![(names[0].clone(), vec![1.0, 2.0, 3.0]), (names[1].clone(), vec![2.0, 1.0, 0.5])];
/// let corr = array![[1.0, -0.96], [-0.96, 1.0]];
/// let points = array![[-1.0, 0.1], [0.1, -0.2], [0.9, 0.1]];
/// let panel = Panel {
///     histograms: &columns,
///     correlation: (&names, corr.view()),
///     scatter: (points.view(), &[0, 1, 1], ["PC1", "PC2"]),
///     importance: Some((&names, &[3.5, 0.2])),
///     title: "Overview".into(),
/// };
/// let svg = String::from_utf8(plot_panel(&panel, ImageFormat::Svg, (1600, 1000))?.as_bytes().to_vec()).unwrap();
/// assert!(svg.starts_with("<svg") && svg.contains("Overview") && svg.contains("-0.96"));
/// # Ok::<(), brisk_report::chart::ChartError>(())
/// ```
pub fn plot_panel(
    panel: &Panel<'_>,
    format: ImageFormat,
    size: (u32, u32),
) -> Result<Image, ChartError> {
    let (names, corr) = panel.correlation;
    let (points, labels, axis_names) = panel.scatter;
    let importance = match panel.importance {
        Some((features, scores)) => Some(ImportanceBars::new(
            features,
            scores,
            PANEL_TOP,
            "Feature importance",
            super::importance::X_LABEL,
        )?),
        None => None,
    };
    let figure = Figure {
        title: &panel.title,
        histograms: Histograms::new(panel.histograms, PANEL_BINS, "Distributions")?,
        heatmap: Heatmap::new(names, corr, "Correlation")?,
        scatter: Scatter::new(points, labels, axis_names, "Clusters (k-means)")?,
        importance,
    };
    render(&figure, format, size)
}

/// The validated parts of the multi-panel figure.
struct Figure<'a> {
    title: &'a str,
    histograms: Histograms<'a>,
    heatmap: Heatmap<'a>,
    scatter: Scatter<'a>,
    importance: Option<ImportanceBars<'a>>,
}

impl Chart for Figure<'_> {
    fn draw<DB: Canvas>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let sizes = Sizes::for_area(area.dim_in_pixel());
        let body = text::title(area, self.title, sizes)?;
        let inset = |part: &DrawingArea<DB, Shift>| {
            part.margin(sizes.px(4.0), sizes.px(8.0), sizes.px(8.0), sizes.px(8.0))
        };
        match &self.importance {
            Some(importance) => {
                let parts = body.split_evenly((2, 2));
                self.histograms.draw(&inset(&parts[0]))?;
                self.heatmap.draw(&inset(&parts[1]))?;
                self.scatter.draw(&inset(&parts[2]))?;
                importance.draw(&inset(&parts[3]))?;
            }
            None => {
                let (top, bottom) = body.split_vertically(body.dim_in_pixel().1 as i32 * 9 / 20);
                self.histograms.draw(&inset(&top))?;
                let parts = bottom.split_evenly((1, 2));
                self.heatmap.draw(&inset(&parts[0]))?;
                self.scatter.draw(&inset(&parts[1]))?;
            }
        }
        Ok(())
    }
}
