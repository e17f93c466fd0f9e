//! The feature-importance chart of exercise C.3: sorted, colour-graded, annotated horizontal bars.

use std::cmp::Ordering;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{self, Axes};
use super::palette;
use super::text::{self, Sizes, INK, MUTED_INK};
use super::{render, Canvas, Chart, ChartError, Image, ImageFormat};

/// The name of the importance chart's x axis.
pub(crate) const X_LABEL: &str = "Importance";

/// Options of [`plot_feature_importance`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportanceChart {
    /// How many features to show, the most important first (default 15).
    pub top: usize,
    /// The title above the bars (default "Feature importance").
    pub title: String,
    /// Canvas width in pixels (default 1000).
    pub width: u32,
    /// Canvas height in pixels (default 600).
    pub height: u32,
}

impl Default for ImportanceChart {
    fn default() -> Self {
        Self {
            top: 15,
            title: "Feature importance".into(),
            width: 1000,
            height: 600,
        }
    }
}

/// Draws the feature-importance chart of exercise C.3 as SVG or PNG.
///
/// The `options.top` features with the highest scores are drawn as horizontal bars, the highest at
/// the top, coloured along the viridis ramp from the lowest shown score (dark purple) to the highest
/// (yellow) and annotated with their values to four significant figures (`594.8`, `1.235e+04`).
/// Long names are shortened with "…" to fit beside the bars.
///
/// Non-finite scores: NaN sorts after every number and gets no bar, only the note "nan"; +inf sorts
/// first and gets a bar across the whole axis, annotated "inf" (−inf likewise to the left end).
/// Ties keep the input order.
///
/// # Errors
///
/// [`ChartError::Empty`] when there are no features, [`ChartError::Mismatch`] when `names` and
/// `scores` differ in length, [`ChartError::InvalidOption`] when `options.top` is 0, and
/// [`ChartError::InvalidSize`] when the canvas is smaller than [`MIN_SIZE`](super::MIN_SIZE) (PNG) or [`MIN_SVG_SIZE`](super::MIN_SVG_SIZE) (SVG).
///
/// # Example
///
/// ```
/// use brisk_report::chart::{plot_feature_importance, Image, ImageFormat, ImportanceChart};
///
/// let names: Vec<String> = ["bill_length_mm", "flipper_length_mm", "year"].map(String::from).to_vec();
/// let options = ImportanceChart { top: 2, ..ImportanceChart::default() };
/// let Image::Svg(svg) = plot_feature_importance(&names, &[410.6, 594.8, 0.06], &options, ImageFormat::Svg)? else {
///     unreachable!()
/// };
/// assert!(svg.starts_with("<svg"));
/// assert!(svg.contains("flipper_length_mm") && svg.contains("594.8"));
/// assert!(!svg.contains("year"));
/// # Ok::<(), brisk_report::chart::ChartError>(())
/// ```
pub fn plot_feature_importance(
    names: &[String],
    scores: &[f64],
    options: &ImportanceChart,
    format: ImageFormat,
) -> Result<Image, ChartError> {
    let bars = ImportanceBars::new(names, scores, options.top, &options.title, X_LABEL)?;
    render(&bars, format, (options.width, options.height))
}

/// A feature scored by a statistical test, for [`plot_ranked_importance`].
#[derive(Debug, Clone, PartialEq)]
pub struct RankedFeature {
    /// The feature's (column's) name.
    pub name: String,
    /// The test's statistic (F, χ², Cramér's V, …).
    pub score: f64,
    /// The test's p-value, if it has one.
    pub p_value: Option<f64>,
    /// The statistic's name as printed before its value: "F", "χ²", "Cramér's V".
    pub test: String,
}

