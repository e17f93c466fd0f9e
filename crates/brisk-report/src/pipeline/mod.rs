//! The report's data flow, batches → accumulators → figures, in two passes over the input.
//!
//! - **Pass 1** reads every batch once into the per-column statistics
//!   ([`TableSummary`]) and the analyses' accumulators
//!   ([`AnalysisState`]): co-moments for the correlation and the standardised PCA, per-class
//!   moments or co-moments with the target for the importance scores, the finite range of each
//!   column, and a seeded uniform sample of the complete rows. Then PCA, the F tests and k-means
//!   (on the sample) are fitted.
//! - **Pass 2** reads the numeric columns again for what needs pass 1's results: the exact
//!   quartiles of the columns whose values did not fit in the memory limit, the histograms' counts
//!   in bins fixed by the ranges, and the assignment of every complete row to its k-means cluster.
//!   Pass 1 spills its numeric columns to a temporary file ([`NumericSpill`]), and pass 2 replays
//!   them instead of parsing the input again; without the spill (a disk that refused it, or a
//!   cleaning that needs the text of repeated rows), pass 2 reads the input.
//!
//! In each pass the accumulators take the batches side by side, each on a thread of its own with
//! a short queue (`fan::fan_out`), so that none waits for the slowest at every batch.
//!
//! A column that turns to text after numeric rows, or a numeric column with no value at all,
//! changes which rows are complete: pass 1 then runs once more with the final types. Every figure
//! but k-means is exact and does not depend on the batch size; memory is bounded by the memory
//! limit, the sample and the text columns' distinct values, not by the rows.

mod analysis;
mod assign;
mod association;
mod fan;
mod partial;
mod plan;
mod profile;
mod rows;
mod scores;

use brisk_data::batch::{
    Batch, BatchPass, Batches, ColumnType, ColumnTypes, NumericSpill, RowIndex, SpilledColumns,
};
use brisk_data::cleaning::{AsRead, FusedClean};
use brisk_data::input::Input;
use brisk_data::profile::ColumnProfile;
use brisk_data::stats::ColumnStats;
use brisk_data::summary::{QuartilePass, TableSummary};
use brisk_profile::{block, with_block};

use fan::{fan_out, infallible, Consumer, Delivery};

pub use analysis::{Analyses, AnalysisState, Correlation, FitOptions, Projection};
pub use assign::{Assignment, ColumnHistogram, Histograms};
pub use association::{Associations, CategoricalScore, Cramers, Pairwise, MAX_LEVELS};
pub use partial::{PartialReportOptions, ReportPass2, ReportState};
pub use plan::{AnalysisPlan, Target, Test};
pub use profile::{ProfileFigures, ProfileState};
pub use scores::{importance, ScoreState};

use crate::error::{ReportError, Result};
use crate::importance::Method;

/// Bytes a pass needs beside its accumulators: batches in flight and their text.
const WORKING_BYTES: u64 = 64 << 20;

/// How to run the passes.
#[derive(Debug, Clone)]
pub struct PipelineOptions {
    /// The column to score the features against.
    pub target: Option<String>,
    /// The importance test.
    pub method: Method,
    /// k-means clusters and seed.
    pub fit: FitOptions,
    /// The most rows k-means is fitted on.
    pub sample_rows: usize,
    /// Bins of each histogram.
    pub bins: usize,
    /// Memory for kept values and accumulators, in bytes.
    pub memory_limit: u64,
    /// Rows per batch.
    pub batch_rows: usize,
    /// Pass 1 spills its numeric columns to a temporary file and pass 2 replays them, instead of
    /// reading (and parsing) the input again.
    pub spill: bool,
    /// Keep a first column that is a row index in the analyses.
    pub keep_index: bool,
}

/// Progress of a pass: which one, bytes read, and the input's size when known.
#[derive(Debug, Clone, Copy)]
pub struct PassProgress {
    /// 1 or 2.
    pub pass: u8,
    /// Bytes read so far in this pass.
    pub bytes: u64,
    /// Bytes in the input.
    pub total: Option<u64>,
}

