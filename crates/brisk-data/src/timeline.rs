//! A date-time column's histogram over time: how many values fall in each calendar period
//! (second, minute, hour, day, week, month, year, decade, century or millennium), the period
//! chosen so that the span from the first to the last value takes at most [`MAX_BARS`] of them.
//!
//! This is pandas' `s.dt.to_period(unit).value_counts().sort_index()`, with the empty periods
//! between the first and the last filled in with 0 (a period index over the whole span). Weeks
//! start on Monday (pandas' `W`, whose periods run Monday to Sunday), decades, centuries and
//! millennia at years divisible by 10, 100 and 1000.
//!
//! [`PeriodCounts`] is the mergeable accumulator: it counts values by period at the finest unit
//! the values seen so far allow, moving to a coarser one (every period of which is a union of
//! finer ones, so the counts stay exact) when it holds more than [`MAX_KEYS`] periods. The chosen
//! unit depends only on the first and last value, so the histogram does not depend on how the
//! values were split into batches or merged.
//!
//! ```
//! use brisk_data::timeline::{Period, PeriodCounts};
//! let day = 86_400.0;
//! let mut counts = PeriodCounts::new();
//! // 2021-01-01, 2021-01-02 (twice) and 2021-01-10, in seconds since the epoch: more than 100
//! // hours apart, so counted by the day.
//! counts.add_slice(&[18_628.0 * day, 18_629.0 * day, 18_629.5 * day, 18_637.0 * day]);
//! let timeline = counts.finish().unwrap();
//! assert_eq!(timeline.unit, Period::Day);
//! assert_eq!(timeline.periods.len(), 10);
//! assert_eq!(&timeline.periods[..2], ["2021-01-01", "2021-01-02"]);
//! assert_eq!(timeline.counts, [1, 2, 0, 0, 0, 0, 0, 0, 0, 1]);
//! ```

use foldhash::{HashMap, HashMapExt};
use serde::{Deserialize, Serialize};

use crate::dates::{civil_from_days, days_from_civil, DAY};

/// The most periods a histogram shows.
pub const MAX_BARS: usize = 100;

/// The most periods [`PeriodCounts`] holds before it moves to a coarser unit; at least
/// [`MAX_BARS`], so that it never moves past the unit the histogram will show.
pub const MAX_KEYS: usize = 4096;

/// A calendar unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// One second.
    Second,
    /// One minute.
    Minute,
    /// One hour.
    Hour,
    /// One day.
    Day,
    /// Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
    /// A calendar year.
    Year,
    /// Ten years from a year divisible by 10.
    Decade,
    /// A hundred years from a year divisible by 100.
    Century,
    /// A thousand years from a year divisible by 1000.
    Millennium,
}

