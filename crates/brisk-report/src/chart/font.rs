//! The embedded font: its registration with plotters and the metrics needed to place glyphs.
//!
//! plotters' bitmap text (its `ab_glyph` rasteriser, 0.3.7) draws each glyph from the pen position
//! without the glyph's left side bearing, so "ANOVA" reads "AN OVA" and "594.8" reads "594. 8", and
//! it sets the baseline half a font size below the top of the text box. The charts therefore place
//! bitmap glyphs one by one with the metrics read here (advance widths, side bearings, kerning), the
//! same way a text engine would, and let plotters rasterise each glyph.

use std::sync::OnceLock;

use plotters::style::FontStyle;

use super::ChartError;

/// The font family every chart uses; the embedded DejaVu Sans is registered under this name.
pub(crate) const FAMILY: &str = "sans-serif";

/// DejaVu Sans, embedded so that PNG text renders on a machine without fonts.
static FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// Registers the embedded font with plotters, once per process.
///
/// Both backends need it: the bitmap backend draws the glyphs with it and the SVG backend measures
/// text with it to lay out labels.
pub(crate) fn register() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, FONT_BYTES).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// The embedded font's metrics, or `None` if its tables cannot be read (then plotters' own text
/// placement is used).
pub(crate) fn metrics() -> Option<&'static Metrics> {
    static METRICS: OnceLock<Option<Metrics>> = OnceLock::new();
    METRICS.get_or_init(|| Metrics::parse(FONT_BYTES)).as_ref()
}

/// Horizontal metrics of a TrueType font, in font units, read from its `head`, `hhea`, `hmtx`,
/// `cmap`, `loca`/`glyf` and `kern` tables (OpenType specification, "Font tables").
#[derive(Debug)]
pub(crate) struct Metrics {
    data: &'static [u8],
    units_per_em: f64,
    /// hhea ascender − descender: the height plotters' rasteriser scales to the font size.
    line_height: f64,
    x_height: f64,
    hmtx: usize,
    long_metrics: usize,
    hmtx_len: usize,
    cmap: Option<Cmap>,
    /// Offset and pair count of a format-0 horizontal kerning subtable.
    kern: Option<(usize, usize)>,
}

/// Where the character-to-glyph map is, and its format (4: BMP segments, 12: groups).
#[derive(Debug, Clone, Copy)]
struct Cmap {
    offset: usize,
    format: u16,
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]))
}

fn i16_at(data: &[u8], at: usize) -> Option<i16> {
    u16_at(data, at).map(|v| v as i16)
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *data.get(at)?,
        *data.get(at + 1)?,
        *data.get(at + 2)?,
        *data.get(at + 3)?,
    ]))
}

/// The offset and length of table `tag`.
fn table(data: &[u8], tag: &[u8; 4]) -> Option<(usize, usize)> {
    let count = u16_at(data, 4)? as usize;
    (0..count).find_map(|i| {
        let record = 12 + 16 * i;
        (data.get(record..record + 4)? == tag)
            .then(|| {
                Some((
                    u32_at(data, record + 8)? as usize,
                    u32_at(data, record + 12)? as usize,
                ))
            })
            .flatten()
    })
}

impl Metrics {
    fn parse(data: &'static [u8]) -> Option<Self> {
        let (head, _) = table(data, b"head")?;
        let (hhea, _) = table(data, b"hhea")?;
        let (hmtx, hmtx_len) = table(data, b"hmtx")?;
        let units_per_em = f64::from(u16_at(data, head + 18)?);
        let ascender = f64::from(i16_at(data, hhea + 4)?);
        let descender = f64::from(i16_at(data, hhea + 6)?);
        let long_metrics = u16_at(data, hhea + 34)? as usize;
        if units_per_em <= 0.0 || ascender - descender <= 0.0 || long_metrics == 0 {
            return None;
        }
        let mut metrics = Self {
            data,
            units_per_em,
            line_height: ascender - descender,
            x_height: units_per_em * 0.5,
            hmtx,
            long_metrics,
            hmtx_len,
            cmap: Self::find_cmap(data),
            kern: Self::find_kern(data),
        };
        metrics.cmap?;
        if let Some(height) = metrics.glyph_top('x') {
            metrics.x_height = height;
        }
        Some(metrics)
    }

    /// The Unicode map: (3, 10) format 12 if present, else (3, 1) or (0, *) format 4.
    fn find_cmap(data: &[u8]) -> Option<Cmap> {
        let (cmap, _) = table(data, b"cmap")?;
        let count = u16_at(data, cmap + 2)? as usize;
        let mut best: Option<Cmap> = None;
        for i in 0..count {
            let record = cmap + 4 + 8 * i;
            let (platform, encoding) = (u16_at(data, record)?, u16_at(data, record + 2)?);
            let offset = cmap + u32_at(data, record + 4)? as usize;
            let format = u16_at(data, offset)?;
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
            if unicode && (format == 12 || (format == 4 && best.is_none())) {
                best = Some(Cmap { offset, format });
            }
        }
        best
    }

    /// The first format-0 horizontal subtable of the `kern` table.
    fn find_kern(data: &[u8]) -> Option<(usize, usize)> {
        let (kern, _) = table(data, b"kern")?;
        let count = u16_at(data, kern + 2)? as usize;
        let mut subtable = kern + 4;
        for _ in 0..count {
            let length = u16_at(data, subtable + 2)? as usize;
            let coverage = u16_at(data, subtable + 4)?;
            // Format in the high byte, bit 0 horizontal, bit 1 minimum values, bit 2 cross-stream.
            if coverage >> 8 == 0 && coverage & 0b111 == 0b001 {
                let pairs = u16_at(data, subtable + 6)? as usize;
                return Some((subtable + 14, pairs));
            }
            subtable += length;
        }
        None
    }