/// What the passes found.
#[derive(Debug)]
pub struct Figures {
    /// How messages name the input.
    pub source: String,
    /// Data rows.
    pub rows: u64,
    /// The column types.
    pub types: ColumnTypes,
    /// Per-column statistics of the data as read.
    pub columns: Vec<ColumnStats>,
    /// Per-column profiles: distinct values, extremes, zeros, text facts.
    pub profiles: Vec<ColumnProfile>,
    /// Correlation, projection and importance.
    pub analyses: Analyses,
    /// Cluster sizes and inertia over every complete row.
    pub assignment: Option<Assignment>,
    /// Histograms of the numeric columns.
    pub histograms: Histograms,
    /// Each numeric column's median as `numpy.median` takes it (`None` for text columns).
    pub medians: Vec<Option<f64>>,
    /// Pass 1's numeric columns in a temporary file, for later passes that need only them.
    pub spilled: Option<SpilledColumns>,
    /// Missing values, sample rows and associations.
    pub profile: ProfileFigures,
}

/// Opens a pass over the rows to report on: a first pass (types inferred) with `None`, a pass
/// with the types of an earlier one with `Some`.
pub type OpenPass<'a> =
    dyn Fn(Option<&ColumnTypes>) -> brisk_data::Result<Box<dyn BatchPass + 'a>> + 'a;

/// Runs both passes over `input`.
///
/// # Errors
/// A malformed input (naming file, line and column), a file that changes between the passes, an
/// unknown target, a kernel's refusal.
pub fn run(
    input: &Input,
    options: &PipelineOptions,
    progress: &mut dyn FnMut(PassProgress),
) -> Result<Figures> {
    let open = |types: Option<&ColumnTypes>| -> brisk_data::Result<Box<dyn BatchPass + '_>> {
        Ok(Box::new(match types {
            None => Batches::open(input, options.batch_rows)?,
            Some(types) => Batches::with_types(input, types, options.batch_rows)?,
        }))
    };
    run_passes(input.name(), &open, options, None, progress)
}

/// Runs both passes over the batches `open` yields (an input's, or its cleaned rows).
///
/// # Errors
/// As [`run`].
///
/// `clean`, when given, takes its first and second passes on the same batches (see
/// [`FusedClean`]).
pub fn run_passes(
    source: &str,
    open: &OpenPass<'_>,
    options: &PipelineOptions,
    mut clean: Option<&mut FusedClean>,
    progress: &mut dyn FnMut(PassProgress),
) -> Result<Figures> {
    let source = source.to_owned();
    // The sample holds up to 3/2 of its rows as candidates: about 120 bytes a row of 8 features.
    let sample_bytes = (options.sample_rows as u64).saturating_mul(120);
    let value_budget = options
        .memory_limit
        .saturating_sub(WORKING_BYTES + sample_bytes);
    let (types, mut summary, analyses, spill, profile) = with_block("pass 1", || {
        first_pass(
            &source,
            open,
            options,
            value_budget,
            clean.as_deref_mut(),
            progress,
        )
    })?;
    let mut quartiles = summary.needs_second_pass().then(|| summary.quartile_pass());
    if let Some(clean) = clean.as_deref_mut() {
        // The moments and the medians' ranges as read are the fills' when no row repeats, and
        // let the cleaning count its outliers in pass 2.
        let median_ranges = summary.median_ranges(quartiles.as_ref());
        let moments = summary.moments_as_read();
        let as_read = AsRead {
            median_ranges: &median_ranges,
            moments: &moments,
        };
        with_block("duplicates", || clean.start_second(&types, Some(as_read)))?;
    }
    let analyses = with_block("fit", || analyses.finish(&source, &options.fit))?;
    let profile = with_block("associations", || profile.finish(&types))?;
    let mut assignment = analyses
        .projection
        .as_ref()
        .ok()
        .map(|p| Assignment::new(analyses.plan.features.clone(), p));
    let mut histograms = Histograms::new(&analyses.ranges, options.bins);
    let pass = block("pass 2");
    let text_needed = clean.as_deref().is_some_and(FusedClean::second_reads_text);
    let spilled = spill
        .and_then(NumericSpill::finish)
        .filter(|s| s.rows() == summary.rows());
    let replay = spilled
        .as_ref()
        .filter(|_| !text_needed)
        .and_then(|s| s.replay(&types));
    let mut batches: Box<dyn BatchPass + '_> = match replay {
        Some(replay) => Box::new(replay),
        None => open(Some(&types))?,
    };
    let mut rows = 0u64;
    let read = || -> Result<Option<(Batch, Option<usize>)>> {
        let Some(batch) = batches.next_batch()? else {
            return Ok(None);
        };
        rows += batch.rows() as u64;
        let (bytes, total) = batches.progress();
        progress(PassProgress {
            pass: 2,
            bytes,
            total,
        });
        Ok(Some((batch, None)))
    };
    let mut consumers = vec![infallible(|b| histograms.add(b))];
    if let Some(q) = &mut quartiles {
        consumers.push(infallible(|b| q.add(b)));
    }
    if let Some(a) = &mut assignment {
        consumers.push(infallible(|b| a.add(b)));
    }
    if let Some(clean) = clean {
        consumers.push(infallible(|b| clean.second(b)));
    }
    fan_out(read, consumers)?;
    if rows != summary.rows() {
        return Err(changed(&source));
    }
    drop(batches);
    drop(pass);
    if let Some(q) = &mut quartiles {
        more_quartile_passes(&source, q, &types, spilled.as_ref(), open, progress)?;
    }
    let rows = summary.rows();
    let finished = summary
        .finish_profiled(&types, quartiles)
        .map_err(|_| changed(&source))?;
    Ok(Figures {
        source,
        rows,
        types,
        columns: finished.stats,
        profiles: finished.profiles,
        analyses,
        assignment,
        histograms,
        medians: finished.medians,
        spilled,
        profile,
    })
}