impl Period {
    /// The unit's name, as the JSON output writes it: `second`, `minute`, …, `millennium`.
    pub fn name(self) -> &'static str {
        match self {
            Period::Second => "second",
            Period::Minute => "minute",
            Period::Hour => "hour",
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
            Period::Decade => "decade",
            Period::Century => "century",
            Period::Millennium => "millennium",
        }
    }

    /// The units values are counted in: each period is a union of periods of the unit before.
    /// (Weeks are not: a week may straddle two months.)
    const COUNTED: [Period; 9] = [
        Period::Second,
        Period::Minute,
        Period::Hour,
        Period::Day,
        Period::Month,
        Period::Year,
        Period::Decade,
        Period::Century,
        Period::Millennium,
    ];

    /// The units a histogram may show, finest first.
    const SHOWN: [Period; 10] = [
        Period::Second,
        Period::Minute,
        Period::Hour,
        Period::Day,
        Period::Week,
        Period::Month,
        Period::Year,
        Period::Decade,
        Period::Century,
        Period::Millennium,
    ];

    /// The number of the period that holds `seconds` since the epoch (floored).
    fn of_seconds(self, seconds: f64) -> i64 {
        let s = seconds.floor() as i64;
        let days = s.div_euclid(DAY);
        let year = || civil_from_days(days).0;
        match self {
            Period::Second => s,
            Period::Minute => s.div_euclid(60),
            Period::Hour => s.div_euclid(3600),
            Period::Day => days,
            // 1970-01-01 was a Thursday: Monday 1969-12-29 starts week 0.
            Period::Week => (days + 3).div_euclid(7),
            Period::Month => {
                let (y, m, _) = civil_from_days(days);
                y * 12 + i64::from(m) - 1
            }
            Period::Year => year(),
            Period::Decade => year().div_euclid(10),
            Period::Century => year().div_euclid(100),
            Period::Millennium => year().div_euclid(1000),
        }
    }

    /// The first second of period `k`.
    fn start(self, k: i64) -> i64 {
        let year_start = |y: i64| days_from_civil(y, 1, 1) * DAY;
        match self {
            Period::Second => k,
            Period::Minute => k * 60,
            Period::Hour => k * 3600,
            Period::Day => k * DAY,
            Period::Week => (k * 7 - 3) * DAY,
            Period::Month => {
                let month = u32::try_from(k.rem_euclid(12)).expect("below 12") + 1;
                days_from_civil(k.div_euclid(12), month, 1) * DAY
            }
            Period::Year => year_start(k),
            Period::Decade => year_start(k * 10),
            Period::Century => year_start(k * 100),
            Period::Millennium => year_start(k * 1000),
        }
    }

    /// How period `k` is written, as pandas prints a `Period` of the unit (a week by its
    /// Monday, a decade, century or millennium by its first year).
    fn label(self, k: i64) -> String {
        let s = self.start(k);
        let (y, m, d) = civil_from_days(s.div_euclid(DAY));
        let clock = s.rem_euclid(DAY);
        let (h, min, sec) = (clock / 3600, clock / 60 % 60, clock % 60);
        match self {
            Period::Second => format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{sec:02}"),
            Period::Minute | Period::Hour => format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}"),
            Period::Day | Period::Week => format!("{y:04}-{m:02}-{d:02}"),
            Period::Month => format!("{y:04}-{m:02}"),
            Period::Year | Period::Decade | Period::Century | Period::Millennium => {
                format!("{y:04}")
            }
        }
    }

    /// The number of the period of unit `coarser` that holds period `k` of this unit.
    fn widen(self, k: i64, coarser: Period) -> i64 {
        coarser.of_seconds(self.start(k) as f64)
    }
}

/// Counts of a date-time column's values by calendar period; see the [module](self).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PeriodCounts {
    unit: Period,
    counts: HashMap<i64, u64>,
}

impl Default for PeriodCounts {
    fn default() -> Self {
        PeriodCounts::new()
    }
}

impl PeriodCounts {
    /// No values yet, counted by the second.
    pub fn new() -> Self {
        PeriodCounts {
            unit: Period::Second,
            counts: HashMap::new(),
        }
    }

    /// Counts values (seconds since the epoch); NaN and infinities are skipped.
    pub fn add_slice(&mut self, seconds: &[f64]) {
        // Runs of one period (sorted or clustered data) cost one lookup.
        let mut run: Option<(i64, u64)> = None;
        for &x in seconds.iter().filter(|x| x.is_finite()) {
            let k = self.unit.of_seconds(x);
            match &mut run {
                Some((key, n)) if *key == k => *n += 1,
                _ => {
                    if let Some((key, n)) = run.replace((k, 1)) {
                        *self.counts.entry(key).or_insert(0) += n;
                        if self.counts.len() > MAX_KEYS {
                            self.coarsen();
                            // The run's key is of the old unit.
                            run = Some((self.unit.of_seconds(x), 1));
                        }
                    }
                }
            }
        }
        if let Some((key, n)) = run {
            *self.counts.entry(key).or_insert(0) += n;
            if self.counts.len() > MAX_KEYS {
                self.coarsen();
            }
        }
    }

