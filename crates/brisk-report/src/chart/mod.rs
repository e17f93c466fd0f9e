//! Charts drawn with [plotters], as SVG text or PNG bytes.
//!
//! Every chart is written once, generic over plotters' [`DrawingBackend`], so the SVG and the PNG of
//! a chart come from the same code (they differ only in how text is placed) and the multi-panel
//! figure ([`plot_panel`]) reuses the single charts on parts of one canvas:
//!
//! - [`plot_feature_importance`]: the sorted, annotated horizontal bar chart of exercise C.3;
//! - [`correlation_heatmap`]: a correlation matrix on a fixed blue–white–red scale over −1…1,
//!   its names thinned (every k-th) when the columns are crowded;
//! - [`cluster_scatter`]: 2-D points (e.g. PCA scores) coloured by cluster, with a legend;
//! - [`histograms`]: one small histogram per column, binned like `numpy.histogram`;
//! - [`plot_panel`]: the E.4 figure combining all of the above.
//!
//! The profile's charts, sized per column so that a page stays usable at 200 columns:
//!
//! - [`top_values`]: a text column's most frequent values as bars, with an "other values" bar;
//! - [`column_histogram`]: one numeric column's histogram from its [`Bins`];
//! - [`missing_bars`] and [`nullity_matrix`]: missingno's `bar` and `matrix` of the null values;
//! - [`association_heatmap`]: a matrix of associations (Cramér's V) on a 0…1 scale, and
//!   [`heatmap_size`], the canvas of a heatmap that keeps 60 or 200 columns readable;
//! - [`plot_ranked_importance`]: features scored by different tests ranked together.
//!
//! Text is laid out with the DejaVu Sans font embedded in the crate, so a PNG renders the same on a
//! machine without any fonts installed; an SVG names the `sans-serif` family and lets the viewer pick.
//! Text that comes from the data (column names) is XML-escaped in SVG output.
//!
//! ```
//! use brisk_report::chart::{plot_feature_importance, Image, ImageFormat, ImportanceChart};
//!
//! let names = vec!["flipper_length_mm".to_string(), "bill_length_mm".to_string()];
//! let image = plot_feature_importance(&names, &[594.8, 410.6], &ImportanceChart::default(), ImageFormat::Png)?;
//! assert!(matches!(image, Image::Png(_)));
//! assert_eq!(&image.as_bytes()[1..4], b"PNG");
//! # Ok::<(), brisk_report::chart::ChartError>(())
//! ```

mod axes;
mod bars;
mod category;
mod font;
mod heatmap;
mod histogram;
mod importance;
mod nullity;
mod palette;
mod panel;
mod scatter;
mod text;

#[cfg(test)]
mod profile_tests;
#[cfg(test)]
mod tests;

use std::path::Path;

use plotters::backend::RGBPixel;
use plotters::coord::Shift;
use plotters::prelude::*;

pub use bars::{missing_bars, top_values, MAX_TOP_VALUES};
pub use heatmap::{association_heatmap, correlation_heatmap, heatmap_size, MAX_ANNOTATED_COLUMNS};
pub use histogram::{
    binned_histograms, column_histogram, histograms, timelines, Bins, COLUMN_HISTOGRAM_SIZE,
    MAX_BINS,
};
pub use importance::{
    plot_feature_importance, plot_ranked_importance, ImportanceChart, RankedFeature,
};
pub use nullity::nullity_matrix;
pub use panel::{plot_panel, Panel, PANEL_BINS, PANEL_TOP};
pub use scatter::cluster_scatter;

/// The smallest PNG a chart is drawn as, in pixels: below this the text is no longer legible.
pub const MIN_SIZE: (u32, u32) = (800, 500);

/// The smallest SVG a chart is drawn as, in pixels (an SVG scales, but its layout needs room).
pub const MIN_SVG_SIZE: (u32, u32) = (300, 200);

/// The largest canvas a chart is drawn on, in pixels (a PNG of this size takes about 200 MB).
pub const MAX_SIZE: (u32, u32) = (8192, 8192);

/// The default canvas of the single charts other than the importance chart.
pub const DEFAULT_SIZE: (u32, u32) = (900, 600);

/// The default canvas of the multi-panel figure.
pub const DEFAULT_PANEL_SIZE: (u32, u32) = (1600, 1000);

/// The file format of a rendered chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// Scalable vector graphics, as UTF-8 text.
    Svg,
    /// A PNG image (8-bit RGB).
    Png,
}

impl ImageFormat {
    /// The format named by a path's extension: `.svg` or `.png`, in any case; `None` otherwise.
    ///
    /// ```
    /// use std::path::Path;
    /// use brisk_report::chart::ImageFormat;
    ///
    /// assert_eq!(ImageFormat::from_path(Path::new("out/importance.SVG")), Some(ImageFormat::Svg));
    /// assert_eq!(ImageFormat::from_path(Path::new("fig.png")), Some(ImageFormat::Png));
    /// assert_eq!(ImageFormat::from_path(Path::new("fig.jpg")), None);
    /// ```
    pub fn from_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?;
        if extension.eq_ignore_ascii_case("svg") {
            Some(Self::Svg)
        } else if extension.eq_ignore_ascii_case("png") {
            Some(Self::Png)
        } else {
            None
        }
    }

    /// The usual file extension of the format, without the dot.
    ///
    /// ```
    /// use brisk_report::chart::ImageFormat;
    ///
    /// assert_eq!(ImageFormat::Png.extension(), "png");
    /// ```
    pub fn extension(self) -> &'static str {
        match self {
            Self::Svg => "svg",
            Self::Png => "png",
        }
    }
}

