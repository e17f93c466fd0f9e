//! The `brisk` binary: parse the command line, run the command, map its error to an exit code.

/// mimalloc reuses freed pages instead of returning them to the system, which spares the table
/// jobs most of the page faults of their large column buffers. The counting wrapper measures heap
/// use for --profile and costs one relaxed load per allocation otherwise.
#[global_allocator]
static GLOBAL: brisk_profile::CountingAllocator<mimalloc::MiMalloc> =
    brisk_profile::CountingAllocator(mimalloc::MiMalloc);

mod cli;
mod commands;
mod output;
mod size;
mod table;

use std::io::ErrorKind;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("brisk: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// A reader that stopped reading (`brisk stats big.csv | head`) is not a failure.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == ErrorKind::BrokenPipe)
    })
}
