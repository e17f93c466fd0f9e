//! `brisk merge`: partial states merged into the statistics of the whole table, or into one
//! state.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use brisk_data::partial::{self, QuartilesState, StateKind, StatsState};
use brisk_data::stats::StatsReport;

use super::partial::{at_source, StateFile};
use crate::cli::{MergeArgs, OutputFormat, MERGE_OUTPUTS};
use crate::output::Destination;

/// The states of each kind, merged as they are read.
#[derive(Default)]
struct Merged {
    /// The statistics states' merge, and their paths.
    stats: Option<StatsState>,
    stats_files: Vec<String>,
    /// The quartile states' merge, and their paths.
    quartiles: Option<QuartilesState>,
    quartile_files: Vec<String>,
}

/// Runs `brisk merge`: the states merged, then printed as statistics or written as one state.
pub fn run(args: MergeArgs) -> Result<()> {
    let inputs: Vec<&Path> = args.states.iter().map(PathBuf::as_path).collect();
    let destination = Destination::resolve(&args.common, &inputs, MERGE_OUTPUTS)?;
    let merged = {
        let _merge = brisk_profile::block("read and merge");
        merge_files(&inputs)?
    };
    if destination.format == OutputFormat::State {
        let bytes = merged.into_state()?;
        let _write = brisk_profile::block("write");
        return destination.write(|out| out.write_all(&bytes));
    }
    let report = merged.finish(args.source.as_deref(), args.approx)?;
    let _write = brisk_profile::block("write");
    super::stats::print(&report, &destination)
}

/// Reads, checks and merges every state, one at a time: a state is merged only once it has
/// decoded whole.
fn merge_files(paths: &[&Path]) -> Result<Merged> {
    let mut merged = Merged::default();
    for path in paths {
        let file = StateFile::read(path)?;
        match file.kind {
            StateKind::Stats => {
                let state = file.stats()?;
                match &mut merged.stats {
                    Some(all) => all.merge_from(state, &file.name)?,
                    None => merged.stats = Some(state),
                }
                merged.stats_files.push(file.name);
            }
            StateKind::Quartiles => {
                let state = file.quartiles()?;
                match &mut merged.quartiles {
                    Some(all) => all.merge_from(&state, &file.name)?,
                    None => merged.quartiles = Some(state),
                }
                merged.quartile_files.push(file.name);
            }
            other => bail!(
                "{}: a {} state; brisk merge merges the statistics (pass 1) and quartile \
                 (pass 2) states of brisk stats --partial-out",
                file.name,
                other.name()
            ),
        }
    }
    Ok(merged)
}

impl Merged {
    /// The bytes of the one merged state `-o STATE.state` writes.
    fn into_state(self) -> Result<Vec<u8>> {
        match (self.stats, self.quartiles) {
            (Some(stats), None) => Ok(partial::encode(StateKind::Stats, &stats)),
            (None, Some(quartiles)) => Ok(partial::encode(StateKind::Quartiles, &quartiles)),
            _ => bail!(
                "a state file holds one kind of state: give only statistics states (for the \
                 merged pass 1) or only quartile states (for a merged pass 2) with -o \
                 STATE.state, or -o .json or .csv for the statistics"
            ),
        }
    }

    /// The statistics of every part, exact unless `approx`; `source` names the data.
    fn finish(self, source: Option<&str>, approx: bool) -> Result<StatsReport> {
        let Some(stats) = self.stats else {
            bail!(
                "{}: quartile states alone hold no statistics: give the merged statistics \
                 state with them (brisk merge merged.state q-*.state)",
                listed(&self.quartile_files)
            );
        };
        let source = source.map_or_else(|| self.stats_files.join(", "), str::to_owned);
        if approx {
            if !self.quartile_files.is_empty() {
                bail!(
                    "{}: --approx estimates the quartiles from the statistics states alone; \
                     leave out the quartile states, or --approx for the exact quartiles",
                    listed(&self.quartile_files)
                );
            }
            return Ok(stats.finish(&source, None, false)?);
        }
        match &self.quartiles {
            None if stats.needs_quartile_pass() => bail!(
                "{source}: exact quartiles need pass 2 over every part: brisk stats PART \
                 --quartiles-of MERGED.state --partial-out q-PART.state on each part, with \
                 MERGED.state the merge of every part's statistics state (brisk merge \
                 s-*.state -o merged.state), then brisk merge merged.state q-*.state; or \
                 --approx estimates the quartiles from these states alone"
            ),
            Some(quartiles) if quartiles.needs_another_pass() => bail!(
                "{}: the quartiles need another pass over every part (a quartile lies among \
                 more distinct values than its share of memory held): brisk merge q-*.state -o \
                 q.state, then brisk stats PART --quartiles-of q.state --partial-out \
                 q2-PART.state on each part, then brisk merge {} q2-*.state",
                listed(&self.quartile_files),
                self.stats_files.join(" ")
            ),
            _ => {}
        }
        stats
            .finish(&source, self.quartiles, true)
            .map_err(|e| at_source(e, &source).into())
    }
}

/// Files named in a message: up to three, or the first three and how many.
fn listed(files: &[String]) -> String {
    match files {
        [a, b, c, _, ..] => format!("{a}, {b}, {c}, … ({} states)", files.len()),
        _ => files.join(", "),
    }
}
