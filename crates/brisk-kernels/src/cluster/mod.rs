//! Clustering: k-means with scikit-learn's Lloyd semantics (exercise C.6).

mod init;
mod kmeans;
mod lloyd;

pub use kmeans::{KMeans, KMeansInit, KMeansParams, ValidKMeansParams};
#[cfg(test)]
mod tests;
