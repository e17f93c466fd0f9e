//! Whole tables in memory as polars `DataFrame`s: reading them with pandas' types, the cleaning
//! pipeline (`brisk clean`, exercise C.2), joins (`brisk join`, exercise B.6), and writing them as
//! pandas' `to_csv` would.

mod clean;
pub mod format;
mod join;
mod read;
pub mod rows;
mod write;

pub use clean::{clean_dataset, clean_loaded, CleanOptions, CleanReport, FillValue, Named};
pub(crate) use clean::{is_outlier, median, median_in_place, mode_of_counts};
pub use join::{count_join, join, plan_join, How, JoinPlan};
pub use read::{read_frame, unknown_column, LoadedFrame, TextSighting};
pub use write::{write_csv, write_gathered_csv, write_parquet, GatheredColumn};
