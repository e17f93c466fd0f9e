//! The visualise stage: every chart of the page as inline SVG, each sized for its own content
//! (one small chart per column, heatmaps grown with their columns), so a wide table gives many
//! small images rather than one tall one.

use brisk_data::profile::ColumnProfile;
use brisk_data::stats::Summary;
use brisk_profile::with_block;

use super::sections::{CorrelationCharts, MissingCharts};
use super::{ReportOptions, SCATTER_POINTS};
use crate::chart::{
    association_heatmap, cluster_scatter, column_histogram, correlation_heatmap, heatmap_size,
    missing_bars, nullity_matrix, plot_ranked_importance, timelines, top_values, Bins, Image,
    ImageFormat, ImportanceChart, RankedFeature, COLUMN_HISTOGRAM_SIZE,
};
use crate::error::Result;
use crate::pipeline::Figures;

/// The width of a column's chart.
const COLUMN_CHART_WIDTH: u32 = COLUMN_HISTOGRAM_SIZE.0;

fn svg(image: Image) -> String {
    String::from_utf8_lossy(image.as_bytes()).into_owned()
}

/// Every chart of the page: the columns' and the missing values' from the data as read, the
/// analyses' from `analysed`.
pub(super) fn visualise(
    read: &Figures,
    analysed: &Figures,
    options: &ReportOptions,
) -> Result<super::Charts> {
    Ok(super::Charts {
        correlations: with_block("heatmaps", || correlations(analysed))?,
        scatter: with_block("scatter", || scatter(analysed))?,
        importance: with_block("importance chart", || importance(analysed, options))?,
        columns: with_block("column charts", || columns(read))?,
        missing: with_block("missing values", || missing(read))?,
    })
}

fn correlations(analysed: &Figures) -> Result<CorrelationCharts> {
    let mut charts = CorrelationCharts::default();
    if let Some(corr) = &analysed.analyses.correlation {
        let size = heatmap_size(corr.columns.len());
        let title = "Pearson correlation (rows with every numeric column)";
        charts.pearson = Some(svg(correlation_heatmap(
            &corr.columns,
            corr.matrix.view(),
            title,
            ImageFormat::Svg,
            size,
        )?));
    }
    let associations = &analysed.profile.associations;
    if let Some(rho) = &associations.pairwise {
        let title = if rho.exact {
            "Spearman rank correlation (pairwise complete rows)".to_owned()
        } else {
            format!("Spearman rank correlation on a sample of {} rows", rho.rows)
        };
        charts.spearman = Some(svg(correlation_heatmap(
            &rho.columns,
            rho.spearman.view(),
            &title,
            ImageFormat::Svg,
            heatmap_size(rho.columns.len()),
        )?));
    }
    if let Some(v) = &associations.cramers {
        charts.cramers = Some(svg(association_heatmap(
            &v.columns,
            v.matrix.view(),
            "Cramér's V, bias-corrected (Bergsma 2013)",
            ImageFormat::Svg,
            heatmap_size(v.columns.len()),
        )?));
    }
    Ok(charts)
}

fn scatter(analysed: &Figures) -> Result<Option<String>> {
    let Ok(projection) = &analysed.analyses.projection else {
        return Ok(None);
    };
    let ratio = &projection.pca.explained_variance_ratio;
    let pc1 = format!("PC1 ({:.1}% of the variance)", ratio[0] * 100.0);
    let pc2 = format!("PC2 ({:.1}% of the variance)", ratio[1] * 100.0);
    let rows = projection.sample_scores.nrows();
    let step = rows.div_ceil(SCATTER_POINTS).max(1);
    let picked: Vec<usize> = (0..rows).step_by(step).collect();
    let points = projection
        .sample_scores
        .select(ndarray::Axis(0), &picked)
        .slice(ndarray::s![.., 0..2])
        .to_owned();
    let labels: Vec<usize> = picked
        .iter()
        .map(|&r| projection.kmeans.labels[r])
        .collect();
    Ok(Some(svg(cluster_scatter(
        points.view(),
        &labels,
        [&pc1, &pc2],
        "PCA of the standardised features, coloured by k-means cluster",
        ImageFormat::Svg,
        (900, 620),
    )?)))
}

