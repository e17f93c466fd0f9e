//! `brisk normalize`: unit L2 norm, z-scores or min-max.

use anyhow::Result;
use brisk_kernels::preprocessing::{normalize, Method};
use ndarray::Axis;

use super::matrix::{Loaded, MatrixResult};
use crate::cli::{NormalizeArgs, NormalizeMethod};
use crate::output::Destination;

pub fn run(args: NormalizeArgs) -> Result<()> {
    let loaded = Loaded::open(&args.input.file)?;
    let destination =
        Destination::resolve(&args.common, &[&args.input.file], crate::cli::ARRAY_OUTPUTS)?;
    let method = match args.method {
        NormalizeMethod::L2 => Method::L2,
        NormalizeMethod::Zscore => Method::ZScore,
        NormalizeMethod::Minmax => Method::MinMax,
    };
    let axis = args
        .axis
        .map_or_else(|| method.default_axis(), |a| Axis(usize::from(a)));
    let result = normalize(loaded.matrix.view(), method, axis);
    let name = match method {
        Method::L2 => "l2",
        Method::ZScore => "zscore",
        Method::MinMax => "minmax",
    };
    let mut summary = loaded.summary();
    summary.insert("method".into(), name.into());
    summary.insert("axis".into(), axis.index().into());
    MatrixResult {
        values: result.view(),
        columns: loaded.matrix.columns().to_vec(),
        row_labels: None,
        one_dimensional: loaded.matrix.is_one_dimensional(),
        summary,
        title: format!("{}; {name} along axis {}", loaded.describe(), axis.index()),
    }
    .write(&destination)
}