/// Rarely, a quartile's bucket held more distinct values than the memory allows: more passes
/// over the numeric columns (replayed from the spill when there is one) narrow it.
fn more_quartile_passes(
    source: &str,
    quartiles: &mut QuartilePass,
    types: &ColumnTypes,
    spilled: Option<&SpilledColumns>,
    open: &OpenPass<'_>,
    progress: &mut dyn FnMut(PassProgress),
) -> Result<()> {
    while quartiles.needs_another_pass() {
        let _pass = block("quartiles");
        quartiles.another_pass().map_err(|_| changed(source))?;
        let mut batches: Box<dyn BatchPass + '_> = match spilled.and_then(|s| s.replay(types)) {
            Some(replay) => Box::new(replay),
            None => open(Some(types))?,
        };
        while let Some(batch) = batches.next_batch()? {
            quartiles.add(&batch);
            let (bytes, total) = batches.progress();
            progress(PassProgress {
                pass: 2,
                bytes,
                total,
            });
        }
    }
    Ok(())
}

fn changed(source: &str) -> ReportError {
    ReportError::Data(brisk_data::DataError::new(
        brisk_data::ErrorKind::Io,
        brisk_data::Location::source(source),
        "the file changed between the passes over it; run again on a file at rest",
    ))
}

/// Pass 1, run again with the final types when a column turned to text after its first batch or
/// a numeric column holds no value: either changes which rows are complete. Its numeric columns
/// go to a spill on the way.
fn first_pass(
    source: &str,
    open: &OpenPass<'_>,
    options: &PipelineOptions,
    value_budget: u64,
    mut clean: Option<&mut FusedClean>,
    progress: &mut dyn FnMut(PassProgress),
) -> Result<(
    ColumnTypes,
    TableSummary,
    AnalysisState,
    Option<NumericSpill>,
    ProfileState,
)> {
    let mut batches = open(None)?;
    let mut has_values: Option<Vec<bool>> = None;
    // Whether the first column is a row index, once a whole pass has said.
    let mut index_known: Option<Option<usize>> = None;
    loop {
        // The plan is made once the first batch has typed the columns (and shown whether the
        // first column counts its rows).
        let first = batches.next_batch()?;
        let types = batches.types().clone();
        let known = |j: usize| has_values.as_ref().is_none_or(|h| h[j]);
        let mut row_index = RowIndex::new(&types);
        if let Some(batch) = &first {
            row_index.add(batch);
        }
        let keep = |index: Option<usize>| index.filter(|_| !options.keep_index);
        let index = index_known.unwrap_or_else(|| keep(row_index.column()));
        let plan = plan_for(source, &types, options, &known, index)?;
        let mut summary = TableSummary::new(&types, value_budget).profiled(&types);
        let seed = u64::from(options.fit.seed);
        let mut profile = ProfileState::new(
            &plan,
            &types,
            options.sample_rows,
            options.memory_limit,
            seed,
        );
        let mut state = AnalysisState::new(plan, options.sample_rows, seed);
        if let Some(clean) = clean.as_deref_mut() {
            clean.start_first(&types)?;
        }
        let mut spill = options.spill.then(|| NumericSpill::new(&types)).flatten();
        let (mut pending, mut rows) = (first, 0u64);
        let read = || -> Result<Option<(Batch, Option<usize>)>> {
            let Some(batch) = pending
                .take()
                .map_or_else(|| batches.next_batch(), |b| Ok(Some(b)))?
            else {
                return Ok(None);
            };
            rows += batch.rows() as u64;
            let expected = batches.expected_rows(rows);
            let (bytes, total) = batches.progress();
            progress(PassProgress {
                pass: 1,
                bytes,
                total,
            });
            Ok(Some((batch, expected)))
        };
        let mut consumers: Vec<Consumer<'_>> = vec![
            // The first batch again: the check takes it twice alike.
            infallible(|b| row_index.add(b)),
            Box::new(|d: Delivery<'_>| state.add(d.batch)),
            Box::new(|d: Delivery<'_>| profile.add(d.batch)),
            Box::new(|d: Delivery<'_>| {
                if let Some(rows) = d.expected_rows {
                    summary.expect_rows(rows);
                }
                summary.add(d.batch, &types);
                Ok(())
            }),
        ];
        if let Some(spill) = &mut spill {
            consumers.push(infallible(|b| spill.add(b)));
        }
        if let Some(clean) = clean.as_deref_mut() {
            consumers.push(Box::new(|d: Delivery<'_>| {
                if let Some(rows) = d.expected_rows {
                    clean.expect_rows(rows)?;
                }
                Ok(clean.first(d.batch)?)
            }));
        }
        fan_out(read, consumers)?;
        let first_types = types;
        let types = batches.types().clone();
        let counted = |j: usize| summary.has_values(j);
        let final_index = keep(row_index.column());
        let final_plan = plan_for(source, &types, options, &counted, final_index)?;
        // The summary counts date-times by period from the first batch's types: a column that
        // turned date-time later (null until then) is read again.
        let turned_datetime = (0..types.len()).any(|j| {
            let datetime = |t: &ColumnTypes| t.get(j) == ColumnType::Datetime;
            datetime(&types) != datetime(&first_types)
        });
        if !types.turned_late() && !turned_datetime && &final_plan == state.plan() {
            return Ok((types, summary, state, spill, profile));
        }
        if has_values.is_some() {
            return Err(changed(source));
        }
        has_values = Some((0..types.len()).map(counted).collect());
        index_known = Some(final_index);
        batches = open(Some(&types))?;
    }
}

