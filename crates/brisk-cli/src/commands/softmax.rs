//! `brisk softmax`: stable softmax or log-softmax along an axis.

use anyhow::Result;
use brisk_kernels::softmax::{log_softmax, softmax};
use ndarray::Axis;

use super::matrix::Loaded;
use crate::cli::SoftmaxArgs;
use crate::output::Destination;

pub fn run(args: SoftmaxArgs) -> Result<()> {
    let loaded = Loaded::open(&args.input.file, &args.common)?;
    let destination =
        Destination::resolve(&args.common, &[&args.input.file], crate::cli::ARRAY_OUTPUTS)?;
    let axis = Axis(usize::from(args.axis));
    let result = if args.log {
        log_softmax(loaded.matrix.view(), axis)
    } else {
        softmax(loaded.matrix.view(), axis)
    };
    let name = if args.log { "log_softmax" } else { "softmax" };
    loaded
        .transformed(result.view(), "function", name, usize::from(args.axis))
        .write(&destination)
}
