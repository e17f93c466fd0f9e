//! The page's alerts: the warnings of ydata-profiling's default report (`model/alerts.py`), each
//! with a threshold the user can change, and brisk's own, which no peer raises.
//!
//! | kind | raised when | ydata-profiling |
//! |---|---|---|
//! | constant | one distinct value (nulls aside) | `CONSTANT` |
//! | unique | every row's value distinct (no null) | `UNIQUE` |
//! | missing | null share > threshold | `MISSING` (at 1%; 50% here) |
//! | skewed | \|G1\| > threshold, numeric with more than 5 values | `SKEWED` |
//! | zeros | zero share > threshold, numeric with more than 5 values | `ZEROS` (at 1%; 10% here) |
//! | duplicates | a row repeats an earlier one | `DUPLICATES` |
//! | high correlation | \|Pearson r\| > threshold | `HIGH_CORRELATION` (Spearman or Cramér's V ≥ 0.5) |
//! | imbalance | the target's classes: 1 − H/ln k > threshold | `IMBALANCE` (of every categorical column) |
//! | high cardinality | text, distinct > share × rows and ≥ the minimum | brisk (ydata-profiling's `HIGH_CARDINALITY` fires only on pandas `category` columns, never on text read from a file) |
//! | index-like | integers counting up by one, every value distinct | brisk |
//! | numbers as text | a text column whose values mostly parse as numbers | brisk |
//! | case variants | text values equal but for case (`Retail`, `retail`) | brisk |
//! | padded | text values with leading or trailing spaces | brisk |
//! | rule removes a category | the σ rule deletes every row of a discrete value | brisk |
//!
//! ```
//! use brisk_report::report::alerts::{alerts, AlertKind, AlertThresholds, ColumnFacts, TableFacts};
//! let mut id = ColumnFacts::new("id", 4);
//! (id.count, id.distinct, id.integer_range) = (4, Some(4), Some((1.0, 4.0)));
//! let mut kind = ColumnFacts::new("kind", 4);
//! // Constant: one value, nulls aside.
//! (kind.count, kind.distinct) = (4, Some(1));
//! let table = TableFacts { rows: 4, columns: vec![id, kind], ..TableFacts::default() };
//! let found = alerts(&table, &AlertThresholds::default());
//! let kinds: Vec<_> = found.iter().map(|a| (a.kind, a.column.as_deref())).collect();
//! assert_eq!(
//!     kinds,
//!     [
//!         (AlertKind::Unique, Some("id")),
//!         (AlertKind::IndexLike, Some("id")),
//!         (AlertKind::Constant, Some("kind")),
//!     ]
//! );
//! ```

use serde::Serialize;

/// Numeric columns with at most this many distinct values are categories to the skew and zeros
/// alerts (ydata-profiling's `vars.num.low_categorical_threshold`).
pub const LOW_CATEGORICAL: u64 = 5;

/// The thresholds of the alerts, each a flag of `brisk report`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertThresholds {
    /// High cardinality: distinct text values above this share of the rows…
    pub cardinality_share: f64,
    /// …and at least this many of them.
    pub cardinality_min: u64,
    /// Missing: nulls above this share of the rows.
    pub missing_share: f64,
    /// Skewed: |G1| above this (ydata-profiling's `vars.num.skewness_threshold`).
    pub skewness: f64,
    /// Zeros: zeros above this share of the rows.
    pub zeros_share: f64,
    /// High correlation: |r| above this (ydata-profiling's `correlations.*.threshold`).
    pub correlation: f64,
    /// Imbalance of the target above this (ydata-profiling's `vars.cat.imbalance_threshold`).
    pub imbalance: f64,
    /// Numbers stored as text: parseable values above this share of a text column's values.
    pub numeric_text_share: f64,
}

