//! `brisk plot importance` and `brisk plot panel`: charts as SVG or PNG.

use std::path::Path;

use anyhow::{bail, Context, Result};
use brisk_data::frame::read_frame;
use brisk_data::table::{frame_columns, TableColumn};
use brisk_profile::with_block;
use brisk_report::analysis::analyse;
use brisk_report::chart::{
    plot_feature_importance, plot_panel, ImageFormat, ImportanceChart, Panel,
};
use brisk_report::report::SCATTER_POINTS;

use crate::cli::{Common, OutputFormat, PlotImportanceArgs, PlotPanelArgs, IMAGE_OUTPUTS};
use crate::output::Destination;

/// The destination of a chart: -o is required and picks SVG or PNG.
fn image_destination(
    common: &crate::cli::Common,
    inputs: &[&Path],
) -> Result<(Destination, ImageFormat)> {
    if common.output.is_none() {
        bail!("a chart needs a file: give -o chart.svg or -o chart.png");
    }
    let destination = Destination::resolve(common, inputs, IMAGE_OUTPUTS)?;
    let format = match destination.format {
        OutputFormat::Png => ImageFormat::Png,
        _ => ImageFormat::Svg,
    };
    Ok((destination, format))
}

pub fn importance(args: PlotImportanceArgs) -> Result<()> {
    let (destination, format) = image_destination(&args.common, &[&args.scores])?;
    let (names, scores) = with_block("load", || read_scores(&args.scores, &args.common))?;
    let options = ImportanceChart {
        top: args.top as usize,
        title: args.title.clone(),
        width: args.size.0,
        height: args.size.1,
    };
    let image = with_block("draw", || {
        plot_feature_importance(&names, &scores, &options, format)
    })?;
    let _write = brisk_profile::block("write");
    destination.write(|out| out.write_all(image.as_bytes()))
}

/// Feature names and scores from `brisk importance`'s JSON or a CSV with columns `feature` and
/// `importance`.
fn read_scores(path: &Path, common: &Common) -> Result<(Vec<String>, Vec<f64>)> {
    let name = path.display();
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{name}: cannot read the scores"))?;
        let json: serde_json::Value = serde_json::from_str(&text).with_context(|| {
            format!("{name}: not JSON; give the JSON that `brisk importance` writes")
        })?;
        let Some(features) = json.get("features").and_then(|f| f.as_array()) else {
            bail!("{name}: no \"features\" list; give the JSON that `brisk importance` writes");
        };
        let mut names = Vec::new();
        let mut scores = Vec::new();
        for (i, feature) in features.iter().enumerate() {
            let Some(label) = feature.get("feature").and_then(|f| f.as_str()) else {
                bail!("{name}: features[{i}] has no \"feature\" name");
            };
            names.push(label.to_owned());
            scores.push(
                feature
                    .get("score")
                    .and_then(serde_json::Value::as_f64)
                    .unwrap_or(f64::NAN),
            );
        }
        if names.is_empty() {
            bail!("{name}: no feature to draw; the \"features\" list is empty");
        }
        return Ok((names, scores));
    }
    let input = super::open_input(path, common)?;
    let loaded = read_frame(&input)?;
    if loaded.frame.height() == 0 {
        bail!("{name}: no feature to draw; the file has a header and no rows");
    }
    let feature = loaded.column_index("feature", "plot importance")?;
    let importance = loaded.column_index("importance", "plot importance")?;
    let columns = frame_columns(&loaded.frame, &loaded.source)?;
    let names = match &columns[feature] {
        TableColumn::Text { values, .. } => values
            .iter()
            .map(|v| v.clone().unwrap_or_default())
            .collect(),
        TableColumn::Numeric { values, .. } => values.iter().map(|v| v.to_string()).collect(),
    };
    let TableColumn::Numeric { values, .. } = &columns[importance] else {
        bail!("{name}: the importance column holds text; it must hold numbers");
    };
    Ok((names, values.clone()))
}

pub fn panel(args: PlotPanelArgs) -> Result<()> {
    let input = super::open_input(&args.file, &args.common)?;
    let inputs: Vec<&Path> = input.user_path().into_iter().collect();
    let (destination, format) = image_destination(&args.common, &inputs)?;
    let loaded = with_block("load", || read_frame(&input))?;
    if let Some(target) = &args.analysis.target {
        loaded.column_index(target, "--target")?;
    }
    let columns = frame_columns(&loaded.frame, &loaded.source)?;
    let options = super::importance::analysis_options(&args.analysis, args.analysis.target.clone());
    let analysis = with_block("transform", || analyse(&columns, &loaded.source, &options))?;
    let Some(correlation) = &analysis.correlation else {
        bail!(
            "{}: a panel needs at least two numeric columns with values in the same rows",
            loaded.source
        );
    };
    let projection = match &analysis.projection {
        Ok(p) => p,
        Err(reason) => bail!("{}: {reason}", loaded.source),
    };
    let importance = analysis.importance.as_ref().map(|i| {
        let names: Vec<String> = i.features.iter().map(|f| f.feature.clone()).collect();
        let scores: Vec<f64> = i.features.iter().map(|f| f.score).collect();
        (names, scores)
    });
    let (points, labels) = projection.even_sample(SCATTER_POINTS);
    let [a, b] = projection.explained_variance_ratio;
    let pc1 = format!("PC1 ({:.1}%)", a * 100.0);
    let pc2 = format!("PC2 ({:.1}%)", b * 100.0);
    let panel = Panel {
        histograms: &analysis.numeric_columns,
        correlation: (&analysis.numeric, correlation.view()),
        scatter: (points.view(), &labels, [&pc1, &pc2]),
        importance: importance
            .as_ref()
            .map(|(n, s)| (n.as_slice(), s.as_slice())),
        // The file's name, not the path it was given by.
        title: Path::new(&loaded.source)
            .file_name()
            .map_or(loaded.source.clone(), |n| n.to_string_lossy().into_owned()),
    };
    let image = with_block("draw", || plot_panel(&panel, format, args.size))?;
    let _write = brisk_profile::block("write");
    destination.write(|out| out.write_all(image.as_bytes()))
}
