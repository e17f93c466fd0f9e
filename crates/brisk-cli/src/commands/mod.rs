//! One module per command: its run function, given parsed arguments.

mod clean;
mod cov;
mod distances;
mod frames;
mod groupby;
mod join;
mod kmeans;
mod matrix;
mod normalize;
mod pca;
mod softmax;
mod solve;
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
        Command::Cov(args) => args.common.threads,
        Command::Normalize(args) => args.common.threads,
        Command::Softmax(args) => args.common.threads,
        Command::Distances(args) => args.common.threads,
        Command::Solve(args) => args.common.threads,
        Command::Pca(args) => args.common.threads,
        Command::Kmeans(args) => args.common.threads,
        Command::Clean(args) => args.common.threads,
        Command::Groupby(args) => args.common.threads,
        Command::Join(args) => args.common.threads,
    };
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global()?;
    }
    match cli.command {
        Command::Stats(args) => stats::run(args),
        Command::Cov(args) => cov::run(args),
        Command::Normalize(args) => normalize::run(args),
        Command::Softmax(args) => softmax::run(args),
        Command::Distances(args) => distances::run(args),
        Command::Solve(args) => solve::run(args),
        Command::Pca(args) => pca::run(args),
        Command::Kmeans(args) => kmeans::run(args),
        Command::Clean(args) => clean::run(args),
        Command::Groupby(args) => groupby::run(args),
        Command::Join(args) => join::run(args),
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