/// A rendered chart: SVG text or PNG bytes, ready to be written to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Image {
    /// An SVG document.
    Svg(String),
    /// A PNG file's bytes.
    Png(Vec<u8>),
}

impl Image {
    /// The bytes to write to a file: the SVG's UTF-8 text or the PNG's bytes.
    ///
    /// ```
    /// use brisk_report::chart::Image;
    ///
    /// assert_eq!(Image::Svg("<svg/>".into()).as_bytes(), b"<svg/>");
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Svg(text) => text.as_bytes(),
            Self::Png(bytes) => bytes,
        }
    }

    /// The format of the image.
    ///
    /// ```
    /// use brisk_report::chart::{Image, ImageFormat};
    ///
    /// assert_eq!(Image::Png(Vec::new()).format(), ImageFormat::Png);
    /// ```
    pub fn format(&self) -> ImageFormat {
        match self {
            Self::Svg(_) => ImageFormat::Svg,
            Self::Png(_) => ImageFormat::Png,
        }
    }
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChartError {
    /// There is nothing to draw.
    #[error("nothing to plot: {0}")]
    Empty(String),
    /// Two inputs that go together have different lengths or shapes.
    #[error("the inputs do not match: {0}")]
    Mismatch(String),
    /// An argument is out of its range.
    #[error("invalid chart option: {0}")]
    InvalidOption(String),
    /// The canvas is too small to be legible, or too large to allocate.
    #[error(
        "invalid image size {width}x{height}: a .{} chart needs at least {}x{} and at most {}x{} pixels",
        format.extension(), min.0, min.1, MAX_SIZE.0, MAX_SIZE.1
    )]
    InvalidSize {
        /// The requested width.
        width: u32,
        /// The requested height.
        height: u32,
        /// The format asked for.
        format: ImageFormat,
        /// The smallest size of that format.
        min: (u32, u32),
    },
    /// The values span more than a float can hold, so no axis fits them.
    #[error("{0} span more than the largest float; rescale them (e.g. to thousands or millions) to plot them")]
    OutOfRange(String),
    /// The embedded font could not be loaded (a broken build).
    #[error("the embedded chart font could not be loaded")]
    Font,
    /// The drawing backend failed.
    #[error("could not draw the chart: {0}")]
    Draw(String),
    /// The PNG encoder failed.
    #[error("could not encode the PNG image: {0}")]
    Encode(#[from] png::EncodingError),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        Self::Draw(error.to_string())
    }
}

/// A plotters backend the charts draw on, and how it renders text.
///
/// The charts are generic over it, so SVG and PNG share every line of drawing code; the one
/// difference is text placement, see [`text::draw`].
pub(crate) trait Canvas: DrawingBackend {
    /// Whether text is rasterised here, glyph by glyph, rather than written as text elements.
    const RASTER_TEXT: bool;
}

impl Canvas for SVGBackend<'_> {
    const RASTER_TEXT: bool = false;
}

impl Canvas for BitMapBackend<'_, RGBPixel> {
    const RASTER_TEXT: bool = true;
}

/// A chart that can draw itself on any drawing area, whatever the backend.
pub(crate) trait Chart {
    /// Draws the chart so that it fills `area`.
    fn draw<DB: Canvas>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

/// Checks that a canvas size is legible in `format` and allocatable.
pub(crate) fn check_size(
    format: ImageFormat,
    (width, height): (u32, u32),
) -> Result<(), ChartError> {
    let min = match format {
        ImageFormat::Svg => MIN_SVG_SIZE,
        ImageFormat::Png => MIN_SIZE,
    };
    let fits = (min.0..=MAX_SIZE.0).contains(&width) && (min.1..=MAX_SIZE.1).contains(&height);
    if fits {
        Ok(())
    } else {
        Err(ChartError::InvalidSize {
            width,
            height,
            format,
            min,
        })
    }
}

/// Draws `chart` on a white canvas of `size` pixels and returns the SVG text or the PNG bytes.
pub(crate) fn render(
    chart: &impl Chart,
    format: ImageFormat,
    size: (u32, u32),
) -> Result<Image, ChartError> {
    check_size(format, size)?;
    font::register()?;
    match format {
        ImageFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                root.fill(&WHITE)?;
                chart.draw(&root)?;
                root.present()?;
            }
            Ok(Image::Svg(svg))
        }
        ImageFormat::Png => {
            let (width, height) = size;
            let mut pixels = vec![255u8; width as usize * height as usize * 3];
            {
                let backend = BitMapBackend::<RGBPixel>::with_buffer_and_format(&mut pixels, size)
                    .map_err(|error| ChartError::Draw(error.to_string()))?;
                let root = backend.into_drawing_area();
                root.fill(&WHITE)?;
                chart.draw(&root)?;
                root.present()?;
            }
            encode_png(&pixels, size).map(Image::Png)
        }
    }
}

/// Encodes 8-bit RGB pixels, row by row, as a PNG file in memory.
fn encode_png(pixels: &[u8], (width, height): (u32, u32)) -> Result<Vec<u8>, ChartError> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(pixels)?;
        writer.finish()?;
    }
    Ok(bytes)
}
