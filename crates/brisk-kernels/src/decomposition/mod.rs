//! Matrix decompositions for data: principal component analysis (notebook §8).

mod pca;

pub use pca::{Pca, PcaParams, ValidPcaParams};
#[cfg(test)]
mod tests;
