//! Partial-state files: `brisk stats --partial-out` (a part's pass 1, or with `--quartiles-of`
//! its pass for exact quartiles) and the reading of states for `brisk merge`.

use std::path::Path;

use anyhow::{bail, Result};
use brisk_data::error::{display_path, DataError};
use brisk_data::input::Input;
use brisk_data::partial::{self, PartialOptions, QuartilesState, StateKind, StatsState};
use brisk_kernels::stats::Convention;

use crate::cli::{OutputFormat, StatsArgs, STATE_OUTPUTS};
use crate::output::Destination;

/// A state file as read: its envelope checked, its kind known, its state not yet decoded.
pub struct StateFile {
    /// The path as the user gave it, which messages name.
    pub name: String,
    /// What the state summarises.
    pub kind: StateKind,
    bytes: Vec<u8>,
}

impl StateFile {
    /// Reads `path` and checks its envelope (mark, versions, length, checksum).
    ///
    /// # Errors
    /// A file that cannot be read, or bytes that are not a whole state of this brisk release.
    pub fn read(path: &Path) -> Result<StateFile> {
        let bytes = std::fs::read(path).map_err(|e| DataError::io(path, &e))?;
        let name = display_path(path);
        let kind = partial::kind_of(&bytes, &name)?;
        Ok(StateFile { name, kind, bytes })
    }

    /// The statistics (pass 1) state it holds.
    ///
    /// # Errors
    /// A state of another kind, or a payload that does not decode.
    pub fn stats(&self) -> Result<StatsState> {
        Ok(partial::decode(StateKind::Stats, &self.bytes, &self.name)?)
    }

    /// The quartile (pass 2) state it holds.
    ///
    /// # Errors
    /// A state of another kind, or a payload that does not decode.
    pub fn quartiles(&self) -> Result<QuartilesState> {
        Ok(partial::decode(
            StateKind::Quartiles,
            &self.bytes,
            &self.name,
        )?)
    }
}

/// Names `source` as the place of a state's error (the library names "the merged state").
pub fn at_source(mut err: DataError, source: &str) -> DataError {
    source.clone_into(&mut err.location.source);
    err
}

/// `brisk stats FILE --partial-out STATE`: writes the state of `input`'s rows (pass 1, or the
/// quartile pass of `--quartiles-of`) to `state`, atomically, with a note on stderr.
pub fn write_part(args: &StatsArgs, input: &Input, state: &Path) -> Result<()> {
    let mut inputs: Vec<&Path> = input.user_path().into_iter().collect();
    inputs.extend(args.quartiles_of.as_deref());
    let destination = Destination::resolve_path(
        "--partial-out",
        Some(state),
        OutputFormat::State,
        &inputs,
        STATE_OUTPUTS,
    )?;
    let (kind, bytes, rows) = match &args.quartiles_of {
        None => {
            let part = pass_one(args, input)?;
            let rows = Some(part.rows());
            (
                StateKind::Stats,
                partial::encode(StateKind::Stats, &part),
                rows,
            )
        }
        Some(merged) => {
            let memory = args
                .memory_limit
                .map_or_else(brisk_data::stats::default_memory_limit, |s| s.0);
            let pass = quartile_pass(input, merged, memory)?;
            let bytes = partial::encode(StateKind::Quartiles, &pass);
            (StateKind::Quartiles, bytes, None)
        }
    };
    {
        let _write = brisk_profile::block("write");
        destination.write(|out| out.write_all(&bytes))?;
    }
    if !args.common.quiet {
        let rows = rows.map_or_else(String::new, |n| format!(" of {n} rows"));
        eprintln!(
            "brisk: {}: {} state{rows} written to {} ({})",
            input.name(),
            kind.name(),
            match destination.path {
                Some(_) => display_path(state),
                None => "stdout".to_owned(),
            },
            size(bytes.len())
        );
    }
    Ok(())
}

/// Pass 1 over a part: its statistics state. `--columns` is the input's (it reads only those
/// columns), so the state summarises every column read.
fn pass_one(args: &StatsArgs, input: &Input) -> Result<StatsState> {
    let _pass = brisk_profile::block("pass 1");
    let mut state = StatsState::new(PartialOptions {
        columns: None,
        convention: if args.population {
            Convention::Population
        } else {
            Convention::Sample
        },
        partition: args.partition.unwrap_or(0),
    });
    state.update(input)?;
    Ok(state)
}

/// The quartile pass over a part, made from `merged`: the merged pass-1 state (the pass keeping
/// about `memory` bytes of values), or a merged quartile state that needs another pass.
fn quartile_pass(input: &Input, merged: &Path, memory: u64) -> Result<QuartilesState> {
    let file = StateFile::read(merged)?;
    let mut pass = match file.kind {
        StateKind::Stats => file.stats()?.quartile_pass_within(memory),
        StateKind::Quartiles => {
            let mut pass = file.quartiles()?;
            if !pass.needs_another_pass() {
                bail!(
                    "{}: a quartile state that needs no other pass; --quartiles-of takes the \
                     merged statistics state (brisk merge s-*.state -o merged.state), or the \
                     merged quartile state of a pass `brisk merge` said needs another",
                    file.name
                );
            }
            pass.another_pass().map_err(|e| at_source(e, &file.name))?;
            pass
        }
        other => bail!(
            "{}: a {} state; --quartiles-of takes the merged statistics state (brisk merge \
             s-*.state -o merged.state)",
            file.name,
            other.name()
        ),
    };
    let _pass = brisk_profile::block("quartile pass");
    pass.update(input)?;
    Ok(pass)
}

/// A byte count for people: B, KiB or MiB.
fn size(bytes: usize) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}
