//! One module per command: its run function, given parsed arguments.

mod stats;

use std::io::IsTerminal;

use anyhow::Result;
use brisk_data::input::Input;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{Cli, Command};

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<()> {
    let threads = match &cli.command {
        Command::Stats(args) => args.common.threads,
    };
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global()?;
    }
    match cli.command {
        Command::Stats(args) => stats::run(args),
    }
}

/// A byte progress bar on stderr, drawn only when stderr is a terminal and `quiet` is off.
fn byte_progress(quiet: bool, input: &Input) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(input.len(), ProgressDrawTarget::stderr());
    if quiet || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    bar
}
