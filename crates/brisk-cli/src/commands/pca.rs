//! `brisk pca`: principal components with scikit-learn's semantics.

use anyhow::Result;
use brisk_kernels::decomposition::Pca;
use ndarray::Array1;
use serde_json::Value;

use super::matrix::{json_number, rows_json, write_json_line, Loaded, MatrixResult};
use crate::cli::{OutputFormat, PcaArgs};
use crate::output::Destination;
use crate::table::{human, TextTable};

pub fn run(args: PcaArgs) -> Result<()> {
    let loaded = Loaded::open(&args.input.file, &args.common)?;
    let destination =
        Destination::resolve(&args.common, &[&args.input.file], crate::cli::ARRAY_OUTPUTS)?;
    let x = loaded.matrix.view();
    let model = Pca::params(args.k)
        .standardize(args.standardize)
        .check()
        .and_then(|p| p.fit(x))
        .map_err(|e| loaded.error(e))?;
    let mut summary = loaded.summary();
    summary.insert("components".into(), rows_json(model.components.view()));
    summary.insert(
        "explained_variance".into(),
        vector(&model.explained_variance),
    );
    summary.insert(
        "explained_variance_ratio".into(),
        vector(&model.explained_variance_ratio),
    );
    summary.insert("singular_values".into(), vector(&model.singular_values));
    summary.insert("mean".into(), vector(&model.mean));
    if let Some(scale) = &model.scale {
        summary.insert("scale".into(), vector(scale));
    }
    summary.insert("noise_variance".into(), json_number(model.noise_variance));
    if destination.path.is_some() {
        let scores = model.transform(x).map_err(|e| loaded.error(e))?;
        MatrixResult {
            values: scores.view(),
            columns: (1..=args.k).map(|i| format!("pc{i}")).collect(),
            row_labels: None,
            one_dimensional: false,
            summary: loaded.summary(),
            title: String::new(),
        }
        .write(&destination)?;
    }
    Destination::stdout(args.common.format).write(|out| match args.common.format {
        OutputFormat::Json => write_json_line(out, summary),
        _ => {
            writeln!(
                out,
                "{}; PCA, {} components{}",
                loaded.describe(),
                args.k,
                if args.standardize {
                    ", standardised"
                } else {
                    ""
                }
            )?;
            let mut header = vec!["component", "variance", "ratio", "cumulative"];
            header.extend(loaded.matrix.columns().iter().map(String::as_str));
            let mut table = TextTable::new(&header);
            let mut cumulative = 0.0;
            for (i, row) in model.components.rows().into_iter().enumerate() {
                cumulative += model.explained_variance_ratio[i];
                let mut cells = vec![
                    format!("pc{}", i + 1),
                    human(Some(model.explained_variance[i])),
                    human(Some(model.explained_variance_ratio[i])),
                    human(Some(cumulative)),
                ];
                cells.extend(row.iter().map(|&v| human(Some(v))));
                table.push(cells);
            }
            table.write(out)
        }
    })
}

fn vector(values: &Array1<f64>) -> Value {
    Value::Array(values.iter().map(|&v| json_number(v)).collect())
}
