//! The feature-importance chart (`brisk.plot_feature_importance`): SVG text or PNG bytes, drawn
//! by the same code as `brisk plot importance`.

use brisk_report::chart::{plot_feature_importance, Image, ImageFormat, ImportanceChart};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::errors::brisk_error;

/// The chart of `names` scored by `scores`: the `top` highest as sorted, annotated bars, on a
/// `width` × `height` canvas; an SVG document (`str`) when `png` is false, else a PNG file's
/// bytes.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn importance_chart<'py>(
    py: Python<'py>,
    names: Vec<String>,
    scores: PyReadonlyArray1<'py, f64>,
    top: usize,
    title: String,
    width: u32,
    height: u32,
    png: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let options = ImportanceChart {
        top,
        title,
        width,
        height,
    };
    let format = if png {
        ImageFormat::Png
    } else {
        ImageFormat::Svg
    };
    let scores = scores.as_array();
    // The wrapper passes a C-contiguous array: the slice is read in place.
    let scores = scores.as_standard_layout();
    let scores = scores.as_slice().unwrap_or_default();
    let image = py
        .detach(|| plot_feature_importance(&names, scores, &options, format))
        .map_err(|e| brisk_error(e.to_string()))?;
    Ok(match image {
        Image::Svg(svg) => PyString::new(py, &svg).into_any(),
        Image::Png(bytes) => PyBytes::new(py, &bytes).into_any(),
    })
}

/// Adds this module's functions to `brisk._internal`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(importance_chart, m)?)?;
    Ok(())
}
