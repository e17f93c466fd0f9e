//! Category axes of the many-column charts (heatmaps, the nullity matrix, the missing-value bars):
//! which labels to show when the columns are crowded, how large a canvas grows with the columns,
//! and labels written across or turned upwards beside a row of cells.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;

use super::text;
use super::{Canvas, ChartError};

/// The fewest pixels between two shown labels of a category axis: below this, labels are thinned.
pub(crate) const MIN_LABEL_PITCH: f64 = 9.0;

/// Every how many categories a label is shown so that shown labels are at least `min_pitch` pixels
/// apart, when consecutive categories are `pitch` pixels apart: `ceil(min_pitch / pitch)`, at least
/// 1 and at most `count` (then only the first label is shown).
pub(crate) fn label_step(count: usize, pitch: f64, min_pitch: f64) -> usize {
    if count <= 1 || pitch >= min_pitch {
        return 1;
    }
    if pitch <= 0.0 || !pitch.is_finite() {
        return count;
    }
    ((min_pitch / pitch).ceil() as usize).clamp(1, count)
}

/// `base + per * count`, kept within `low..=high`: a canvas side that grows with the categories.
pub(crate) fn grown(count: usize, base: u32, per: u32, (low, high): (u32, u32)) -> u32 {
    let wanted = u64::from(base) + u64::from(per) * count as u64;
    wanted.clamp(u64::from(low), u64::from(high)) as u32
}

/// Which side of a row of cells its labels go, and whether they are turned upwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// Below the cells, written across (centred under each cell).
    BelowAcross,
    /// Below the cells, turned upwards, ending at the cells.
    BelowTurned,
    /// Above the cells, turned upwards, starting at the cells.
    AboveTurned,
}

/// A row of column labels: the first cell's centre, the distance between cells, where the labels
/// start (the cells' edge plus a gap), how they are placed, and how long a label may be.
pub(crate) struct LabelRow {
    pub(crate) first_center: i32,
    pub(crate) pitch: f64,
    pub(crate) edge: i32,
    pub(crate) placement: Placement,
    pub(crate) max_length: i32,
}

impl LabelRow {
    /// Draws every `step`-th of `names` (from the first), shortened with "…" to `max_length`.
    pub(crate) fn draw<DB: Canvas, S: AsRef<str>>(
        &self,
        area: &DrawingArea<DB, Shift>,
        names: &[S],
        style: &TextStyle<'static>,
        step: usize,
    ) -> Result<(), ChartError> {
        let anchored =
            match self.placement {
                Placement::BelowAcross => text::anchored(style, HPos::Center, VPos::Top),
                Placement::BelowTurned => text::anchored(style, HPos::Right, VPos::Center)
                    .transform(FontTransform::Rotate270),
                Placement::AboveTurned => text::anchored(style, HPos::Left, VPos::Center)
                    .transform(FontTransform::Rotate270),
            };
        for (k, name) in names.iter().enumerate().step_by(step.max(1)) {
            let x = self.first_center + (k as f64 * self.pitch).round() as i32;
            let shown = text::fit(area, name.as_ref(), style, self.max_length)?;
            text::draw(area, &shown, &anchored, (x, self.edge))?;
        }
        Ok(())
    }
}

/// `count` with a comma between groups of three digits: `1,234,567`.
pub(crate) fn grouped(count: u64) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, digit) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
