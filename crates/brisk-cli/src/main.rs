//! The `brisk` binary: parse the command line, run the command, map its error to an exit code.

use std::ffi::{c_int, c_long};

/// mimalloc reuses freed pages instead of returning them to the system, which spares the table
/// jobs most of the page faults of their large column buffers. The counting wrapper measures heap
/// use for --profile and costs one relaxed load per allocation otherwise.
#[global_allocator]
static GLOBAL: brisk_profile::CountingAllocator<mimalloc::MiMalloc> =
    brisk_profile::CountingAllocator(mimalloc::MiMalloc);

/// mimalloc's `mi_option_purge_delay` (its option enum keeps the slots of retired options, so
/// the number does not move).
const MI_OPTION_PURGE_DELAY: c_int = 15;

extern "C" {
    /// mimalloc's setter of an option (`mimalloc.h`), linked with the allocator.
    fn mi_option_set(option: c_int, value: c_long);
}

/// Freed pages stay with mimalloc until the process ends instead of going back to the system a
/// second after they were freed. A batch job's freed buffers are those of the next batch, and
/// each page given back costs a page fault and a zeroed page when it is used again: the report's
/// passes, whose threads hand batches to each other, took about five times as many faults. The
/// jobs' memory stays bounded by their own limits; only its return is deferred to the exit.
fn keep_freed_pages() {
    // SAFETY: a plain option store, made before any other thread exists (mimalloc's setters are
    // not thread-safe).
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

mod cli;
mod commands;
mod output;
mod size;
mod table;

use std::io::ErrorKind;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    keep_freed_pages();
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
