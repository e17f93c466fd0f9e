//! `brisk distances`: the Euclidean distance matrix.

use anyhow::Result;
use brisk_kernels::linalg::pairwise_distances;

use super::matrix::{Loaded, MatrixResult};
use crate::cli::DistancesArgs;
use crate::output::Destination;

pub fn run(args: DistancesArgs) -> Result<()> {
    let loaded = Loaded::open(&args.input.file, &args.common)?;
    let other = args
        .to
        .as_deref()
        .map(|p| Loaded::open(p, &args.common))
        .transpose()?;
    let mut inputs = vec![args.input.file.as_path()];
    inputs.extend(args.to.as_deref());
    let destination = Destination::resolve(&args.common, &inputs, crate::cli::ARRAY_OUTPUTS)?;
    let y = other.as_ref().map(|o| o.matrix.view());
    let result = pairwise_distances(loaded.matrix.view(), y).map_err(|e| {
        let (xn, yn) = (
            loaded.input.name(),
            other.as_ref().map_or("", |o| o.input.name()),
        );
        anyhow::anyhow!("{xn} and {yn}: {e}")
    })?;
    let mut summary = loaded.summary();
    let target = match &other {
        Some(o) => {
            summary.insert("to".into(), o.input.name().into());
            summary.insert("to_rows".into(), o.matrix.view().nrows().into());
            summary.insert("to_rows_dropped".into(), o.matrix.rows_dropped().into());
            format!(
                "to the {} rows of {}",
                o.matrix.view().nrows(),
                o.input.name()
            )
        }
        None => "among its rows".to_owned(),
    };
    MatrixResult {
        values: result.view(),
        columns: (0..result.ncols()).map(|j| j.to_string()).collect(),
        row_labels: None,
        one_dimensional: false,
        summary,
        title: format!("{}; Euclidean distances {target}", loaded.describe()),
    }
    .write(&destination)
}