    /// Adds another column part's counts.
    pub fn merge(&mut self, mut other: PeriodCounts) {
        while other.unit < self.unit {
            other.coarsen();
        }
        while self.unit < other.unit {
            self.coarsen();
        }
        for (k, n) in other.counts {
            *self.counts.entry(k).or_insert(0) += n;
        }
        if self.counts.len() > MAX_KEYS {
            self.coarsen();
        }
    }

    /// Moves to the next coarser counted unit until at most [`MAX_KEYS`] periods are held.
    fn coarsen(&mut self) {
        loop {
            let at = Period::COUNTED.iter().position(|&u| u == self.unit);
            let Some(&next) = at.and_then(|i| Period::COUNTED.get(i + 1)) else {
                return;
            };
            let mut coarser = HashMap::with_capacity(self.counts.len() / 8 + 1);
            for (&k, &n) in &self.counts {
                *coarser.entry(self.unit.widen(k, next)).or_insert(0) += n;
            }
            self.unit = next;
            self.counts = coarser;
            if self.counts.len() <= MAX_KEYS {
                return;
            }
        }
    }

    /// The histogram: the finest unit whose periods from the first value's to the last's number
    /// at most [`MAX_BARS`], and every such period's count. `None` without a value, or when the
    /// values span more than [`MAX_BARS`] millennia.
    pub fn finish(self) -> Option<Timeline> {
        let first = *self.counts.keys().min()?;
        let last = *self.counts.keys().max()?;
        let (unit, lo, hi) = Period::SHOWN
            .into_iter()
            .filter(|&u| u >= self.unit && (u != Period::Week || self.unit <= Period::Day))
            .map(|u| (u, self.unit.widen(first, u), self.unit.widen(last, u)))
            .find(|&(_, lo, hi)| hi - lo < MAX_BARS as i64)?;
        let bars = usize::try_from(hi - lo + 1).expect("at most MAX_BARS");
        let mut counts = vec![0u64; bars];
        for (&k, &n) in &self.counts {
            let at = usize::try_from(self.unit.widen(k, unit) - lo).expect("within the span");
            counts[at] += n;
        }
        Some(Timeline {
            unit,
            periods: (lo..=hi).map(|k| unit.label(k)).collect(),
            counts,
        })
    }
}

