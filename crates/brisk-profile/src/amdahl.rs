//! Amdahl's law (exercise D.1): what speeding up one stage does for the whole run.

use serde::Serialize;

use crate::stages::Report;

/// The whole run's speed-up when a fraction `fraction` of it becomes `factor` times faster:
/// `1 / ((1 − p) + p / s)` (Amdahl, "Validity of the single processor approach", 1967).
///
/// ```
/// use brisk_profile::amdahl_speedup;
/// // Halving a stage that takes 47 % of the run speeds the whole run up 1.31×.
/// assert!((amdahl_speedup(0.47, 2.0) - 1.307).abs() < 1e-3);
/// assert_eq!(amdahl_speedup(0.0, 10.0), 1.0);
/// ```
pub fn amdahl_speedup(fraction: f64, factor: f64) -> f64 {
    1.0 / ((1.0 - fraction) + fraction / factor)
}

/// One line of advice: the stage, its share of the run, and the speed-ups for halving it and for
/// removing it entirely.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hint {
    /// The stage.
    pub stage: String,
    /// Its share of the total time.
    pub fraction: f64,
    /// The whole run's speed-up if the stage took half as long.
    pub if_halved: f64,
    /// The upper bound: the speed-up if the stage took no time at all.
    pub if_free: f64,
}

impl std::fmt::Display for Hint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "halving `{}` ({:.0}% of the run) speeds the whole run by {:.2}× (at most {:.2}× if it took no time)",
            self.stage,
            self.fraction * 100.0,
            self.if_halved,
            self.if_free
        )
    }
}

/// Hints for the top-level stages, largest share first; when there is only one top-level stage
/// (a whole command), for the stages directly inside it.
pub fn hints(report: &Report) -> Vec<Hint> {
    if report.total_seconds <= 0.0 {
        return Vec::new();
    }
    let top_level = report.stages.iter().filter(|s| s.depth == 0).count();
    let depth = usize::from(top_level == 1);
    let mut hints: Vec<Hint> = report
        .stages
        .iter()
        .filter(|s| s.depth == depth)
        .map(|s| {
            let fraction = s.wall_seconds / report.total_seconds;
            Hint {
                stage: s.name.clone(),
                fraction,
                if_halved: amdahl_speedup(fraction, 2.0),
                if_free: if fraction < 1.0 {
                    1.0 / (1.0 - fraction)
                } else {
                    f64::INFINITY
                },
            }
        })
        .collect();
    hints.sort_by(|a, b| b.fraction.total_cmp(&a.fraction));
    hints
}
