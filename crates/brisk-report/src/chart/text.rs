//! Text on charts: the embedded font, font sizes that follow the canvas, measuring and shortening
//! labels, and numbers written with four significant figures.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::{self, FAMILY};
use super::{Canvas, ChartError};

/// The colour of titles, labels and annotations.
pub(crate) const INK: RGBColor = RGBColor(33, 33, 33);

/// The colour of secondary text such as tick labels.
pub(crate) const MUTED_INK: RGBColor = RGBColor(80, 80, 80);

/// Font sizes for one drawing area, in plotters' pixel units, proportional to the area.
///
/// A 1000 × 600 area gets the reference sizes; smaller areas (the panels of the multi-panel figure)
/// get smaller text, never below a legible minimum.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sizes {
    scale: f64,
}

impl Sizes {
    /// Sizes for an area of `(width, height)` pixels.
    pub(crate) fn for_area((width, height): (u32, u32)) -> Self {
        let scale = (f64::from(width) / 1000.0).min(f64::from(height) / 600.0);
        Self {
            scale: scale.clamp(0.85, 2.5),
        }
    }

    /// These sizes, but no larger than the reference sizes: for a canvas that grows with its
    /// contents (and is shown at its own size) rather than one drawn large to be shown shrunk.
    pub(crate) fn at_most_reference(self) -> Self {
        Self {
            scale: self.scale.min(1.0),
        }
    }

    /// A length of `reference` pixels at the reference size, scaled to this area.
    pub(crate) fn px(self, reference: f64) -> i32 {
        (reference * self.scale).round() as i32
    }

    /// The chart title.
    pub(crate) fn title(self) -> f64 {
        even(26.0 * self.scale)
    }

    /// Axis names and category labels.
    pub(crate) fn label(self) -> f64 {
        even(20.0 * self.scale)
    }

    /// Tick labels, annotations and legend entries.
    pub(crate) fn small(self) -> f64 {
        even(18.0 * self.scale)
    }
}

/// The even number of pixels nearest to `size`, at least 8.
///
/// The rasteriser puts the baseline `size / 2` below a glyph's position, truncated to whole
/// pixels; with even sizes every glyph of a line shares one baseline.
pub(crate) fn even(size: f64) -> f64 {
    ((size / 2.0).round() * 2.0).max(8.0)
}

/// The text style of the charts: the embedded family, `size` pixels (made [`even`]), in `color`.
pub(crate) fn style(size: f64, color: &RGBColor) -> TextStyle<'static> {
    recolor(&TextStyle::from((FAMILY, even(size)).into_font()), *color)
}

