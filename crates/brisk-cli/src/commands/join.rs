//! `brisk join`: count join (exercise B.6) or relational left/inner join.

use std::path::Path;

use anyhow::Result;
use brisk_data::frame::{count_join, plan_join, read_frame, How};

use super::frames::write_frame;
use crate::cli::{Common, JoinArgs, JoinHow, OutputFormat, TABLE_OUTPUTS};
use crate::output::Destination;

pub fn run(args: JoinArgs) -> Result<()> {
    let left = super::open_rows_input(&args.left, &args.common)?;
    // --columns and --exclude choose the left table's columns; the right one is read whole.
    let whole = Common {
        columns: None,
        exclude: Vec::new(),
        parse_dates: Vec::new(),
        ..args.common.clone()
    };
    let right = super::open_rows_input(&args.right, &whole)?;
    let inputs: Vec<&Path> = [left.user_path(), right.user_path()]
        .into_iter()
        .flatten()
        .collect();
    let destination = Destination::resolve(&args.common, &inputs, TABLE_OUTPUTS)?;
    let right_on = args.right_on.as_deref().unwrap_or(&args.on);
    let left_frame = brisk_profile::with_block("load left", || read_frame(&left))?;
    let format = destination.format;
    let mut joined = match &args.count {
        Some(name) => brisk_profile::with_block("count", || {
            count_join(&left_frame, &args.on, &right, right_on, name)
        })?,
        None => {
            let how = match args.how {
                JoinHow::Left => How::Left,
                JoinHow::Inner => How::Inner,
            };
            let right_frame = brisk_profile::with_block("load right", || read_frame(&right))?;
            let plan = brisk_profile::with_block("match", || {
                plan_join(&left_frame, &args.on, &right_frame, right_on, how)
            })?;
            let _write = brisk_profile::block("write");
            // Delimited text is written straight from the inputs; Parquet, JSON and the aligned
            // table need the joined table.
            return match format {
                OutputFormat::Csv | OutputFormat::Tsv => {
                    let delimiter = if format == OutputFormat::Tsv {
                        b'\t'
                    } else {
                        b','
                    };
                    destination.write(|out| plan.write_csv(out, delimiter))
                }
                _ => {
                    let mut frame = plan.frame()?;
                    destination.write(|out| write_frame(&mut frame, format, true, out))
                }
            };
        }
    };
    let _write = brisk_profile::block("write");
    destination.write(|out| write_frame(&mut joined, format, true, out))
}
