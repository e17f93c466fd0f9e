//! The running summary of one column: numeric until a value that is neither null nor a number turns
//! it into text (pandas' rule), with its values kept for exact quantiles while the memory budget
//! allows and summarised by a sketch after.

use brisk_kernels::stats::{
    exact_quantiles, Convention, InputChanged, Moments, QuantileBracket, QuantileSketch,
};

use super::text::TextCounts;
use super::{CategoricalSummary, NumericSummary, Summary, QUARTILES};
use crate::value::{classify, is_null_token, Value};

/// Where a numeric column's values go.
#[derive(Debug)]
pub(crate) enum Values {
    /// Every value, for exact selection at the end.
    Kept(Vec<f64>),
    /// A sketch; exact quantiles then need a second pass.
    Sketched(QuantileSketch),
}

#[derive(Debug)]
pub(crate) struct NumericState {
    moments: Moments,
    min: f64,
    max: f64,
    pub(crate) values: Values,
}

impl NumericState {
    fn new(values: Values) -> Self {
        NumericState {
            moments: Moments::new(),
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            values,
        }
    }

    fn absorb(&mut self, block: BlockSummary) {
        self.moments.merge(&block.moments);
        self.min = self.min.min(block.min);
        self.max = self.max.max(block.max);
    }
}

/// The moments and range of one block of values.
struct BlockSummary {
    moments: Moments,
    min: f64,
    max: f64,
}

impl BlockSummary {
    fn of(values: &[f64]) -> Self {
        let (min, max) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                (lo.min(x), hi.max(x))
            });
        BlockSummary {
            moments: Moments::from_slice(values),
            min,
            max,
        }
    }
}

/// The summary of one column as it is being read.
#[derive(Debug)]
pub(crate) struct ColumnState {
    pub(crate) name: String,
    nulls: u64,
    pub(crate) numeric: Option<NumericState>,
    text: Option<TextCounts>,
    /// Rows before this one were read as numbers before the column turned out to be text; their
    /// text must be counted in a second pass.
    pub(crate) text_from_row: u64,
    rescan_text: bool,
    /// A chunk's numbers while the column is sketched.
    scratch: Vec<f64>,
}

impl ColumnState {
    pub(crate) fn new(name: String, sketched: bool) -> Self {
        let values = if sketched {
            Values::Sketched(QuantileSketch::new(QuantileSketch::DEFAULT_K))
        } else {
            Values::Kept(Vec::new())
        };
        ColumnState {
            name,
            nulls: 0,
            numeric: Some(NumericState::new(values)),
            text: None,
            text_from_row: 0,
            rescan_text: false,
            scratch: Vec::new(),
        }
    }

    /// The kept values, while they are kept.
    pub(crate) fn kept_mut(&mut self) -> Option<&mut Vec<f64>> {
        match &mut self.numeric {
            Some(NumericState {
                values: Values::Kept(kept),
                ..
            }) => Some(kept),
            _ => None,
        }
    }

    /// Moves kept values into a sketch, freeing them.
    pub(crate) fn start_sketching(&mut self) {
        if let Some(state) = &mut self.numeric {
            if let Values::Kept(kept) = &state.values {
                let mut sketch = QuantileSketch::new(QuantileSketch::DEFAULT_K);
                kept.iter().for_each(|&x| sketch.add(x));
                state.values = Values::Sketched(sketch);
            }
        }
    }

