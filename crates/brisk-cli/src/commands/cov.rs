//! `brisk cov`: covariance or correlation of the columns.

use anyhow::Result;
use brisk_kernels::linalg::{correlation, covariance};

use super::matrix::{Loaded, MatrixResult};
use crate::cli::CovArgs;
use crate::output::Destination;

pub fn run(args: CovArgs) -> Result<()> {
    let loaded = Loaded::open(&args.input.file, &args.common)?;
    let destination =
        Destination::resolve(&args.common, &[&args.input.file], crate::cli::ARRAY_OUTPUTS)?;
    let x = loaded.matrix.view();
    let ddof = usize::from(!args.population);
    let result = if args.corr {
        correlation(x)
    } else {
        covariance(x, ddof)
    }
    .map_err(|e| loaded.error(e))?;
    let kind = if args.corr {
        "correlation".to_owned()
    } else {
        format!("covariance (ddof {ddof})")
    };
    let mut summary = loaded.summary();
    summary.insert(
        "kind".into(),
        if args.corr {
            "correlation"
        } else {
            "covariance"
        }
        .into(),
    );
    if !args.corr {
        summary.insert("ddof".into(), ddof.into());
    }
    let columns = loaded.matrix.columns().to_vec();
    MatrixResult {
        values: result.view(),
        columns: columns.clone(),
        row_labels: Some(columns),
        one_dimensional: false,
        summary,
        title: format!("{}; {kind}", loaded.describe()),
    }
    .write(&destination)
}