    /// The glyph of character `c` (0, the missing glyph, when the font has none).
    pub(crate) fn glyph(&self, c: char) -> u16 {
        self.lookup(c as u32).unwrap_or(0)
    }

    fn lookup(&self, code: u32) -> Option<u16> {
        let Cmap { offset, format } = self.cmap?;
        let data = self.data;
        if format == 12 {
            let groups = u32_at(data, offset + 12)? as usize;
            let (mut lo, mut hi) = (0, groups);
            while lo < hi {
                let mid = (lo + hi) / 2;
                let group = offset + 16 + 12 * mid;
                let (start, end) = (u32_at(data, group)?, u32_at(data, group + 4)?);
                if code < start {
                    hi = mid;
                } else if code > end {
                    lo = mid + 1;
                } else {
                    return u16::try_from(u32_at(data, group + 8)? + (code - start)).ok();
                }
            }
            return None;
        }
        let code = u16::try_from(code).ok()?;
        let segments = u16_at(data, offset + 6)? as usize / 2;
        let ends = offset + 14;
        let starts = ends + 2 * segments + 2;
        let deltas = starts + 2 * segments;
        let ranges = deltas + 2 * segments;
        let segment =
            (0..segments).find(|&i| u16_at(data, ends + 2 * i).is_some_and(|end| end >= code))?;
        let start = u16_at(data, starts + 2 * segment)?;
        if code < start {
            return None;
        }
        let delta = u16_at(data, deltas + 2 * segment)?;
        let range_at = ranges + 2 * segment;
        let range = u16_at(data, range_at)? as usize;
        if range == 0 {
            return Some(code.wrapping_add(delta));
        }
        let glyph = u16_at(data, range_at + range + 2 * (code - start) as usize)?;
        (glyph != 0).then(|| glyph.wrapping_add(delta))
    }

    /// Advance width and left side bearing of glyph `glyph`, in font units.
    pub(crate) fn horizontal(&self, glyph: u16) -> (f64, f64) {
        let glyph = glyph as usize;
        let last = self.long_metrics - 1;
        let advance_at = self.hmtx + 4 * glyph.min(last);
        let advance = u16_at(self.data, advance_at).unwrap_or(0);
        let bearing_at = if glyph <= last {
            advance_at + 2
        } else {
            self.hmtx + 4 * self.long_metrics + 2 * (glyph - self.long_metrics)
        };
        let bearing = if bearing_at + 2 <= self.hmtx + self.hmtx_len {
            i16_at(self.data, bearing_at).unwrap_or(0)
        } else {
            0
        };
        (f64::from(advance), f64::from(bearing))
    }

    /// The kerning between two glyphs, in font units (negative brings them closer).
    pub(crate) fn kerning(&self, left: u16, right: u16) -> f64 {
        let Some((pairs_at, count)) = self.kern else {
            return 0.0;
        };
        let key = (u32::from(left) << 16) | u32::from(right);
        let (mut lo, mut hi) = (0, count);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let pair = pairs_at + 6 * mid;
            let Some(found) = u32_at(self.data, pair) else {
                return 0.0;
            };
            match found.cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    return f64::from(i16_at(self.data, pair + 4).unwrap_or(0))
                }
            }
        }
        0.0
    }

    /// The top of character `c`'s outline above the baseline, from its `glyf` bounding box.
    fn glyph_top(&self, c: char) -> Option<f64> {
        let data = self.data;
        let (head, _) = table(data, b"head")?;
        let (loca, _) = table(data, b"loca")?;
        let (glyf, _) = table(data, b"glyf")?;
        let glyph = self.glyph(c) as usize;
        let start = if i16_at(data, head + 50)? == 0 {
            2 * u16_at(data, loca + 2 * glyph)? as usize
        } else {
            u32_at(data, loca + 4 * glyph)? as usize
        };
        let top = i16_at(data, glyf + start + 8)?;
        (top > 0).then_some(f64::from(top))
    }

    /// Pixels per font unit at plotters font size `size` (the rasteriser scales the hhea line
    /// height, ascender − descender, to `size` pixels).
    pub(crate) fn scale(&self, size: f64) -> f64 {
        size / self.line_height
    }

    /// The em square in pixels at plotters font size `size`.
    pub(crate) fn em(&self, size: f64) -> f64 {
        self.units_per_em * self.scale(size)
    }

    /// The x-height in pixels at plotters font size `size`.
    pub(crate) fn x_height(&self, size: f64) -> f64 {
        self.x_height * self.scale(size)
    }

    /// The pen position of every character of `text` and the total advance, in pixels at `size`.
    pub(crate) fn layout(&self, text: &str, size: f64) -> (Vec<(char, u16, f64)>, f64) {
        let scale = self.scale(size);
        let mut pen = 0.0;
        let mut previous: Option<u16> = None;
        let mut placed = Vec::with_capacity(text.len());
        for c in text.chars() {
            let glyph = self.glyph(c);
            if let Some(previous) = previous {
                pen += self.kerning(previous, glyph) * scale;
            }
            placed.push((c, glyph, pen));
            pen += self.horizontal(glyph).0 * scale;
            previous = Some(glyph);
        }
        (placed, pen)
    }
}