    /// Reads one column of a chunk whose first row is data row `first_row`.
    pub(crate) fn add_fields<'a>(
        &mut self,
        fields: impl Iterator<Item = &'a [u8]>,
        first_row: u64,
    ) {
        let scratch = &mut self.scratch;
        let mut fields = fields.enumerate();
        if let Some(state) = &mut self.numeric {
            let buffer = match &mut state.values {
                Values::Kept(kept) => kept,
                Values::Sketched(_) => {
                    scratch.clear();
                    &mut *scratch
                }
            };
            let start = buffer.len();
            let mut turned_text_at = None;
            for (i, field) in fields.by_ref() {
                match classify(field) {
                    Value::Number(x) => buffer.push(x),
                    Value::Null => self.nulls += 1,
                    Value::Text(_) => {
                        turned_text_at = Some((i, field));
                        break;
                    }
                }
            }
            match turned_text_at {
                None => {
                    let block = BlockSummary::of(&buffer[start..]);
                    state.absorb(block);
                    if let Values::Sketched(sketch) = &mut state.values {
                        scratch.iter().for_each(|&x| sketch.add(x));
                    }
                    return;
                }
                Some((i, field)) => {
                    let had_numbers = state.moments.count() > 0 || buffer.len() > start;
                    self.numeric = None;
                    self.text_from_row = first_row + i as u64;
                    self.rescan_text = had_numbers;
                    let mut counts = TextCounts::default();
                    counts.add(field, self.text_from_row);
                    self.text = Some(counts);
                }
            }
        }
        let counts = self.text.as_mut().expect("a column is numeric or text");
        for (i, field) in fields {
            if is_null_token(field) {
                self.nulls += 1;
            } else {
                counts.add(field, first_row + i as u64);
            }
        }
    }

    /// Reads numbers, NaN meaning missing (a `.npy` or Parquet column).
    pub(crate) fn add_numbers(&mut self, values: impl IntoIterator<Item = f64>) {
        let state = self.numeric.as_mut().expect("a numeric column");
        let Values::Kept(kept) = &mut state.values else {
            unreachable!("in-memory inputs keep their values")
        };
        let start = kept.len();
        let mut total = 0usize;
        kept.extend(
            values
                .into_iter()
                .inspect(|_| total += 1)
                .filter(|x| !x.is_nan()),
        );
        self.nulls += (total - (kept.len() - start)) as u64;
        let block = BlockSummary::of(&kept[start..]);
        state.absorb(block);
    }

    /// Reads text values, `None` meaning missing (a Parquet column).
    pub(crate) fn add_texts<'a>(&mut self, values: impl Iterator<Item = Option<&'a str>>) {
        self.numeric = None;
        let counts = self.text.get_or_insert_with(TextCounts::default);
        for (row, value) in values.enumerate() {
            match value {
                Some(v) => counts.add(v.as_bytes(), row as u64),
                None => self.nulls += 1,
            }
        }
    }

    /// Whether a second pass must count the text of the rows read as numbers.
    pub(crate) fn needs_text_rescan(&self) -> bool {
        self.rescan_text
    }

    /// Counts, in the second pass, the text of a row read as a number in the first.
    #[inline]
    pub(crate) fn rescan_field(&mut self, field: &[u8], row: u64) {
        if !is_null_token(field) {
            let counts = self.text.as_mut().expect("a text column");
            counts.add(field, row);
        }
    }

    /// The finished summary. `bracket` holds the second pass of a sketched column when exact
    /// quantiles were asked for.
    pub(crate) fn finish(
        self,
        convention: Convention,
        bracket: Option<QuantileBracket>,
    ) -> Result<(Summary, Option<f64>), InputChanged> {
        let Some(state) = self.numeric else {
            let counts = self.text.unwrap_or_default();
            let top = counts.top();
            let count = counts.total();
            return Ok((
                Summary::Categorical(CategoricalSummary {
                    count,
                    null_count: self.nulls,
                    unique: counts.unique(),
                    freq: top.as_ref().map(|t| t.1),
                    top: top.map(|t| t.0),
                }),
                None,
            ));
        };
        let m = state.moments;
        let (quartiles, rank_error) = match (state.values, bracket) {
            (_, Some(bracket)) => (bracket.quantiles()?, None),
            (Values::Kept(mut kept), None) => (exact_quantiles(&mut kept, &QUARTILES), None),
            (Values::Sketched(sketch), None) => (
                sketch.quantiles(&QUARTILES),
                Some(sketch.normalized_rank_error()),
            ),
        };
        let quartile = |i: usize| quartiles.as_ref().map(|q| q[i]);
        let any = m.count() > 0;
        let summary = NumericSummary {
            count: m.count(),
            null_count: self.nulls,
            mean: m.mean(),
            std: m.std(convention),
            min: any.then_some(state.min),
            q25: quartile(0),
            median: quartile(1),
            q75: quartile(2),
            max: any.then_some(state.max),
            skewness: m.skewness(convention),
            kurtosis: m.kurtosis(convention),
            rank_error,
        };
        Ok((Summary::Numeric(summary), rank_error))
    }
}
