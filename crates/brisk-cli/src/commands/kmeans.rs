//! `brisk kmeans`: Lloyd k-means with scikit-learn's semantics.

use anyhow::Result;
use brisk_kernels::cluster::{KMeans, KMeansInit};
use brisk_kernels::KernelError;

use super::matrix::{json_number, rows_json, write_json_line, Loaded};
use crate::cli::{KmeansArgs, OutputFormat};
use crate::output::Destination;
use crate::table::{csv_field, human, TextTable};

pub fn run(args: KmeansArgs) -> Result<()> {
    let loaded = Loaded::open(&args.input.file, &args.common)?;
    let (init, init_file) = match args.init.as_str() {
        "k-means++" => (KMeansInit::KMeansPlusPlus, None),
        "random" => (KMeansInit::Random, None),
        path => {
            let known = std::path::Path::new(path).extension().is_some_and(|e| {
                ["npy", "csv", "tsv", "parquet"]
                    .contains(&e.to_string_lossy().to_lowercase().as_str())
            });
            if !known {
                anyhow::bail!(
                    "--init {path}: expected k-means++, random, or a .npy/.csv/.tsv/.parquet file \
                     of K initial centroids"
                );
            }
            let centroids = Loaded::open(path.as_ref(), &args.common)?;
            let values = centroids.matrix.view().to_owned();
            (KMeansInit::Centroids(values), Some(centroids))
        }
    };
    let mut inputs = vec![args.input.file.as_path()];
    if init_file.is_some() {
        inputs.push(args.init.as_ref());
    }
    let destination = Destination::resolve(&args.common, &inputs, crate::cli::ARRAY_OUTPUTS)?;
    let mut params = KMeans::params(args.k)
        .init(init)
        .max_iter(args.max_iter)
        .tol(args.tol)
        .seed(args.seed);
    if let Some(n) = args.n_init {
        params = params.n_init(n);
    }
    let model = params
        .check()
        .and_then(|p| p.fit(loaded.matrix.view()))
        .map_err(|e| match (&e, &init_file) {
            (KernelError::InvalidParameter { name: "init", .. }, Some(init)) => init.error(e),
            _ => loaded.error(e),
        })?;
    if destination.path.is_some() {
        let labels: Vec<i64> = model.labels.iter().map(|&l| l as i64).collect();
        destination.write(|out| match destination.format {
            OutputFormat::Npy => brisk_data::npy::write_i64(out, &labels),
            OutputFormat::Json => {
                serde_json::to_writer(&mut *out, &labels)?;
                writeln!(out)
            }
            _ => {
                writeln!(out, "label")?;
                labels.iter().try_for_each(|l| writeln!(out, "{l}"))
            }
        })?;
    }
    let mut summary = loaded.summary();
    summary.insert("k".into(), args.k.into());
    summary.insert("centroids".into(), rows_json(model.centroids.view()));
    summary.insert("inertia".into(), json_number(model.inertia));
    summary.insert("n_iter".into(), model.n_iter.into());
    summary.insert("sizes".into(), model.sizes.clone().into());
    Destination::stdout(args.common.format).write(|out| match args.common.format {
        OutputFormat::Json => write_json_line(out, summary),
        OutputFormat::Csv => {
            let mut header = vec!["cluster".to_owned(), "size".to_owned()];
            header.extend(loaded.matrix.columns().iter().map(|c| csv_field(c)));
            writeln!(out, "{}", header.join(","))?;
            for (c, row) in model.centroids.rows().into_iter().enumerate() {
                let mut cells = vec![c.to_string(), model.sizes[c].to_string()];
                cells.extend(row.iter().map(|&v| super::matrix::number(v)));
                writeln!(out, "{}", cells.join(","))?;
            }
            Ok(())
        }
        _ => {
            writeln!(
                out,
                "{}; k-means, k = {}: inertia {}, {} iterations",
                loaded.describe(),
                args.k,
                human(Some(model.inertia)),
                model.n_iter
            )?;
            let mut header = vec!["cluster", "size"];
            header.extend(loaded.matrix.columns().iter().map(String::as_str));
            let mut table = TextTable::new(&header);
            for (c, row) in model.centroids.rows().into_iter().enumerate() {
                let mut cells = vec![c.to_string(), model.sizes[c].to_string()];
                cells.extend(row.iter().map(|&v| human(Some(v))));
                table.push(cells);
            }
            table.write(out)
        }
    })
}