/// Draws the ranked importance of features scored by possibly different tests, SVG or PNG.
///
/// Every bar is annotated with its test, statistic and p-value ("F = 594.8, p = 1.2e-90"), as the
/// statistics of different tests are not on one scale. When every feature has the same test, the
/// bars are the statistics, ranked as [`plot_feature_importance`] ranks them, on an axis named
/// "Importance (F)". When the tests are mixed, the features are ranked by p-value, smallest first
/// (ties: the larger statistic first; no p-value last) and the bars are −log10 p, on an axis named
/// "−log10 p-value"; a p-value below 1e-300 is drawn as 1e-300 and reads "p < 1e-300".
///
/// # Errors
///
/// [`ChartError::Empty`] when there are no features, [`ChartError::InvalidOption`] when
/// `options.top` is 0, [`ChartError::InvalidSize`] for a canvas below the format's minimum.
///
/// # Example
///
/// ```
/// use brisk_report::chart::{plot_ranked_importance, ImageFormat, ImportanceChart, RankedFeature};
///
/// let features = vec![
///     RankedFeature { name: "flipper_length_mm".into(), score: 594.8, p_value: Some(1e-107), test: "F".into() },
///     RankedFeature { name: "island".into(), score: 299.6, p_value: Some(1e-63), test: "χ²".into() },
/// ];
/// let image = plot_ranked_importance(&features, &ImportanceChart::default(), ImageFormat::Svg)?;
/// let svg = String::from_utf8(image.as_bytes().to_vec()).unwrap();
/// assert!(svg.contains("F = 594.8, p = 1e-107") && svg.contains("log10 p-value"));
/// # Ok::<(), brisk_report::chart::ChartError>(())
/// ```
pub fn plot_ranked_importance(
    features: &[RankedFeature],
    options: &ImportanceChart,
    format: ImageFormat,
) -> Result<Image, ChartError> {
    let bars = ImportanceBars::ranked(features, options.top, &options.title)?;
    render(&bars, format, (options.width, options.height))
}

/// The smallest p-value drawn: −log10 of it, 300, is the longest bar of a mixed ranking.
const SMALLEST_P: f64 = 1e-300;

/// One bar: the feature's name, the bar's value and the note at its end.
struct Bar<'a> {
    name: &'a str,
    value: f64,
    note: String,
}

/// The validated, sorted and truncated bars of an importance chart.
pub(crate) struct ImportanceBars<'a> {
    /// The bars, the first at the top.
    bars: Vec<Bar<'a>>,
    title: &'a str,
    x_label: String,
}

impl<'a> ImportanceBars<'a> {
    /// Sorts the features by score (NaN last, ties in input order) and keeps the `top` first.
    pub(crate) fn new(
        names: &'a [String],
        scores: &[f64],
        top: usize,
        title: &'a str,
        x_label: &'a str,
    ) -> Result<Self, ChartError> {
        if names.len() != scores.len() {
            return Err(ChartError::Mismatch(format!(
                "{} feature names but {} importance scores",
                names.len(),
                scores.len()
            )));
        }
        check_ranking(names.len(), top)?;
        let mut bars: Vec<Bar<'a>> = names
            .iter()
            .zip(scores)
            .map(|(name, score)| Bar {
                name,
                value: *score,
                note: text::format_sig(*score),
            })
            .collect();
        bars.sort_by(|a, b| descending_nan_last(a.value, b.value));
        bars.truncate(top);
        Ok(Self {
            bars,
            title,
            x_label: x_label.to_string(),
        })
    }

    /// Ranks features by statistic when they share one test, by p-value otherwise (see
    /// [`plot_ranked_importance`]) and keeps the `top` first.
    pub(crate) fn ranked(
        features: &'a [RankedFeature],
        top: usize,
        title: &'a str,
    ) -> Result<Self, ChartError> {
        check_ranking(features.len(), top)?;
        let first_test = &features[0].test;
        let mixed = features.iter().any(|f| f.test != *first_test);
        let mut order: Vec<&RankedFeature> = features.iter().collect();
        if mixed {
            order.sort_by(|a, b| {
                ascending_p(a.p_value, b.p_value)
                    .then_with(|| descending_nan_last(a.score, b.score))
            });
        } else {
            order.sort_by(|a, b| descending_nan_last(a.score, b.score));
        }
        order.truncate(top);
        let bars = order
            .into_iter()
            .map(|feature| Bar {
                name: &feature.name,
                value: if mixed {
                    feature
                        .p_value
                        .map_or(f64::NAN, |p| -p.max(SMALLEST_P).log10())
                } else {
                    feature.score
                },
                note: test_note(feature),
            })
            .collect();
        let x_label = if mixed {
            "\u{2212}log10 p-value".to_string()
        } else {
            format!("{X_LABEL} ({first_test})")
        };
        Ok(Self {
            bars,
            title,
            x_label,
        })
    }