impl Default for AlertThresholds {
    fn default() -> Self {
        AlertThresholds {
            cardinality_share: 0.5,
            cardinality_min: 100,
            missing_share: 0.5,
            skewness: 20.0,
            zeros_share: 0.1,
            correlation: 0.9,
            imbalance: 0.5,
            numeric_text_share: 0.95,
        }
    }
}

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Duplicate rows.
    Duplicates,
    /// One distinct value.
    Constant,
    /// Every value distinct.
    Unique,
    /// Many distinct text values.
    HighCardinality,
    /// Many nulls.
    Missing,
    /// Heavy skew.
    Skewed,
    /// Many zeros.
    Zeros,
    /// Two columns nearly collinear.
    HighCorrelation,
    /// A target dominated by few classes.
    Imbalance,
    /// A column that numbers the rows.
    IndexLike,
    /// Numbers stored as text.
    NumbersAsText,
    /// Values that differ only in case.
    CaseVariants,
    /// Values with leading or trailing spaces.
    Padded,
    /// The outlier rule deletes a whole value of a discrete column.
    RuleRemovesCategory,
}

impl AlertKind {
    /// The alert's name on the page.
    pub fn label(self) -> &'static str {
        match self {
            AlertKind::Duplicates => "duplicates",
            AlertKind::Constant => "constant",
            AlertKind::Unique => "unique",
            AlertKind::HighCardinality => "high cardinality",
            AlertKind::Missing => "missing",
            AlertKind::Skewed => "skewed",
            AlertKind::Zeros => "zeros",
            AlertKind::HighCorrelation => "high correlation",
            AlertKind::Imbalance => "imbalance",
            AlertKind::IndexLike => "index-like",
            AlertKind::NumbersAsText => "numbers as text",
            AlertKind::CaseVariants => "case variants",
            AlertKind::Padded => "padded text",
            AlertKind::RuleRemovesCategory => "σ rule removes a value",
        }
    }

    /// Whether ydata-profiling raises this kind too (`false`: brisk's own).
    pub fn in_ydata(self) -> bool {
        !matches!(
            self,
            AlertKind::HighCardinality
                | AlertKind::IndexLike
                | AlertKind::NumbersAsText
                | AlertKind::CaseVariants
                | AlertKind::Padded
                | AlertKind::RuleRemovesCategory
        )
    }
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Its kind.
    pub kind: AlertKind,
    /// The column it is about (none for the table's duplicates).
    pub column: Option<String>,
    /// The other column of a pair, or the value a rule removes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    /// The figure that raised it: a share, a count, G1 or r.
    pub value: f64,
    /// What it says, in words (plain text: the page escapes it).
    pub message: String,
}

/// The facts about one column that the alerts read. `None` where a fact does not apply to the
/// column's type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnFacts {
    /// Its name.
    pub name: String,
    /// Rows of the table.
    pub rows: u64,
    /// Non-null values.
    pub count: u64,
    /// Distinct non-null values.
    pub distinct: Option<u64>,
    /// Whether `distinct` is an estimate (a HyperLogLog's) rather than a count.
    pub distinct_estimated: bool,
    /// Whether the column holds text.
    pub text: bool,
    /// G1, for numeric columns.
    pub skewness: Option<f64>,
    /// Values equal to zero, for numeric columns.
    pub zeros: Option<u64>,
    /// The minimum and maximum of an integer column.
    pub integer_range: Option<(f64, f64)>,
    /// Values that parse as numbers, for text columns.
    pub numeric_like: Option<u64>,
    /// Groups of distinct text values equal but for case, each as its values.
    pub case_variants: Vec<Vec<String>>,
    /// Text values with leading or trailing whitespace.
    pub padded: Option<u64>,
}

impl ColumnFacts {
    /// A column with no facts yet.
    pub fn new(name: &str, rows: u64) -> Self {
        ColumnFacts {
            name: name.to_owned(),
            rows,
            ..ColumnFacts::default()
        }
    }
}

