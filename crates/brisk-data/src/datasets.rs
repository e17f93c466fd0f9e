//! Data sets shipped inside brisk, so that a command has something to show with no file.

/// The Palmer Penguins data (Horst, Hill & Gorman 2020; CC0 data, distributed in the MIT-licensed
/// `palmerpenguins` package): 344 penguins of three species, with nulls written `NA`.
///
/// ```
/// let text = std::str::from_utf8(brisk_data::datasets::PENGUINS_CSV).unwrap();
/// assert!(text.starts_with("species,island,bill_length_mm"));
/// ```
pub const PENGUINS_CSV: &[u8] = include_bytes!("../data/penguins.csv");

/// The column the report scores the embedded penguins' features against.
pub const PENGUINS_TARGET: &str = "species";

/// How messages and reports name the embedded penguins data.
pub const PENGUINS_NAME: &str = "penguins.csv (embedded)";
