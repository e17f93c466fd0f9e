//! Colours: a sequential ramp for magnitudes, a diverging scale for correlations and a categorical
//! palette for clusters.

use plotters::style::RGBColor;

/// matplotlib's `viridis` sampled at 0, 0.1, …, 1 (perceptually uniform, readable in grey and by
/// colour-blind readers).
const VIRIDIS: [RGBColor; 11] = [
    RGBColor(0x44, 0x01, 0x54),
    RGBColor(0x48, 0x24, 0x75),
    RGBColor(0x41, 0x44, 0x87),
    RGBColor(0x35, 0x5f, 0x8d),
    RGBColor(0x2a, 0x78, 0x8e),
    RGBColor(0x21, 0x91, 0x8c),
    RGBColor(0x22, 0xa8, 0x84),
    RGBColor(0x44, 0xbf, 0x70),
    RGBColor(0x7a, 0xd1, 0x51),
    RGBColor(0xbd, 0xdf, 0x26),
    RGBColor(0xfd, 0xe7, 0x25),
];

/// matplotlib's `RdBu_r` sampled at −1, −0.8, …, 1: dark blue through white to dark red.
const RED_BLUE: [RGBColor; 11] = [
    RGBColor(0x05, 0x30, 0x61),
    RGBColor(0x21, 0x66, 0xac),
    RGBColor(0x43, 0x93, 0xc3),
    RGBColor(0x92, 0xc5, 0xde),
    RGBColor(0xd1, 0xe5, 0xf0),
    RGBColor(0xf7, 0xf7, 0xf7),
    RGBColor(0xfd, 0xdb, 0xc7),
    RGBColor(0xf4, 0xa5, 0x82),
    RGBColor(0xd6, 0x60, 0x4d),
    RGBColor(0xb2, 0x18, 0x2b),
    RGBColor(0x67, 0x00, 0x1f),
];

/// Tableau's 10 categorical colours (matplotlib's `tab10`) followed by the darker and lighter
/// companions of `tab20`, so that up to 20 clusters get distinct colours.
const CATEGORICAL: [RGBColor; 20] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0x17, 0xbe, 0xcf),
    RGBColor(0xae, 0xc7, 0xe8),
    RGBColor(0xff, 0xbb, 0x78),
    RGBColor(0x98, 0xdf, 0x8a),
    RGBColor(0xff, 0x98, 0x96),
    RGBColor(0xc5, 0xb0, 0xd5),
    RGBColor(0xc4, 0x9c, 0x94),
    RGBColor(0xf7, 0xb6, 0xd2),
    RGBColor(0xc7, 0xc7, 0xc7),
    RGBColor(0xdb, 0xdb, 0x8d),
    RGBColor(0x9e, 0xda, 0xe5),
];

/// The grey of missing (NaN) cells.
pub(crate) const MISSING: RGBColor = RGBColor(0xbd, 0xbd, 0xbd);

/// The fill of histogram bars.
pub(crate) const BAR: RGBColor = RGBColor(0x35, 0x5f, 0x8d);

/// The light grey of grid lines and frames.
pub(crate) const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);

/// Linear interpolation through equally spaced `stops`, at `t` in [0, 1] (clamped; NaN gives the
/// first stop).
fn ramp(stops: &[RGBColor], t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let position = t * (stops.len() - 1) as f64;
    let index = (position.floor() as usize).min(stops.len() - 2);
    let fraction = position - index as f64;
    let (a, b) = (stops[index], stops[index + 1]);
    let mix =
        |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * fraction).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The viridis colour at `t` in [0, 1]: dark purple for low values, yellow for high ones.
pub(crate) fn sequential(t: f64) -> RGBColor {
    ramp(&VIRIDIS, t)
}

/// The diverging colour of a correlation `r`: blue at −1, white at 0, red at 1 (clamped to −1…1).
pub(crate) fn diverging(r: f64) -> RGBColor {
    ramp(&RED_BLUE, (r + 1.0) / 2.0)
}

/// The colour of cluster `label`; labels past the palette reuse it from the start.
pub(crate) fn categorical(label: usize) -> RGBColor {
    CATEGORICAL[label % CATEGORICAL.len()]
}

/// Black or white, whichever reads better on `background` (by relative luminance).
pub(crate) fn text_on(background: RGBColor) -> RGBColor {
    let luminance = 0.2126 * f64::from(background.0)
        + 0.7152 * f64::from(background.1)
        + 0.0722 * f64::from(background.2);
    if luminance < 140.0 {
        RGBColor(255, 255, 255)
    } else {
        super::text::INK
    }
}
