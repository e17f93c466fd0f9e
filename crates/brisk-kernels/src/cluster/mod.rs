//! Clustering: k-means with scikit-learn's Lloyd semantics (exercise C.6), and its two steps on
//! their own: [`assign_clusters`] (C.6b) and [`update_centroids`] (C.6c).

mod init;
mod kmeans;
mod lloyd;
mod steps;

pub use kmeans::{KMeans, KMeansInit, KMeansParams, ValidKMeansParams};
pub use steps::{assign_clusters, update_centroids};
#[cfg(test)]
mod tests;