/// The numeric features' F and the text features' χ² or F, in one ranking.
fn importance(analysed: &Figures, options: &ReportOptions) -> Result<Option<String>> {
    let Some(scores) = &analysed.analyses.importance else {
        return Ok(None);
    };
    let numeric_test = format!("F ({})", scores.method);
    let mut features: Vec<RankedFeature> = scores
        .features
        .iter()
        .map(|f| RankedFeature {
            name: f.feature.clone(),
            score: f.score,
            p_value: f.p_value.is_finite().then_some(f.p_value),
            test: numeric_test.clone(),
        })
        .collect();
    for s in &analysed.profile.associations.scores {
        features.push(RankedFeature {
            name: s.feature.clone(),
            score: s.statistic,
            p_value: s.p_value.is_finite().then_some(s.p_value),
            test: match s.test {
                "chi2_contingency" => "χ² (chi2_contingency)".to_owned(),
                other => format!("F ({other})"),
            },
        });
    }
    let chart = ImportanceChart {
        top: options.top,
        title: format!("Feature importance for {}", scores.target),
        ..ImportanceChart::default()
    };
    Ok(Some(svg(plot_ranked_importance(
        &features,
        &chart,
        ImageFormat::Svg,
    )?)))
}

/// One chart per column: a numeric column's histogram, a text or boolean column's most frequent
/// values, a date column's counts over time.
fn columns(read: &Figures) -> Result<Vec<Option<String>>> {
    read.columns
        .iter()
        .enumerate()
        .map(|(j, column)| {
            let chart = match (&column.summary, read.profiles.get(j)) {
                (Summary::Numeric(_), _) => read
                    .histograms
                    .columns
                    .iter()
                    .find(|h| h.column == j)
                    .and_then(|h| h.histogram.as_ref())
                    .map(|h| {
                        let bins = Bins {
                            edges: h.edges(),
                            counts: h.counts().to_vec(),
                        };
                        column_histogram(
                            &column.name,
                            &bins,
                            ImageFormat::Svg,
                            COLUMN_HISTOGRAM_SIZE,
                        )
                    })
                    .transpose()?,
                (Summary::Categorical(s), Some(ColumnProfile::Text(p))) if s.count > 0 => {
                    let values: Vec<(&str, u64)> =
                        p.top.iter().map(|v| (v.value.as_str(), v.count)).collect();
                    Some(top_values(
                        &values,
                        p.other,
                        s.count,
                        &format!("{}: most frequent values", column.name),
                        ImageFormat::Svg,
                        COLUMN_CHART_WIDTH,
                    )?)
                }
                (Summary::Bool(b), _) if b.count > 0 => {
                    let mut values =
                        vec![("True", b.true_count), ("False", b.count - b.true_count)];
                    values.sort_by_key(|v| std::cmp::Reverse(v.1));
                    Some(top_values(
                        &values,
                        0,
                        b.count,
                        &column.name,
                        ImageFormat::Svg,
                        COLUMN_CHART_WIDTH,
                    )?)
                }
                (Summary::Datetime(d), _) => d
                    .histogram
                    .as_ref()
                    .map(|t| {
                        timelines(
                            &[(column.name.clone(), t)],
                            ImageFormat::Svg,
                            (COLUMN_CHART_WIDTH * 2, 260),
                        )
                    })
                    .transpose()?,
                _ => None,
            };
            Ok(chart.map(svg))
        })
        .collect()
}

fn missing(read: &Figures) -> Result<MissingCharts> {
    let nullity = &read.profile.nullity;
    let names = read.types.names();
    let mut charts = MissingCharts::default();
    if read.rows == 0 || names.is_empty() {
        return Ok(charts);
    }
    let present: Vec<(&str, u64)> = names
        .iter()
        .zip(&nullity.nulls)
        .map(|(name, &nulls)| (name.as_str(), read.rows - nulls))
        .collect();
    charts.bars = Some(svg(missing_bars(
        &present,
        read.rows,
        ImageFormat::Svg,
        900,
    )?));
    let matrix = &read.profile.rows.matrix;
    if !matrix.rows.is_empty() {
        charts.matrix = Some(svg(nullity_matrix(
            names,
            &matrix.nulls,
            matrix.total_rows,
            ImageFormat::Svg,
        )?));
    }
    if let Some(corr) = &nullity.correlation {
        let columns: Vec<String> = corr.columns.iter().map(|&j| names[j].clone()).collect();
        charts.correlation = Some(svg(correlation_heatmap(
            &columns,
            corr.matrix.view(),
            "Nullity correlation (missingno's heatmap)",
            ImageFormat::Svg,
            heatmap_size(columns.len()),
        )?));
    }
    Ok(charts)
}