    /// The shown names, the first bar first.
    #[cfg(test)]
    pub(crate) fn names(&self) -> Vec<&str> {
        self.bars.iter().map(|bar| bar.name).collect()
    }
}

/// Checks that there is something to rank and that at least one bar is asked for.
fn check_ranking(features: usize, top: usize) -> Result<(), ChartError> {
    if features == 0 {
        return Err(ChartError::Empty("no features to rank".into()));
    }
    if top == 0 {
        return Err(ChartError::InvalidOption("top must be at least 1".into()));
    }
    Ok(())
}

/// "F = 594.8, p = 1.2e-90": the test, its statistic and its p-value (when there is one).
pub(crate) fn test_note(feature: &RankedFeature) -> String {
    let statistic = format!("{} = {}", feature.test, text::format_sig(feature.score));
    match feature.p_value {
        Some(p) => format!("{statistic}, {}", p_text(p)),
        None => statistic,
    }
}

/// A p-value with two significant figures: "p = 0.032", "p = 1.2e-90", "p < 1e-300".
pub(crate) fn p_text(p: f64) -> String {
    if p.is_nan() {
        "p = nan".into()
    } else if p < SMALLEST_P {
        "p < 1e-300".into()
    } else if p >= 1e-3 {
        let decimals = (1 - p.log10().floor() as i32).max(0) as usize;
        let fixed = format!("{p:.decimals$}");
        let fixed = if fixed.contains('.') {
            fixed.trim_end_matches('0').trim_end_matches('.')
        } else {
            &fixed
        };
        format!("p = {fixed}")
    } else {
        let scientific = format!("{p:.1e}");
        let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
        let mantissa = mantissa.trim_end_matches(".0");
        format!("p = {mantissa}e{exponent}")
    }
}

