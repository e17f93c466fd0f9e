//! Axes of the cartesian charts — grid lines, axis lines, tick marks, tick labels and axis names —
//! drawn with the charts' own text (see [`text::draw`]) rather than plotters' mesh, so that PNG and
//! SVG labels sit in the same places.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;

use super::palette::GRID;
use super::text::{self, Sizes, INK, MUTED_INK};
use super::{Canvas, ChartError};

/// `low..high` if it is an axis plotters can draw: finite ends and a finite span (plotters loops
/// forever over an infinite span); otherwise [`ChartError::OutOfRange`] naming `what`.
pub(crate) fn finite_range(low: f64, high: f64, what: &str) -> Result<Range<f64>, ChartError> {
    if low.is_finite() && high.is_finite() && (high - low).is_finite() && low <= high {
        Ok(low..high)
    } else {
        Err(ChartError::OutOfRange(what.to_string()))
    }
}

/// Tick positions (backend pixels along the axis) and their labels.
pub(crate) type Ticks = Vec<(i32, String)>;

/// The ticks of the x axis: the most "nice" values of the chart's x range (at most 10) whose labels,
/// in `style`, keep two font sizes apart.
pub(crate) fn x_ticks<DB, X, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    area: &DrawingArea<DB, Shift>,
    style: &TextStyle,
    label: impl Fn(&X::ValueType) -> String,
) -> Result<Ticks, ChartError>
where
    DB: DrawingBackend,
    X: Ranged,
    Y: Ranged,
    Y::ValueType: Clone,
{
    let y = chart.y_range().start;
    let ticks = |count: usize| -> Ticks {
        let points = chart.as_coord_spec().x_spec().key_points(count);
        points
            .into_iter()
            .map(|x| {
                let text = label(&x);
                (chart.backend_coord(&(x, y.clone())).0, text)
            })
            .collect()
    };
    let gap = (style.font.get_size() * 2.0).round() as i32;
    for count in (4..=10).rev() {
        let candidate = ticks(count);
        if thin(area, &candidate, style, gap)? == 1 {
            return Ok(candidate);
        }
    }
    Ok(ticks(3))
}

/// The ticks of the y axis: the most "nice" values of the chart's y range (at most 10) that keep
/// `spacing` pixels apart.
pub(crate) fn y_ticks<DB, X, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    spacing: i32,
    label: impl Fn(&Y::ValueType) -> String,
) -> Ticks
where
    DB: DrawingBackend,
    X: Ranged,
    Y: Ranged,
    X::ValueType: Clone,
{
    let x = chart.x_range().start;
    let ticks = |count: usize| -> Ticks {
        let points = chart.as_coord_spec().y_spec().key_points(count);
        points
            .into_iter()
            .map(|y| {
                let text = label(&y);
                (chart.backend_coord(&(x.clone(), y)).1, text)
            })
            .collect()
    };
    (4..=10)
        .rev()
        .map(ticks)
        .find(|candidate| {
            candidate
                .windows(2)
                .all(|pair| (pair[0].0 - pair[1].0).abs() >= spacing)
        })
        .unwrap_or_else(|| ticks(3))
}

/// The axes of one chart, their pixel geometry and what to draw.
pub(crate) struct Axes<'a> {
    /// The plotting area in backend pixels: x range, y range.
    pub(crate) plot: (Range<i32>, Range<i32>),
    pub(crate) x_ticks: Ticks,
    pub(crate) y_ticks: Ticks,
    pub(crate) x_name: &'a str,
    pub(crate) y_name: &'a str,
    /// Vertical grid lines at the x ticks.
    pub(crate) x_grid: bool,
    /// Horizontal grid lines at the y ticks.
    pub(crate) y_grid: bool,
    pub(crate) sizes: Sizes,
    /// The font size of the tick labels.
    pub(crate) tick_size: f64,
}

/// The room below the plot for x tick labels (and the axis name, if any).
pub(crate) fn x_label_room(sizes: Sizes, tick_size: f64, named: bool) -> i32 {
    let ticks = sizes.px(5.0 + 6.0) + tick_size.round() as i32 + sizes.px(4.0);
    if named {
        ticks + sizes.px(8.0) + sizes.label().round() as i32 + sizes.px(6.0)
    } else {
        ticks
    }
}

/// The room left of the plot for y tick labels of `tick_width` pixels (and the axis name).
pub(crate) fn y_label_room(sizes: Sizes, tick_width: i32, named: bool) -> i32 {
    let ticks = sizes.px(5.0 + 6.0) + tick_width + sizes.px(4.0);
    if named {
        ticks + sizes.px(8.0) + sizes.label().round() as i32 + sizes.px(4.0)
    } else {
        ticks
    }
}