/// The table-wide facts the alerts read.
#[derive(Debug, Clone, Default)]
pub struct TableFacts {
    /// Rows read.
    pub rows: u64,
    /// Per column, in table order.
    pub columns: Vec<ColumnFacts>,
    /// Rows that repeat an earlier row.
    pub duplicates: Option<u64>,
    /// Pairs of columns with their Pearson r, each pair once.
    pub correlations: Vec<(String, String, f64)>,
    /// The target's name and the counts of its classes.
    pub target_classes: Option<(String, Vec<u64>)>,
    /// Values of discrete columns the σ rule removes entirely: column, value, rows.
    pub removed_values: Vec<(String, String, u64)>,
}

/// The alerts of a table, in table order: the duplicates first, then each column's, then the
/// pairs and brisk's own of the cleaning.
pub fn alerts(table: &TableFacts, thresholds: &AlertThresholds) -> Vec<Alert> {
    let mut found = Vec::new();
    if let Some(n) = table.duplicates.filter(|&n| n > 0) {
        let share = n as f64 / table.rows.max(1) as f64;
        found.push(Alert {
            kind: AlertKind::Duplicates,
            column: None,
            other: None,
            value: n as f64,
            message: format!(
                "has {n} rows ({}) that repeat an earlier row",
                percent(share)
            ),
        });
    }
    for column in &table.columns {
        column_alerts(column, thresholds, &mut found);
    }
    for (a, b, r) in &table.correlations {
        if r.abs() > thresholds.correlation {
            found.push(Alert {
                kind: AlertKind::HighCorrelation,
                column: Some(a.clone()),
                other: Some(b.clone()),
                value: *r,
                message: format!("is highly correlated with {b} (Pearson r = {r:.3})"),
            });
        }
    }
    if let Some((name, classes)) = &table.target_classes {
        if let Some(score) = imbalance(classes).filter(|&s| s > thresholds.imbalance) {
            found.push(Alert {
                kind: AlertKind::Imbalance,
                column: Some(name.clone()),
                other: None,
                value: score,
                message: format!(
                    "the target's {} classes are imbalanced (1 − entropy / ln k = {score:.3})",
                    classes.len()
                ),
            });
        }
    }
    // One alert per column, naming its values.
    let mut columns: Vec<&str> = table.removed_values.iter().map(|r| r.0.as_str()).collect();
    columns.dedup();
    for column in columns {
        let removed: Vec<&(String, String, u64)> = table
            .removed_values
            .iter()
            .filter(|r| r.0 == column)
            .collect();
        let rows: u64 = removed.iter().map(|r| r.2).sum();
        let values: Vec<&str> = removed.iter().map(|r| r.1.as_str()).collect();
        found.push(Alert {
            kind: AlertKind::RuleRemovesCategory,
            column: Some(column.to_owned()),
            other: Some(values.join(", ")),
            value: rows as f64,
            message: format!(
                "the outlier rule of the cleaning removes every row with {column} = {} ({rows} \
                 rows): whole categories of a discrete column",
                values.join(", ")
            ),
        });
    }
    found
}