/// The order of p-values from smallest to largest, missing or NaN last.
fn ascending_p(a: Option<f64>, b: Option<f64>) -> Ordering {
    let key = |p: Option<f64>| p.filter(|p| !p.is_nan());
    match (key(a), key(b)) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The order of scores from highest to lowest, NaN after everything (+inf first, −inf last of the
/// numbers).
fn descending_nan_last(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => b.partial_cmp(&a).unwrap_or(Ordering::Equal),
    }
}

impl Chart for ImportanceBars<'_> {
    fn draw<DB: Canvas>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let sizes = Sizes::for_area(area.dim_in_pixel());
        let body = text::title(area, self.title, sizes)?;
        let (width, height) = body.dim_in_pixel();
        let (width, height) = (width as i32, height as i32);

        let rows = self.bars.len();
        let tick_size = sizes.small();
        let x_label_area = axes::x_label_room(sizes, tick_size, true);
        let margin_top = sizes.px(4.0);
        let margin_right = sizes.px(24.0);
        let row_height = f64::from((height - x_label_area - margin_top).max(1)) / rows as f64;
        // Text shrinks with the rows when there are many bars, down to a legible minimum.
        let font_size = text::even(sizes.small().min(row_height * 0.7));
        let name_style = text::style(sizes.label().min(font_size + 2.0), &INK);
        let value_style = text::style(font_size, &INK);

        // The name column is as wide as the longest name, up to a third of the canvas.
        let gap = sizes.px(10.0);
        let mut name_width = 0;
        for bar in &self.bars {
            name_width = name_width.max(text::width(&body, bar.name, &name_style)?);
        }
        let name_width = name_width.min(width / 3);
        let label_area = name_width + 2 * gap;

        // Leave room beyond the longest bars for their annotations.
        let mut note_width = 0;
        for bar in &self.bars {
            note_width = note_width.max(text::width(&body, &bar.note, &value_style)?);
        }
        let finite = || {
            self.bars
                .iter()
                .map(|bar| bar.value)
                .filter(|s| s.is_finite())
        };
        let low = finite().fold(0.0f64, f64::min);
        let high = finite().fold(0.0f64, f64::max);
        let has_positive = self.bars.iter().any(|bar| bar.value > 0.0);
        let has_negative = self.bars.iter().any(|bar| bar.value < 0.0);
        let (low, high) = if low == high { (0.0, 1.0) } else { (low, high) };
        let plot_width = f64::from((width - label_area - margin_right).max(1));
        let pad = f64::from(note_width + gap * 2);
        let pad_right = if has_positive || !has_negative {
            pad
        } else {
            f64::from(gap)
        };
        let pad_left = if has_negative { pad } else { 0.0 };
        let per_pixel = (high - low) / (plot_width - pad_left - pad_right).max(plot_width * 0.3);
        let axis = axes::finite_range(
            low - pad_left * per_pixel,
            high + pad_right * per_pixel,
            "the importance scores",
        )?;
        let (axis_low, axis_high) = (axis.start, axis.end);

        let chart = ChartBuilder::on(&body)
            .margin_top(margin_top)
            .margin_right(margin_right)
            .x_label_area_size(x_label_area)
            .y_label_area_size(label_area)
            .build_cartesian_2d(axis, 0.0..rows as f64)?;
        let span = axis_high - axis_low;
        let plot = chart.plotting_area().get_pixel_range();
        let axes = Axes {
            x_ticks: axes::x_ticks(&chart, &body, &text::style(tick_size, &INK), |v| {
                text::format_tick(*v, span)
            })?,
            y_ticks: Vec::new(),
            x_name: &self.x_label,
            y_name: "",
            x_grid: true,
            y_grid: false,
            sizes,
            tick_size,
            plot,
        };
        axes.draw_grid(&body)?;

        let (shade_low, shade_high) = (
            finite().fold(f64::INFINITY, f64::min),
            finite().fold(f64::NEG_INFINITY, f64::max),
        );
        let shade = |score: f64| -> RGBColor {
            let t = if score == f64::INFINITY {
                1.0
            } else if score == f64::NEG_INFINITY {
                0.0
            } else if shade_high > shade_low {
                (score - shade_low) / (shade_high - shade_low)
            } else {
                1.0
            };
            // The last tenth of viridis is too pale on white.
            palette::sequential(0.05 + 0.85 * t)
        };

        for (row, bar) in self.bars.iter().enumerate() {
            let (name, score) = (bar.name, &bar.value);
            let top = (rows - row) as f64;
            let middle = top - 0.5;
            let end = match *score {
                s if s.is_nan() => 0.0,
                s if s == f64::INFINITY => axis_high,
                s if s == f64::NEG_INFINITY => axis_low,
                s => s,
            };
            let color = shade(*score);
            if end != 0.0 {
                chart.plotting_area().draw(&Rectangle::new(
                    [(0.0, top - 0.15), (end, top - 0.85)],
                    color.filled(),
                ))?;
            }

            let (left, y) = chart.backend_coord(&(axis_low, middle));
            let shown = text::fit(&body, name, &name_style, name_width)?;
            let style = text::anchored(&name_style, HPos::Right, VPos::Center);
            text::draw_at(&body, &shown, &style, (left - gap, y))?;

            let note = &bar.note;
            let (x_end, _) = chart.backend_coord(&(end, middle));
            let (position, anchor, ink) = if score.is_infinite() {
                // A full-length bar: the note goes inside its end.
                let inside = if *score > 0.0 {
                    x_end - gap
                } else {
                    x_end + gap
                };
                let anchor = if *score > 0.0 {
                    HPos::Right
                } else {
                    HPos::Left
                };
                (inside, anchor, palette::text_on(color))
            } else if *score < 0.0 {
                (x_end - gap, HPos::Right, INK)
            } else {
                (
                    x_end + gap,
                    HPos::Left,
                    if score.is_nan() { MUTED_INK } else { INK },
                )
            };
            let style = text::recolor(&text::anchored(&value_style, anchor, VPos::Center), ink);
            text::draw_at(&body, note, &style, (position, y))?;
        }
        axes.draw(&body)
    }
}
