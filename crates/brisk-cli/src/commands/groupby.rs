//! `brisk groupby`: streaming group-by with derived columns.

use std::path::Path;

use anyhow::Result;
use brisk_data::groupby::{group_by, parse_aggs, parse_derived, GroupByOptions, SortBy};

use super::frames::write_frame;
use crate::cli::{GroupbyArgs, OutputFormat};
use crate::output::Destination;

pub fn run(args: GroupbyArgs) -> Result<()> {
    let input = super::open_input(&args.file, &args.common)?;
    let inputs: Vec<&Path> = input.user_path().into_iter().collect();
    let allowed = [
        OutputFormat::Csv,
        OutputFormat::Tsv,
        OutputFormat::Parquet,
        OutputFormat::Json,
    ];
    let destination = Destination::resolve(&args.common, &inputs, &allowed)?;
    let options = GroupByOptions {
        by: args.by.iter().map(|b| b.trim().to_owned()).collect(),
        aggs: parse_aggs(&args.agg)?,
        derived: args
            .with
            .iter()
            .map(|w| parse_derived(w))
            .collect::<Result<_, _>>()?,
        sort: args.sort.clone().map(|column| SortBy {
            column,
            descending: args.desc,
        }),
        chunk_rows: usize::try_from(args.chunk_rows).unwrap_or(usize::MAX),
    };
    let bar = super::byte_progress(args.common.quiet, &input);
    bar.set_prefix("groupby");
    let grouped = brisk_profile::with_block("group", || {
        group_by(&input, &options, &mut |bytes| bar.set_position(bytes))
    });
    bar.finish_and_clear();
    let mut grouped = grouped?;
    let format = destination.format;
    let _write = brisk_profile::block("write");
    destination.write(|out| write_frame(&mut grouped, format, true, out))
}