/// `style` in another colour.
pub(crate) fn recolor(style: &TextStyle<'static>, color: RGBColor) -> TextStyle<'static> {
    // `TextStyle::color` ties the style's lifetime to the colour's, needlessly: it copies it.
    let mut style = style.clone();
    style.color = color.to_backend_color();
    style
}

/// `style` anchored at the given horizontal and vertical position of the text box.
pub(crate) fn anchored(style: &TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// The width in pixels of `text` drawn in `style`.
///
/// Measured with the embedded font's metrics, so SVG and PNG lay out alike (an SVG viewer's
/// sans-serif is usually narrower than DejaVu Sans, so the text fits there too).
pub(crate) fn width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> Result<i32, ChartError> {
    match font::metrics() {
        Some(metrics) => Ok(metrics.layout(text, style.font.get_size()).1.ceil() as i32),
        None => Ok(area.estimate_text_size(text, style)?.0 as i32),
    }
}

/// `text` if it fits in `max_width` pixels, otherwise its longest prefix that fits followed by "…".
pub(crate) fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_width: i32,
) -> Result<String, ChartError> {
    if width(area, text, style)? <= max_width {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    // Binary search for the longest prefix that fits with the ellipsis.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().chain(std::iter::once(&'…')).collect();
        if width(area, &candidate, style)? <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let kept: String = chars[..lo].iter().collect();
    Ok(format!("{}…", kept.trim_end()))
}

/// Draws `text` centred at the top of `area` in the title style and returns the area below it.
pub(crate) fn title<DB: Canvas>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    sizes: Sizes,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    if text.is_empty() {
        return Ok(area.margin(sizes.px(10.0), 0, 0, 0));
    }
    let style = style(sizes.title(), &INK);
    let (w, _) = area.dim_in_pixel();
    let shown = fit(area, text, &style, w as i32 - 2 * sizes.px(16.0))?;
    let top = sizes.px(12.0);
    draw(
        area,
        &shown,
        &anchored(&style, HPos::Center, VPos::Top),
        (w as i32 / 2, top),
    )?;
    let used = top + sizes.title().round() as i32 + sizes.px(14.0);
    Ok(area.margin(used, 0, 0, 0))
}

/// Draws `text` in `style` with its anchor (`style.pos`) at `pos`, in `area`'s pixels.
///
/// An SVG gets one `<text>` element. A bitmap gets the glyphs placed one by one from the font's
/// metrics (see [`font`]), with the same anchoring as the SVG: `VPos::Top` puts the baseline 0.76 em
/// below `pos`, `VPos::Center` half an x-height below it, `VPos::Bottom` half an x-height above it.
pub(crate) fn draw<DB: Canvas>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    pos: (i32, i32),
) -> Result<(), ChartError> {
    let metrics = match font::metrics() {
        Some(metrics) if DB::RASTER_TEXT => metrics,
        _ => {
            area.draw_text(text, style, pos)?;
            return Ok(());
        }
    };
    let size = style.font.get_size();
    let (glyphs, advance) = metrics.layout(text, size);
    let start = match style.pos.h_pos {
        HPos::Left => 0.0,
        HPos::Center => -advance / 2.0,
        HPos::Right => -advance,
    };
    let baseline = match style.pos.v_pos {
        VPos::Top => 0.76 * metrics.em(size),
        VPos::Center => 0.5 * metrics.x_height(size),
        VPos::Bottom => -0.5 * metrics.x_height(size),
    };
    // The rasteriser draws a glyph's baseline `size / 2` below the point it is given.
    let top = (baseline - size / 2.0).round() as i32;
    let transform = style.font.get_transform();
    let glyph_style = style.pos(Pos::new(HPos::Left, VPos::Top));
    let scale = metrics.scale(size);
    let mut buffer = [0u8; 4];
    for (c, glyph, pen) in glyphs {
        if c.is_whitespace() {
            continue;
        }
        // The rasteriser starts the ink at the glyph's left edge: add the side bearing back.
        let bearing = (metrics.horizontal(glyph).1 * scale).floor();
        let left = (start + pen).round() as i32 + bearing as i32;
        let (dx, dy) = transform.transform(left, top);
        area.draw_text(
            c.encode_utf8(&mut buffer),
            &glyph_style,
            (pos.0 + dx, pos.1 + dy),
        )?;
    }
    Ok(())
}

/// [`draw`] at a position given in backend pixels (as returned by `ChartContext::backend_coord`),
/// whatever the area's own offset.
pub(crate) fn draw_at<DB: Canvas>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    (x, y): (i32, i32),
) -> Result<(), ChartError> {
    let (x0, y0) = area.get_base_pixel();
    draw(area, text, style, (x - x0, y - y0))
}

/// `value` with four significant figures, as Python's `format(value, ".4g")`: `594.2`, `0.0612`,
/// `1.235e+04`; trailing zeros are dropped, and non-finite values read `nan`, `inf` and `-inf`.
pub(crate) fn format_sig(value: f64) -> String {
    const DIGITS: i32 = 4;
    if value.is_nan() {
        return "nan".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.into();
    }
    if value == 0.0 {
        return "0".into();
    }
    // The exponent after rounding to four significant figures decides between the notations.
    let scientific = format!("{:.*e}", (DIGITS - 1) as usize, value);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..DIGITS).contains(&exponent) {
        let decimals = (DIGITS - 1 - exponent).max(0) as usize;
        trim_zeros(&format!("{value:.decimals$}")).to_string()
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim_zeros(mantissa), exponent.abs())
    }
}

/// Drops trailing zeros after a decimal point, and the point itself when nothing follows it.
fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// A tick label on an axis spanning `span`: whole numbers below a million in full (`15000`),
/// others below a million with the decimals that a fortieth of the span needs (so that ticks
/// half a unit apart on an axis from 2007 to 2009 read `2007.5`, not `2008` twice), the rest as
/// [`format_sig`], and a plain `0` for the rounding residue of zero (`5.6e-17`).
pub(crate) fn format_tick(value: f64, span: f64) -> String {
    let decimals = (-(span.abs() / 40.0).log10()).ceil().max(0.0);
    if value.abs() <= span.abs() * 1e-9 {
        "0".into()
    } else if value == value.round() && value.abs() < 1e6 {
        format!("{}", value as i64)
    } else if value.abs() < 1e6 && decimals <= 6.0 && value.abs() >= 1e-3 {
        let decimals = decimals as usize;
        trim_zeros(&format!("{value:.decimals$}")).to_string()
    } else {
        format_sig(value)
    }
}