fn column_alerts(c: &ColumnFacts, t: &AlertThresholds, found: &mut Vec<Alert>) {
    let mut push = |kind, value, message: String| {
        found.push(Alert {
            kind,
            column: Some(c.name.clone()),
            other: None,
            value,
            message,
        })
    };
    let rows = c.rows.max(1) as f64;
    let about = if c.distinct_estimated { "about " } else { "" };
    if let Some(distinct) = c.distinct.filter(|_| c.count > 0) {
        if distinct == 1 {
            push(AlertKind::Constant, 1.0, "has one value".into());
        } else if distinct == c.rows && !c.distinct_estimated {
            push(
                AlertKind::Unique,
                distinct as f64,
                format!("has {distinct} values, all distinct"),
            );
        }
        let share = distinct as f64 / rows;
        if c.text
            && distinct < c.count
            && share > t.cardinality_share
            && distinct >= t.cardinality_min
        {
            push(
                AlertKind::HighCardinality,
                distinct as f64,
                format!(
                    "has {about}{distinct} distinct values ({} of the rows)",
                    percent(share)
                ),
            );
        }
    }
    let missing = (c.rows - c.count) as f64 / rows;
    if missing > t.missing_share {
        push(
            AlertKind::Missing,
            missing,
            format!("{} of its values are missing", percent(missing)),
        );
    }
    // ydata-profiling takes a numeric column of at most five values as categorical, and checks
    // skew and zeros only on numeric ones (a 0/1 flag is not "zeros").
    let continuous = c.distinct.is_some_and(|d| d > LOW_CATEGORICAL);
    if let Some(g1) = c.skewness.filter(|g| continuous && g.abs() > t.skewness) {
        push(
            AlertKind::Skewed,
            g1,
            format!("is highly skewed (G1 = {g1:.1})"),
        );
    }
    if let Some(zeros) = c.zeros.filter(|_| continuous) {
        let share = zeros as f64 / rows;
        if share > t.zeros_share {
            push(
                AlertKind::Zeros,
                share,
                format!("{zeros} of its values ({}) are zeros", percent(share)),
            );
        }
    }
    if let (Some((min, max)), Some(distinct)) = (c.integer_range, c.distinct) {
        if c.count > 1 && distinct == c.count && max - min + 1.0 == c.count as f64 {
            push(
                AlertKind::IndexLike,
                min,
                format!("numbers the rows: every integer from {min} to {max} once"),
            );
        }
    }
    if let Some(parsed) = c.numeric_like.filter(|_| c.count > 0) {
        let share = parsed as f64 / c.count as f64;
        if share > t.numeric_text_share {
            push(
                AlertKind::NumbersAsText,
                share,
                format!(
                    "is text, but {} of its values are numbers: a stray word or unit keeps it \
                     from being numeric",
                    percent(share)
                ),
            );
        }
    }
    if !c.case_variants.is_empty() {
        let groups = c.case_variants.len();
        let example = c.case_variants[0].join(" / ");
        push(
            AlertKind::CaseVariants,
            groups as f64,
            format!("has {groups} values written in more than one case, e.g. {example}"),
        );
    }
    if let Some(padded) = c.padded.filter(|&n| n > 0) {
        push(
            AlertKind::Padded,
            padded as f64,
            format!("{padded} of its values have leading or trailing spaces"),
        );
    }
}