fn plan_for(
    source: &str,
    types: &ColumnTypes,
    options: &PipelineOptions,
    has_values: &dyn Fn(usize) -> bool,
    row_index: Option<usize>,
) -> Result<AnalysisPlan> {
    AnalysisPlan::new(
        source,
        types,
        options.target.as_deref(),
        options.method,
        has_values,
        row_index,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use brisk_data::input::Format;

    fn options() -> PipelineOptions {
        PipelineOptions {
            target: Some("label".into()),
            method: Method::Auto,
            fit: FitOptions {
                clusters: None,
                seed: 0,
            },
            sample_rows: 1000,
            bins: 10,
            memory_limit: 1 << 30,
            batch_rows: 64,
            spill: false,
            keep_index: false,
        }
    }

    /// Pass 1 reads `first`, later passes read `then`: a file that changed in between.
    fn run_changed(first: &str, then: &str) -> String {
        let a = Input::from_reader(first.as_bytes(), "t.csv", Format::Csv).unwrap();
        let b = Input::from_reader(then.as_bytes(), "t.csv", Format::Csv).unwrap();
        let open = |types: Option<&ColumnTypes>| -> brisk_data::Result<Box<dyn BatchPass + '_>> {
            Ok(Box::new(match types {
                None => Batches::open(&a, 64)?,
                Some(types) => Batches::with_types(&b, types, 64)?,
            }))
        };
        run_passes("t.csv", &open, &options(), None, &mut |_| {})
            .unwrap_err()
            .to_string()
    }

    fn table(rows: usize, bad_row: Option<usize>) -> String {
        let mut text = String::from("x,y,label\n");
        for i in 0..rows {
            let y = if bad_row == Some(i) {
                "oops".to_owned()
            } else {
                format!("{}", (i * 7 % 13) as f64)
            };
            text.push_str(&format!("{i},{y},{}\n", ["a", "b"][i % 2]));
        }
        text
    }

    #[test]
    fn a_replayed_pass_2_gives_the_figures_of_a_second_read() {
        let text = table(700, None);
        let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
        let figures = |spill: bool| {
            let options = PipelineOptions {
                spill,
                memory_limit: 0,
                ..options()
            };
            let figures = run(&input, &options, &mut |_| {}).unwrap();
            assert_eq!(figures.spilled.is_some(), spill);
            let assignment = figures
                .assignment
                .as_ref()
                .map(|a| (a.sizes.clone(), a.inertia));
            let columns = serde_json::to_string(&figures.columns).unwrap();
            (columns, assignment, format!("{:?}", figures.histograms))
        };
        assert_eq!(figures(true), figures(false));
    }

    #[test]
    fn a_crowded_quartile_takes_more_passes_and_the_same_figures() {
        // `c`: a cluster near 1e9 and one far value, which crowds its quartiles' buckets.
        let mut text = String::from("x,c,label\n");
        for i in 0..6000 {
            let c = if i == 5 {
                1e-300
            } else {
                1e9 + (i * 7919 % 6000) as f64 * 1e-6
            };
            text.push_str(&format!("{i},{c},{}\n", ["a", "b"][i % 2]));
        }
        let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
        let columns = |spill: bool, memory_limit: u64| {
            let options = PipelineOptions {
                spill,
                memory_limit,
                ..options()
            };
            let figures = run(&input, &options, &mut |_| {}).unwrap();
            serde_json::to_string(&figures.columns).unwrap()
        };
        let reference = columns(false, 1 << 30);
        assert_eq!(columns(true, 0), reference);
        assert_eq!(columns(false, 0), reference);
    }

    #[test]
    fn a_file_that_changes_between_the_passes_is_an_error() {
        let message = run_changed(&table(500, None), &table(501, None));
        assert!(
            message.contains("t.csv") && message.contains("changed"),
            "{message}"
        );
        let message = run_changed(&table(500, None), &table(500, Some(300)));
        // Line 302: the header, then row 300.
        assert!(
            message.contains("t.csv:302") && message.contains("changed"),
            "{message}"
        );
    }

    /// The columns of the correlation, and the row index the plan left out.
    fn analysed(text: &str, keep_index: bool) -> (Vec<String>, Option<usize>) {
        let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
        let options = PipelineOptions {
            keep_index,
            ..options()
        };
        let figures = run(&input, &options, &mut |_| {}).unwrap();
        let plan = &figures.analyses.plan;
        (plan.names_of(&plan.numeric), plan.row_index)
    }

    #[test]
    fn a_row_index_is_left_out_of_the_analyses_unless_kept() {
        // R's write.csv: an empty first header over 1..n.
        let mut rows = String::from(",x,y,label\n");
        for (i, line) in table(300, None).lines().skip(1).enumerate() {
            rows.push_str(&format!("{},{line}\n", i + 1));
        }
        assert_eq!(
            analysed(&rows, false),
            (vec!["x".into(), "y".into()], Some(0))
        );
        let kept = vec!["Unnamed: 0".into(), "x".into(), "y".into()];
        assert_eq!(analysed(&rows, true), (kept, None));
    }

    #[test]
    fn an_id_that_stops_counting_after_the_first_batch_is_a_feature() {
        // The first batch (64 rows) counts 0, 1, …; row 100 breaks the count: the pass is made
        // again with the column in the analyses.
        let mut text = String::from("id,y,label\n");
        for i in 0..300 {
            let id = if i == 100 { 7 } else { i };
            text.push_str(&format!(
                "{id},{},{}\n",
                (i * 7 % 13) as f64,
                ["a", "b"][i % 2]
            ));
        }
        let all = vec!["id".into(), "y".into()];
        assert_eq!(analysed(&text, false), (all, None));
    }
}