/// A histogram over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    /// The period of each bar.
    pub unit: Period,
    /// Each period, from the first value's to the last's, as pandas prints it.
    pub periods: Vec<String>,
    /// How many values fall in each period.
    pub counts: Vec<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_F: f64 = 86_400.0;

    fn timeline(values: &[f64]) -> Timeline {
        let mut counts = PeriodCounts::new();
        counts.add_slice(values);
        counts.finish().unwrap()
    }

    /// A plain reference: the finest shown unit whose span fits, and a count per period.
    fn reference(values: &[f64]) -> Timeline {
        let finite: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let unit = Period::SHOWN
            .into_iter()
            .find(|u| u.of_seconds(hi) - u.of_seconds(lo) < MAX_BARS as i64)
            .unwrap_or(Period::Millennium);
        let (first, last) = (unit.of_seconds(lo), unit.of_seconds(hi));
        let mut counts = vec![0; (last - first + 1) as usize];
        for &x in &finite {
            counts[(unit.of_seconds(x) - first) as usize] += 1;
        }
        Timeline {
            unit,
            periods: (first..=last).map(|k| unit.label(k)).collect(),
            counts,
        }
    }

    #[test]
    fn the_unit_is_the_finest_whose_span_fits() {
        // 2021-03-01 00:00:00 in seconds.
        let t0 = 18_687.0 * DAY_F;
        let cases: [(&[f64], Period, &str); 8] = [
            (&[t0, t0 + 59.0], Period::Second, "2021-03-01 00:00:00"),
            (&[t0, t0 + 3000.0], Period::Minute, "2021-03-01 00:00"),
            (
                &[t0 + 7200.0, t0 + 3.0 * DAY_F],
                Period::Hour,
                "2021-03-01 02:00",
            ),
            (&[t0, t0 + 60.0 * DAY_F], Period::Day, "2021-03-01"),
            (
                &[t0 + 2.0 * DAY_F, t0 + 300.0 * DAY_F],
                Period::Week,
                "2021-03-01",
            ),
            (&[t0, t0 + 2000.0 * DAY_F], Period::Month, "2021-03"),
            (&[t0, t0 + 30_000.0 * DAY_F], Period::Year, "2021"),
            (&[-1e11, t0], Period::Century, "-1200"),
        ];
        for (values, unit, first) in cases {
            let got = timeline(values);
            assert_eq!(
                (got.unit, got.periods[0].as_str()),
                (unit, first),
                "{values:?}"
            );
            assert_eq!(got, reference(values));
        }
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_months_follow_the_calendar() {
        // Sunday 2021-02-28 and Monday 2021-03-01 fall in two weeks.
        let got = timeline(&[18_686.0 * DAY_F, 18_687.0 * DAY_F, 18_800.0 * DAY_F]);
        assert_eq!(got.unit, Period::Week);
        assert_eq!(&got.periods[..2], ["2021-02-22", "2021-03-01"]);
        assert_eq!(&got.counts[..2], [1, 1]);
        // 2020 is a leap year: 2020-02-29 is in February, 2020-03-01 in March.
        let feb29 = 18_321.0 * DAY_F;
        let got = timeline(&[feb29, feb29 + DAY_F, feb29 + 800.0 * DAY_F]);
        assert_eq!(
            (got.unit, &got.periods[..2]),
            (
                Period::Month,
                &["2020-02".to_owned(), "2020-03".to_owned()][..]
            )
        );
        assert_eq!(&got.counts[..2], [1, 1]);
    }

    /// Seeded values spread over spans from minutes to centuries, with NaN among them.
    fn seeded(seed: u64, n: usize) -> Vec<f64> {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let span = [3_600.0, 90.0 * DAY_F, 5_000.0 * DAY_F, 3e9, 5e10][(seed % 5) as usize];
        let base = -2e9 + (next() % 4_000_000_000) as f64;
        (0..n)
            .map(|i| {
                if i % 17 == 0 {
                    f64::NAN
                } else {
                    base + (next() % 1_000_000) as f64 / 1e6 * span
                }
            })
            .collect()
    }

    #[test]
    fn counts_equal_a_plain_reference_on_seeded_values() {
        for seed in 0..40 {
            let values = seeded(seed, 20_000);
            assert_eq!(timeline(&values), reference(&values), "seed {seed}");
        }
    }

    #[test]
    fn any_split_and_merge_order_gives_the_same_histogram() {
        for seed in 0..25 {
            let values = seeded(seed, 12_000);
            let whole = timeline(&values);
            for parts in [2, 3, 7] {
                let size = values.len().div_ceil(parts);
                let mut pieces: Vec<PeriodCounts> = values
                    .chunks(size)
                    .map(|chunk| {
                        let mut c = PeriodCounts::new();
                        c.add_slice(chunk);
                        c
                    })
                    .collect();
                pieces.reverse();
                let mut merged = PeriodCounts::new();
                for piece in pieces {
                    merged.merge(piece);
                }
                assert_eq!(
                    merged.finish().unwrap(),
                    whole,
                    "seed {seed}, {parts} parts"
                );
            }
        }
    }

    #[test]
    fn no_finite_value_gives_no_histogram() {
        let mut counts = PeriodCounts::new();
        counts.add_slice(&[f64::NAN, f64::INFINITY]);
        assert!(counts.finish().is_none());
    }
}
