//! The facts the alerts read, gathered from the passes' figures.

use brisk_data::cleaning::RemovedValue;
use brisk_data::frame::CleanReport;
use brisk_data::profile::ColumnProfile;
use brisk_data::stats::Summary;

use super::alerts::{ColumnFacts, TableFacts};
use super::sections::number;
use crate::pipeline::Figures;

/// The table's facts: per-column figures as read, the duplicate rows the cleaning found, the
/// Pearson pairs of the data as read, and the values the σ rule removes.
pub(super) fn table_facts(
    read: &Figures,
    cleaning: Option<&CleanReport>,
    removed: &[RemovedValue],
) -> TableFacts {
    let columns = read
        .columns
        .iter()
        .enumerate()
        .map(|(j, column)| {
            let mut facts = ColumnFacts::new(&column.name, read.rows);
            if let Some(profile) = read.profiles.get(j) {
                profile_facts(profile, &mut facts);
            }
            facts.count = column.summary.count();
            match &column.summary {
                Summary::Numeric(s) => {
                    facts.skewness = s.skewness;
                    if read.types.is_integer(j) {
                        facts.integer_range = s.min.zip(s.max);
                    }
                }
                Summary::Categorical(_) => facts.text = true,
                Summary::Bool(_) | Summary::Datetime(_) => {}
            }
            facts
        })
        .collect();
    // Pairwise r, as pandas' `corr()` (exact while the table fits in the sample).
    let mut correlations = Vec::new();
    if let Some(corr) = &read.profile.associations.pairwise {
        for (a, name_a) in corr.columns.iter().enumerate() {
            for (b, name_b) in corr.columns.iter().enumerate().skip(a + 1) {
                let r = corr.pearson[[a, b]];
                if r.is_finite() {
                    correlations.push((name_a.clone(), name_b.clone(), r));
                }
            }
        }
    }
    TableFacts {
        rows: read.rows,
        columns,
        duplicates: cleaning.map(|c| c.duplicates_removed),
        correlations,
        target_classes: target_classes(read),
        removed_values: removed
            .iter()
            .map(|r| (r.column.clone(), number(Some(r.value)), r.rows))
            .collect(),
    }
}

/// What a column's profile adds: its distinct values, zeros and text facts.
fn profile_facts(profile: &ColumnProfile, facts: &mut ColumnFacts) {
    let distinct = match profile {
        ColumnProfile::Numeric(p) => {
            facts.zeros = Some(p.zeros);
            p.distinct
        }
        ColumnProfile::Text(p) => {
            facts.numeric_like = Some(p.numeric_like);
            facts.padded = Some(p.padded);
            facts.case_variants = p
                .case_variants
                .iter()
                .map(|group| group.iter().map(|v| v.value.clone()).collect())
                .collect();
            p.distinct
        }
        ColumnProfile::Bool { distinct } | ColumnProfile::Datetime { distinct } => *distinct,
    };
    facts.distinct = Some(distinct.count);
    facts.distinct_estimated = !distinct.exact;
}

/// The counts of a categorical target's classes, when every class is known: a text target's
/// (all among its most frequent values, counted exactly) or a boolean one's.
fn target_classes(read: &Figures) -> Option<(String, Vec<u64>)> {
    let target = read.analyses.plan.target.as_ref()?;
    let counts = match (
        &read.columns[target.column].summary,
        read.profiles.get(target.column),
    ) {
        (Summary::Bool(b), _) => vec![b.true_count, b.count - b.true_count],
        (_, Some(ColumnProfile::Text(p))) if p.top_exact && p.other == 0 => {
            p.top.iter().map(|v| v.count).collect()
        }
        _ => return None,
    };
    Some((target.name.clone(), counts))
}
