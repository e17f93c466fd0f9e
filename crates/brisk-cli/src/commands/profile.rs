//! `--profile` and `--profile-json`: the stage table on stderr and the JSON file.

use std::io::Write;

use anyhow::Result;
use brisk_profile::{hints, Report};

use crate::cli::{Common, OutputFormat};
use crate::output::Destination;
use crate::table::{human, TextTable};

/// Prints the stage table (with `--profile`) and writes the JSON (with `--profile-json FILE`).
pub fn report(common: &Common, report: &Report) -> Result<()> {
    if let Some(path) = &common.profile_json {
        let json_only = Common {
            output: Some(path.clone()),
            ..common.clone()
        };
        let destination = Destination::resolve(&json_only, &[], &[OutputFormat::Json])?;
        destination.write(|out| {
            serde_json::to_writer_pretty(&mut *out, report)?;
            writeln!(out)
        })?;
    }
    if common.profile {
        let mut table = TextTable::new(&["stage", "wall s", "peak heap", "allocations"]);
        for stage in &report.stages {
            table.push(vec![
                format!("{}{}", "  ".repeat(stage.depth), stage.name),
                format!("{:.3}", stage.wall_seconds),
                bytes(stage.peak_bytes),
                stage.allocations.to_string(),
            ]);
        }
        let mut err = std::io::stderr().lock();
        table.write(&mut err)?;
        for hint in hints(report).iter().filter(|h| h.fraction < 1.0) {
            writeln!(err, "{hint}")?;
        }
    }
    Ok(())
}

fn bytes(n: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    format!("{} MiB", human(Some(n as f64 / MIB)))
}