impl Axes<'_> {
    /// Draws the grid lines; call before the data so that the data covers them.
    pub(crate) fn draw_grid<DB: Canvas>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), ChartError> {
        let (xs, ys) = &self.plot;
        let (bx, by) = area.get_base_pixel();
        let style = GRID.stroke_width(1);
        if self.x_grid {
            for (x, _) in &self.x_ticks {
                area.draw(&PathElement::new(
                    vec![(x - bx, ys.start - by), (x - bx, ys.end - by)],
                    style,
                ))?;
            }
        }
        if self.y_grid {
            for (y, _) in &self.y_ticks {
                area.draw(&PathElement::new(
                    vec![(xs.start - bx, y - by), (xs.end - bx, y - by)],
                    style,
                ))?;
            }
        }
        Ok(())
    }

    /// Draws the axis lines, tick marks, tick labels and axis names.
    pub(crate) fn draw<DB: Canvas>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let (xs, ys) = &self.plot;
        let (bx, by) = area.get_base_pixel();
        let sizes = self.sizes;
        let tick = sizes.px(5.0);
        let gap = sizes.px(6.0);
        let line = MUTED_INK.stroke_width(1);
        let (left, bottom) = (xs.start - bx, ys.end - by);
        area.draw(&PathElement::new(
            vec![(left, ys.start - by), (left, bottom)],
            line,
        ))?;
        area.draw(&PathElement::new(
            vec![(left, bottom), (xs.end - bx, bottom)],
            line,
        ))?;

        let tick_style = text::style(self.tick_size, &MUTED_INK);
        let x_labels = thin(area, &self.x_ticks, &tick_style, gap)?;
        let x_style = text::anchored(&tick_style, HPos::Center, VPos::Top);
        let area_width = area.dim_in_pixel().0 as i32;
        for (k, (x, label)) in self.x_ticks.iter().enumerate() {
            area.draw(&PathElement::new(
                vec![(x - bx, bottom), (x - bx, bottom + tick)],
                line,
            ))?;
            if k % x_labels == 0 {
                // A label at the plot's edge stays inside the area.
                let half = text::width(area, label, &tick_style)? / 2 + 1;
                let center = (x - bx).clamp(
                    half.min(area_width / 2),
                    (area_width - half).max(area_width / 2),
                );
                text::draw(area, label, &x_style, (center, bottom + tick + gap))?;
            }
        }
        let y_style = text::anchored(&tick_style, HPos::Right, VPos::Center);
        let mut widest = 0;
        for (y, label) in &self.y_ticks {
            area.draw(&PathElement::new(
                vec![(left - tick, y - by), (left, y - by)],
                line,
            ))?;
            text::draw(area, label, &y_style, (left - tick - gap, y - by))?;
            widest = widest.max(text::width(area, label, &tick_style)?);
        }

        let name_style = text::style(sizes.label(), &INK);
        if !self.x_name.is_empty() {
            let below = bottom + tick + gap + self.tick_size.round() as i32 + sizes.px(8.0);
            let name = text::fit(area, self.x_name, &name_style, xs.end - xs.start)?;
            let style = text::anchored(&name_style, HPos::Center, VPos::Top);
            text::draw(area, &name, &style, ((xs.start + xs.end) / 2 - bx, below))?;
        }
        if !self.y_name.is_empty() {
            let beside = left - tick - gap - widest - sizes.px(8.0);
            let name = text::fit(area, self.y_name, &name_style, ys.end - ys.start)?;
            let style = text::anchored(&name_style, HPos::Center, VPos::Bottom)
                .transform(FontTransform::Rotate270);
            text::draw(area, &name, &style, (beside, (ys.start + ys.end) / 2 - by))?;
        }
        Ok(())
    }
}

/// Every how many x ticks a label fits without touching its neighbours.
fn thin<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ticks: &Ticks,
    style: &TextStyle,
    gap: i32,
) -> Result<usize, ChartError> {
    let mut widths = Vec::with_capacity(ticks.len());
    for (_, label) in ticks {
        widths.push(text::width(area, label, style)?);
    }
    let fits = |every: usize| {
        let shown: Vec<usize> = (0..ticks.len()).step_by(every).collect();
        shown.windows(2).all(|pair| {
            let (a, b) = (pair[0], pair[1]);
            (ticks[b].0 - ticks[a].0).abs() >= (widths[a] + widths[b]) / 2 + gap
        })
    };
    Ok((1..=ticks.len().max(1))
        .find(|&every| fits(every))
        .unwrap_or(1))
}