/// ydata-profiling's imbalance score of class counts: `1 − H / ln k`, with `H` the entropy (in
/// nats) of the class shares and `k` the number of classes; `None` with fewer than two classes.
/// 0 for balanced classes, towards 1 as one class takes all.
pub fn imbalance(classes: &[u64]) -> Option<f64> {
    let classes: Vec<f64> = classes
        .iter()
        .filter(|&&n| n > 0)
        .map(|&n| n as f64)
        .collect();
    if classes.len() < 2 {
        return None;
    }
    let total: f64 = classes.iter().sum();
    let entropy: f64 = classes
        .iter()
        .map(|&n| {
            let p = n / total;
            -p * p.ln()
        })
        .sum();
    Some(1.0 - entropy / (classes.len() as f64).ln())
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(table: &TableFacts) -> Vec<(AlertKind, Option<String>)> {
        alerts(table, &AlertThresholds::default())
            .into_iter()
            .map(|a| (a.kind, a.column))
            .collect()
    }

    fn column(name: &str, rows: u64, count: u64) -> ColumnFacts {
        ColumnFacts {
            count,
            ..ColumnFacts::new(name, rows)
        }
    }

    #[test]
    fn each_threshold_is_strict() {
        let t = AlertThresholds::default();
        let mut skewed = column("s", 100, 100);
        skewed.distinct = Some(6);
        skewed.skewness = Some(t.skewness);
        skewed.zeros = Some(10);
        assert!(kinds(&TableFacts {
            rows: 100,
            columns: vec![skewed.clone()],
            ..TableFacts::default()
        })
        .is_empty());
        skewed.skewness = Some(-20.5);
        skewed.zeros = Some(11);
        let found = kinds(&TableFacts {
            rows: 100,
            columns: vec![skewed],
            ..TableFacts::default()
        });
        assert_eq!(
            found,
            [
                (AlertKind::Skewed, Some("s".into())),
                (AlertKind::Zeros, Some("s".into()))
            ]
        );
    }

    #[test]
    fn a_flag_is_not_zeros_nor_skewed() {
        // A 0/1 column, 1 in one row of 1000: ydata-profiling takes it as categorical.
        let mut flag = column("flag", 1000, 1000);
        (flag.distinct, flag.zeros, flag.skewness) = (Some(2), Some(999), Some(31.6));
        let table = TableFacts {
            rows: 1000,
            columns: vec![flag],
            ..TableFacts::default()
        };
        assert!(kinds(&table).is_empty());
    }

    #[test]
    fn high_cardinality_needs_both_the_share_and_the_count() {
        let mut title = column("title", 1000, 1000);
        title.text = true;
        title.distinct = Some(900);
        let table = |c: ColumnFacts| TableFacts {
            rows: c.rows,
            columns: vec![c],
            ..TableFacts::default()
        };
        assert_eq!(
            kinds(&table(title.clone())),
            [(AlertKind::HighCardinality, Some("title".into()))]
        );
        // 60 distinct of 100 rows: over half, but fewer than 100 values.
        let mut few = column("few", 100, 100);
        few.text = true;
        few.distinct = Some(60);
        assert!(kinds(&table(few)).is_empty());
        // All distinct: unique, not high cardinality.
        title.distinct = Some(1000);
        assert_eq!(
            kinds(&table(title)),
            [(AlertKind::Unique, Some("title".into()))]
        );
    }

    #[test]
    fn the_table_and_pair_alerts() {
        let table = TableFacts {
            rows: 10,
            columns: vec![],
            duplicates: Some(2),
            correlations: vec![
                ("a".into(), "b".into(), -0.95),
                ("a".into(), "c".into(), 0.9),
            ],
            target_classes: Some(("y".into(), vec![97, 2, 1])),
            removed_values: vec![("flag".into(), "1".into(), 20)],
        };
        let found = alerts(&table, &AlertThresholds::default());
        let kinds: Vec<_> = found.iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            [
                AlertKind::Duplicates,
                AlertKind::HighCorrelation,
                AlertKind::Imbalance,
                AlertKind::RuleRemovesCategory
            ]
        );
        assert_eq!(
            found[0].message,
            "has 2 rows (20.0%) that repeat an earlier row"
        );
        assert_eq!(found[1].other.as_deref(), Some("b"));
    }

    #[test]
    fn imbalance_is_one_minus_the_normalised_entropy() {
        assert_eq!(imbalance(&[5]), None);
        assert!(imbalance(&[50, 50]).unwrap().abs() < 1e-15);
        // scipy.stats.entropy([90, 10]) / log(2) = 0.4689955935892812
        let score = imbalance(&[90, 10]).unwrap();
        assert!(
            (score - (1.0 - 0.468_995_593_589_281_2)).abs() < 1e-12,
            "{score}"
        );
    }

    #[test]
    fn brisks_own_text_alerts() {
        let mut c = column("kind", 100, 100);
        c.text = true;
        c.distinct = Some(4);
        c.numeric_like = Some(96);
        c.case_variants = vec![vec!["Retail".into(), "retail".into()]];
        c.padded = Some(3);
        let found = alerts(
            &TableFacts {
                rows: 100,
                columns: vec![c],
                ..TableFacts::default()
            },
            &AlertThresholds::default(),
        );
        let kinds: Vec<_> = found.iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            [
                AlertKind::NumbersAsText,
                AlertKind::CaseVariants,
                AlertKind::Padded
            ]
        );
        assert!(found[1].message.contains("Retail / retail"));
        assert!(kinds.iter().all(|k| !k.in_ydata()));
    }
}
