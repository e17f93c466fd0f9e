//! `brisk normalize`: unit L2 norm, z-scores or min-max.

use anyhow::Result;
use brisk_kernels::preprocessing::{normalize, Method};
use ndarray::Axis;

use super::matrix::Loaded;
use crate::cli::{NormalizeArgs, NormalizeMethod};
use crate::output::Destination;

pub fn run(args: NormalizeArgs) -> Result<()> {
    let loaded = Loaded::open(&args.input.file, &args.common)?;
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
    loaded
        .transformed(result.view(), "method", name, axis.index())
        .write(&destination)
}
