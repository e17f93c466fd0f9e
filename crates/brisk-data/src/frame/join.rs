//! Joins of two tables (`brisk join`, exercise B.6).
//!
//! Keys compare by value when both key columns are numeric (`3` equals `3.0`) and by text when
//! both are text; a numeric key against a text key is an error, as in pandas. Null keys never
//! match. The count join keeps every left row, in order, and adds how many right rows share its
//! key (0 when none) — `left.merge(right.groupby(key).size(), how="left").fillna(0)`. The
//! relational join is `left.merge(right, left_on, right_on, how, suffixes=("", "_right"))`: left
//! rows in order, each followed by its matches in right order.

use crate::value::bool_text;
use foldhash::{HashMap, HashMapExt};

use polars::prelude::*;
use polars_arrow::array::Array;

use super::read::{unknown_column, LoadedFrame};
use super::rows::number_bits;
use super::write::{write_gathered_csv, GatheredColumn};
use crate::csv::Chunks;
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::hint::prefetch;
use crate::input::{Format, Input};
use crate::value::{from_decimal_comma, is_null_token, parse_number};

/// Which left rows a relational join keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Every left row; right columns null where nothing matches.
    Left,
    /// Only left rows with a match.
    Inner,
}

/// A join key's value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key<'a> {
    Number(u64),
    Text(&'a str),
}

/// The kind of a key column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Numeric,
    Text,
}

fn key_kind(column: &Column) -> KeyKind {
    if column.dtype().is_primitive_numeric() {
        KeyKind::Numeric
    } else {
        KeyKind::Text
    }
}

/// A key column's values, `None` for null; a boolean key is its text, `True` or `False`, as
/// pandas compares a bool key with a text one.
fn keys_of(column: &Column) -> Vec<Option<Key<'_>>> {
    if let Ok(bools) = column.bool() {
        return bools
            .iter()
            .map(|b| b.map(|b| Key::Text(bool_text(b))))
            .collect();
    }
    match column.str() {
        Ok(text) => text.iter().map(|t| t.map(Key::Text)).collect(),
        Err(_) => {
            let floats = column
                .cast(&DataType::Float64)
                .expect("a numeric column casts to Float64");
            let floats = floats.f64().expect("Float64");
            floats
                .iter()
                .map(|v| {
                    v.filter(|x| !x.is_nan())
                        .map(|x| Key::Number(number_bits(Some(x))))
                })
                .collect()
        }
    }
}

fn check_kinds(left: (&str, &str, KeyKind), right: (&str, &str, KeyKind)) -> Result<()> {
    if left.2 == right.2 {
        return Ok(());
    }
    let describe = |k: KeyKind| match k {
        KeyKind::Numeric => "numbers",
        KeyKind::Text => "text",
    };
    Err(DataError::new(
        ErrorKind::InvalidArgument,
        Location::source(right.0),
        format!(
            "the key {:?} of {} holds {} but the key {:?} here holds {}; keys must both be numbers or both text",
            left.1,
            left.0,
            describe(left.2),
            right.1,
            describe(right.2)
        ),
    ))
}

/// The count join: `left` with a column `name` counting the rows of `right` (read as a stream,
/// only its key column) whose key equals each left row's.
///
/// ```
/// use brisk_data::frame::{count_join, read_frame};
/// use brisk_data::input::{Format, Input};
/// let users = Input::from_reader("user_id,name\n1,ada\n2,bob\n3,cy\n".as_bytes(), "u.csv", Format::Csv).unwrap();
/// let events = Input::from_reader("event_id,user_id\n10,1\n11,3.0\n12,1\n13,9\n".as_bytes(), "e.csv", Format::Csv).unwrap();
/// let joined = count_join(&read_frame(&users).unwrap(), "user_id", &events, "user_id", "n_events").unwrap();
/// let counts: Vec<Option<i64>> = joined.column("n_events").unwrap().i64().unwrap().iter().collect();
/// assert_eq!(counts, [Some(2), Some(0), Some(1)]);
/// ```
pub fn count_join(
    left: &LoadedFrame,
    left_on: &str,
    right: &Input,
    right_on: &str,
    name: &str,
) -> Result<DataFrame> {
    let left_key = &left.frame.columns()[left.column_index(left_on, "--on")?];
    if left.frame.column(name).is_ok() {
        return Err(DataError::new(
            ErrorKind::InvalidArgument,
            Location::source("--count"),
            format!(
                "{} already has a column {name:?}; choose another --count name",
                left.source
            ),
        ));
    }
    let counts = right_key_counts(right, right_on)?;
    let right_kind = match counts {
        KeyCounts::Numbers(_) => KeyKind::Numeric,
        KeyCounts::Texts(_) => KeyKind::Text,
    };
    check_kinds(
        (&left.source, left_on, key_kind(left_key)),
        (right.name(), right_on, right_kind),
    )?;
    let count_of = |key: Key<'_>| -> u64 {
        match (&counts, key) {
            (KeyCounts::Numbers(counter), Key::Number(bits)) => counter.get(bits),
            (KeyCounts::Texts(map), Key::Text(text)) => {
                map.get(text.as_bytes()).copied().unwrap_or(0)
            }
            _ => 0,
        }
    };
    let values = keys_of(left_key)
        .into_iter()
        .map(|key| key.map_or(0, count_of) as i64);
    let column = Int64Chunked::from_iter_values(PlSmallStr::from(name), values).into_column();
    let mut joined = left.frame.clone();
    joined.with_column(column).map_err(|e| {
        DataError::new(
            ErrorKind::InvalidArgument,
            Location::source(&left.source),
            e.to_string(),
        )
    })?;
    Ok(joined)
}

/// How many right rows have each key: by value when the key column is numeric, by text when
/// it is not.
enum KeyCounts {
    Numbers(NumberCounter),
    Texts(HashMap<Box<[u8]>, u64>),
}

/// Counts the right table's keys, reading only the key column. The first pass assumes a numeric
/// key; the first text value stops it and a second pass counts by text.
fn right_key_counts(right: &Input, right_on: &str) -> Result<KeyCounts> {
    if !matches!(right.format(), Format::Csv | Format::Tsv) {
        let loaded = super::read_frame(right)?;
        let column = &loaded.frame.columns()[loaded.column_index(right_on, "--right-on")?];
        let keys = keys_of(column).into_iter().flatten();
        return Ok(if key_kind(column) == KeyKind::Numeric {
            let mut counter = NumberCounter::default();
            for key in keys {
                if let Key::Number(bits) = key {
                    counter.add(f64::from_bits(bits));
                }
            }
            KeyCounts::Numbers(counter)
        } else {
            let mut map: HashMap<Box<[u8]>, u64> = HashMap::new();
            for key in keys {
                if let Key::Text(text) = key {
                    *map.entry(text.as_bytes().into()).or_insert(0) += 1;
                }
            }
            KeyCounts::Texts(map)
        });
    }
    if let Some(numbers) = count_csv_keys(right, right_on, true)? {
        return Ok(numbers);
    }
    Ok(count_csv_keys(right, right_on, false)?.expect("a text pass always finishes"))
}

/// One pass over the right CSV's key column; `None` when `numeric` and a key is text.
fn count_csv_keys(right: &Input, right_on: &str, numeric: bool) -> Result<Option<KeyCounts>> {
    let reader = right.csv(65_536)?;
    let header = reader.header().to_vec();
    let column = header
        .iter()
        .position(|h| h == right_on)
        .ok_or_else(|| unknown_column(right.name(), right_on, "--right-on", &header))?;
    let mut chunks = Chunks::new(reader, rayon::current_num_threads());
    let mut numbers = NumberCounter::default();
    let mut batch: Vec<f64> = Vec::new();
    let mut texts: HashMap<Box<[u8]>, u64> = HashMap::new();
    let mut rewritten = Vec::new();
    while let Some(parsed) = chunks.next_chunk()? {
        batch.clear();
        for field in parsed.chunk.column(column) {
            if is_null_token(field) {
                continue;
            }
            if !numeric {
                match texts.get_mut(field) {
                    Some(n) => *n += 1,
                    None => {
                        texts.insert(field.into(), 1);
                    }
                }
                continue;
            }
            let number = if parsed.chunk.decimal_comma() {
                from_decimal_comma(field, &mut rewritten)
            } else {
                field
            };
            let Some(x) = parse_number(number) else {
                return Ok(None);
            };
            batch.push(x);
        }
        numbers.add_all(&batch);
        chunks.recycle(parsed.chunk);
    }
    Ok(Some(if numeric {
        KeyCounts::Numbers(numbers)
    } else {
        KeyCounts::Texts(texts)
    }))
}

/// Counts of numeric keys: a dense array over the keys' range while they are integers spread
/// over a range not much wider than their number (ids), a hash map otherwise.
enum NumberCounter {
    Dense {
        base: i64,
        counts: Vec<u64>,
        added: u64,
    },
    Hashed(HashMap<u64, u64>),
}

impl Default for NumberCounter {
    fn default() -> Self {
        NumberCounter::Dense {
            base: 0,
            counts: Vec::new(),
            added: 0,
        }
    }
}

/// The widest range a dense counter covers whatever the number of keys (8 MiB of counts).
const DENSE_FLOOR: usize = 1 << 20;

impl NumberCounter {
    fn add(&mut self, x: f64) {
        if let NumberCounter::Dense {
            base,
            counts,
            added,
        } = self
        {
            if let Some(k) = integer_key(x) {
                let i = k.wrapping_sub(*base);
                if (0..counts.len() as i64).contains(&i) {
                    counts[i as usize] += 1;
                    *added += 1;
                    return;
                }
                let (lo, hi) = if counts.is_empty() {
                    (k, k)
                } else {
                    (k.min(*base), k.max(*base + counts.len() as i64 - 1))
                };
                let span = (hi - lo) as u64 + 1;
                if span <= (DENSE_FLOOR as u64).max(4 * (*added + 1)) {
                    let mut grown = vec![0u64; span as usize];
                    let shift = (*base - lo).max(0) as usize;
                    if !counts.is_empty() {
                        grown[shift..shift + counts.len()].copy_from_slice(counts);
                    }
                    *counts = grown;
                    *base = lo;
                    counts[(k - lo) as usize] += 1;
                    *added += 1;
                    return;
                }
            }
            self.switch_to_hashed();
        }
        if let NumberCounter::Hashed(map) = self {
            *map.entry(number_bits(Some(x))).or_insert(0) += 1;
        }
    }

    /// Adds every key of a batch; in the dense case the counts a few keys ahead are prefetched,
    /// since ids arrive in random order and each count is a cache miss.
    fn add_all(&mut self, keys: &[f64]) {
        const AHEAD: usize = 16;
        for (i, &x) in keys.iter().enumerate() {
            if let (NumberCounter::Dense { base, counts, .. }, Some(&next)) =
                (&*self, keys.get(i + AHEAD))
            {
                if let Some(j) = dense_slot(next, *base, counts.len()) {
                    prefetch(&counts[j] as *const u64);
                }
            }
            self.add(x);
        }
    }

    fn switch_to_hashed(&mut self) {
        if let NumberCounter::Dense { base, counts, .. } = self {
            let mut map = HashMap::with_capacity(counts.len().min(1 << 16));
            for (i, &n) in counts.iter().enumerate().filter(|(_, &n)| n > 0) {
                map.insert(number_bits(Some((*base + i as i64) as f64)), n);
            }
            *self = NumberCounter::Hashed(map);
        }
    }

    fn get(&self, bits: u64) -> u64 {
        match self {
            NumberCounter::Dense { base, counts, .. } => {
                dense_slot(f64::from_bits(bits), *base, counts.len()).map_or(0, |i| counts[i])
            }
            NumberCounter::Hashed(map) => map.get(&bits).copied().unwrap_or(0),
        }
    }
}

/// The relational join of two loaded tables.
///
/// ```
/// use brisk_data::frame::{join, read_frame, How};
/// use brisk_data::input::{Format, Input};
/// let a = Input::from_reader("id,x\n1,a\n2,b\n".as_bytes(), "a.csv", Format::Csv).unwrap();
/// let b = Input::from_reader("id,x,n\n1,p,10\n1,q,11\n".as_bytes(), "b.csv", Format::Csv).unwrap();
/// let joined = join(&read_frame(&a).unwrap(), "id", &read_frame(&b).unwrap(), "id", How::Left).unwrap();
/// let names: Vec<&str> = joined.get_column_names().iter().map(|n| n.as_str()).collect();
/// assert_eq!(names, ["id", "x", "x_right", "n"]);
/// assert_eq!(joined.height(), 3);
/// // The unmatched left row makes the integer column n a float column, as in pandas.
/// assert_eq!(joined.column("n").unwrap().f64().unwrap().get(2), None);
/// ```
pub fn join(
    left: &LoadedFrame,
    left_on: &str,
    right: &LoadedFrame,
    right_on: &str,
    how: How,
) -> Result<DataFrame> {
    plan_join(left, left_on, right, right_on, how)?.frame()
}

/// Which rows of each table make each output row, and which right columns appear, under what
/// names: the join before any value is copied.
pub struct JoinPlan<'a> {
    left: &'a LoadedFrame,
    right: &'a LoadedFrame,
    left_rows: Vec<Option<IdxSize>>,
    right_rows: Vec<Option<IdxSize>>,
    right_columns: Vec<(usize, String)>,
}

/// Matches the rows of two tables; see [`join`].
pub fn plan_join<'a>(
    left: &'a LoadedFrame,
    left_on: &str,
    right: &'a LoadedFrame,
    right_on: &str,
    how: How,
) -> Result<JoinPlan<'a>> {
    let left_index = left.column_index(left_on, "--on")?;
    let right_index = right.column_index(right_on, "--right-on")?;
    let left_key = &left.frame.columns()[left_index];
    let right_key = &right.frame.columns()[right_index];
    check_kinds(
        (&left.source, left_on, key_kind(left_key)),
        (&right.source, right_on, key_kind(right_key)),
    )?;

    // Right rows grouped by key, in right order: key id → rows[offsets[id]..offsets[id + 1]].
    let right_keys = keys_of(right_key);
    let mut ids = KeyIds::for_keys(&right_keys);
    let row_ids: Vec<u32> = right_keys.iter().map(|key| ids.insert(key)).collect();
    let mut offsets = vec![0usize; ids.len() + 1];
    for &id in row_ids.iter().filter(|&&id| id != NO_ID) {
        offsets[id as usize + 1] += 1;
    }
    for i in 1..offsets.len() {
        offsets[i] += offsets[i - 1];
    }
    let mut cursor = offsets.clone();
    let mut rows_by_key = vec![0 as IdxSize; offsets[ids.len()]];
    for (row, &id) in row_ids.iter().enumerate() {
        if id != NO_ID {
            rows_by_key[cursor[id as usize]] = row as IdxSize;
            cursor[id as usize] += 1;
        }
    }

    let mut left_rows: Vec<Option<IdxSize>> = Vec::new();
    let mut right_rows: Vec<Option<IdxSize>> = Vec::new();
    for (row, key) in keys_of(left_key).iter().enumerate() {
        let id = ids.get(key);
        let matches = if id == NO_ID {
            &[][..]
        } else {
            &rows_by_key[offsets[id as usize]..offsets[id as usize + 1]]
        };
        if matches.is_empty() {
            if how == How::Left {
                left_rows.push(Some(row as IdxSize));
                right_rows.push(None);
            }
            continue;
        }
        for &r in matches {
            left_rows.push(Some(row as IdxSize));
            right_rows.push(Some(r));
        }
    }

    let left_names: Vec<&str> = left
        .frame
        .get_column_names()
        .iter()
        .map(|n| n.as_str())
        .collect();
    let mut right_columns: Vec<(usize, String)> = Vec::new();
    for (index, name) in right.frame.get_column_names().iter().enumerate() {
        if index == right_index && right_on == left_on {
            continue;
        }
        let mut name = name.to_string();
        if left_names.contains(&name.as_str()) {
            name.push_str("_right");
        }
        let taken =
            left_names.contains(&name.as_str()) || right_columns.iter().any(|(_, n)| *n == name);
        if taken {
            return Err(DataError::new(
                ErrorKind::InvalidArgument,
                Location::source(&right.source),
                format!(
                    "the joined table would have two columns named {name:?}; rename a column in one \
                     of the inputs"
                ),
            ));
        }
        right_columns.push((index, name));
    }
    Ok(JoinPlan {
        left,
        right,
        left_rows,
        right_rows,
        right_columns,
    })
}

impl JoinPlan<'_> {
    /// The number of output rows.
    pub fn height(&self) -> usize {
        self.right_rows.len()
    }

    /// The joined table.
    pub fn frame(&self) -> Result<DataFrame> {
        let fail = |e: PolarsError| {
            DataError::new(
                ErrorKind::InvalidArgument,
                Location::source(&self.left.source),
                e.to_string(),
            )
        };
        let left_rows: Vec<IdxSize> = self.left_rows.iter().flatten().copied().collect();
        let left_taken = self
            .left
            .frame
            .take(&IdxCa::from_vec(PlSmallStr::EMPTY, left_rows))
            .map_err(fail)?;
        let mut columns: Vec<Column> = left_taken.columns().to_vec();
        for (index, name) in &self.right_columns {
            let column = &self.right.frame.columns()[*index];
            columns.push(gather(column, &self.right_rows, name));
        }
        DataFrame::new(self.height(), columns).map_err(fail)
    }

    /// Writes the joined table as CSV straight from the two inputs, without building it.
    pub fn write_csv(&self, out: &mut dyn std::io::Write, delimiter: u8) -> std::io::Result<()> {
        let mut columns = Vec::new();
        for column in self.left.frame.columns() {
            columns.push(GatheredColumn::new(
                column,
                column.name().as_str(),
                Some(&self.left_rows),
            )?);
        }
        for (index, name) in &self.right_columns {
            let column = &self.right.frame.columns()[*index];
            columns.push(GatheredColumn::new(column, name, Some(&self.right_rows))?);
        }
        write_gathered_csv(&columns, self.height(), out, delimiter)
    }
}

/// The id of a null or unknown key.
const NO_ID: u32 = u32::MAX;

/// Dense ids for the distinct keys, in order of first appearance: an array indexed by value for
/// integer keys over a range not much wider than their number, a hash map otherwise.
enum KeyIds<'a> {
    Dense {
        base: i64,
        ids: Vec<u32>,
        len: usize,
    },
    Hashed(HashMap<Key<'a>, u32>),
}

impl<'a> KeyIds<'a> {
    fn for_keys(keys: &[Option<Key<'a>>]) -> Self {
        let mut range: Option<(i64, i64)> = None;
        for key in keys.iter().flatten() {
            let Key::Number(bits) = key else {
                return KeyIds::Hashed(HashMap::new());
            };
            let Some(k) = integer_key(f64::from_bits(*bits)) else {
                return KeyIds::Hashed(HashMap::new());
            };
            range = Some(range.map_or((k, k), |(lo, hi)| (lo.min(k), hi.max(k))));
        }
        match range {
            Some((lo, hi))
                if ((hi - lo) as u64) < (DENSE_FLOOR as u64).max(4 * keys.len() as u64) =>
            {
                KeyIds::Dense {
                    base: lo,
                    ids: vec![NO_ID; (hi - lo) as usize + 1],
                    len: 0,
                }
            }
            _ => KeyIds::Hashed(HashMap::new()),
        }
    }

    fn len(&self) -> usize {
        match self {
            KeyIds::Dense { len, .. } => *len,
            KeyIds::Hashed(map) => map.len(),
        }
    }

    /// The key's id, a new one for a key not seen before; [`NO_ID`] for null.
    fn insert(&mut self, key: &Option<Key<'a>>) -> u32 {
        let Some(key) = key else { return NO_ID };
        match self {
            KeyIds::Dense { base, ids, len } => {
                let Key::Number(bits) = key else {
                    unreachable!("dense ids are built only for integer keys")
                };
                let index = dense_slot(f64::from_bits(*bits), *base, ids.len())
                    .expect("dense ids cover every key they were built for");
                let slot = &mut ids[index];
                if *slot == NO_ID {
                    *slot = *len as u32;
                    *len += 1;
                }
                *slot
            }
            KeyIds::Hashed(map) => {
                let next = map.len() as u32;
                *map.entry(key.clone()).or_insert(next)
            }
        }
    }

    /// The key's id, or [`NO_ID`] when it is null or was never inserted.
    fn get(&self, key: &Option<Key<'_>>) -> u32 {
        let Some(key) = key else { return NO_ID };
        match (self, key) {
            (KeyIds::Dense { base, ids, .. }, Key::Number(bits)) => {
                dense_slot(f64::from_bits(*bits), *base, ids.len()).map_or(NO_ID, |i| ids[i])
            }
            (KeyIds::Hashed(map), key) => map.get(key).copied().unwrap_or(NO_ID),
            _ => NO_ID,
        }
    }
}

/// A number as an integer key a dense table can index: integral and below 2^53 in magnitude.
fn integer_key(x: f64) -> Option<i64> {
    (x.fract() == 0.0 && x.abs() < 9.0e15).then_some(x as i64)
}

/// The slot of `x` in a dense table of `len` slots whose first holds the key `base`.
fn dense_slot(x: f64, base: i64, len: usize) -> Option<usize> {
    let i = integer_key(x)?.wrapping_sub(base);
    (0..len as i64).contains(&i).then_some(i as usize)
}

/// `column`'s values at `rows` (null where `None`); an integer column with a null becomes float,
/// as pandas makes it.
fn gather(column: &Column, rows: &[Option<IdxSize>], name: &str) -> Column {
    let name = PlSmallStr::from(name);
    let has_gap = rows.iter().any(Option::is_none);
    if let Ok(bools) = column.bool() {
        let bools = bools.rechunk();
        let array = bools.downcast_iter().next();
        let values = rows.iter().map(|r| {
            let (array, r) = (array?, (*r)? as usize);
            array.is_valid(r).then(|| array.value(r))
        });
        return BooleanChunked::from_iter_options(name, values).into_column();
    }
    if let Ok(text) = column.str() {
        let text = text.rechunk();
        let array = text.downcast_iter().next();
        let values = rows.iter().map(|r| {
            let (array, r) = (array?, (*r)? as usize);
            array.is_valid(r).then(|| array.value(r))
        });
        return StringChunked::from_iter_options(name, values).into_column();
    }
    if let (Ok(ints), false) = (column.i64(), has_gap) {
        let ints = ints.rechunk();
        let array = ints.downcast_iter().next();
        let values = rows.iter().map(|r| {
            let (array, r) = (array?, (*r)? as usize);
            array.is_valid(r).then(|| array.value(r))
        });
        return Int64Chunked::from_iter_options(name, values).into_column();
    }
    let floats = column
        .cast(&DataType::Float64)
        .expect("a numeric column casts to Float64");
    let floats = floats.f64().expect("Float64").rechunk();
    let array = floats.downcast_iter().next();
    let values = rows.iter().map(|r| {
        let (array, r) = (array?, (*r)? as usize);
        array.is_valid(r).then(|| array.value(r))
    });
    Float64Chunked::from_iter_options(name, values).into_column()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dense and hashed counters against a plain map, on ids, sparse keys and fractions.
    #[test]
    fn number_counter_matches_a_map() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let datasets: Vec<Vec<f64>> = vec![
            (0..50_000).map(|_| (next() % 10_000) as f64).collect(),
            (0..5_000)
                .map(|_| (next() % 3) as f64 * 1e12 - 7.0)
                .collect(),
            (0..5_000).map(|_| (next() % 100) as f64 / 4.0).collect(),
            (0..5_000).map(|_| -((next() % 2_000_000) as f64)).collect(),
        ];
        for values in datasets {
            let mut counter = NumberCounter::default();
            let mut reference: std::collections::HashMap<u64, u64> =
                std::collections::HashMap::new();
            for &x in &values {
                counter.add(x);
                *reference.entry(number_bits(Some(x))).or_insert(0) += 1;
            }
            for (&bits, &n) in &reference {
                assert_eq!(counter.get(bits), n);
            }
            assert_eq!(counter.get(number_bits(Some(0.5e9 + 0.25))), 0);
        }
    }

    fn load(text: &str, name: &str) -> LoadedFrame {
        let input = Input::from_reader(text.as_bytes(), name, Format::Csv).unwrap();
        crate::frame::read_frame(&input).unwrap()
    }

    /// The plan's direct CSV equals the CSV of the built table, and both equal a nested-loop
    /// reference, for dense integer keys, sparse keys and text keys, left and inner.
    #[test]
    fn joins_match_a_nested_loop() {
        let mut state = 0x9e37_79b9_u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        for spread in [30u64, 1 << 40, 0] {
            let key = |k: u64| match spread {
                0 => format!("k{k}"),
                s => format!("{}", k * (s / 30).max(1)),
            };
            let mut left = String::from("id,v\n");
            let mut left_keys = Vec::new();
            for i in 0..200 {
                let k = (next(10) != 0).then(|| key(next(40)));
                left.push_str(&format!("{},{i}\n", k.clone().unwrap_or_default()));
                left_keys.push(k);
            }
            let mut right = String::from("id,w,v\n");
            let mut right_keys = Vec::new();
            for i in 0..300 {
                let k = (next(10) != 0).then(|| key(next(40)));
                right.push_str(&format!(
                    "{},w{i},{}\n",
                    k.clone().unwrap_or_default(),
                    i * 2
                ));
                right_keys.push(k);
            }
            let (l, r) = (load(&left, "l.csv"), load(&right, "r.csv"));
            for how in [How::Left, How::Inner] {
                let plan = plan_join(&l, "id", &r, "id", how).unwrap();
                let mut direct = Vec::new();
                plan.write_csv(&mut direct, b',').unwrap();
                let mut built = Vec::new();
                crate::frame::write_csv(&plan.frame().unwrap(), &mut built, b',').unwrap();
                assert_eq!(direct, built);
                let mut expected = 0;
                for lk in &left_keys {
                    let matches = right_keys
                        .iter()
                        .filter(|rk| lk.is_some() && rk == &lk)
                        .count();
                    expected += if matches == 0 && how == How::Left {
                        1
                    } else {
                        matches
                    };
                }
                assert_eq!(plan.height(), expected, "spread {spread}, {how:?}");
            }
        }
    }

    #[test]
    fn a_suffix_that_clashes_is_refused() {
        let (l, r) = (
            load("k,city_right\n1,a\n", "l.csv"),
            load("k,city\n1,b\n", "r.csv"),
        );
        let plain = plan_join(&l, "k", &r, "k", How::Left).unwrap();
        assert_eq!(plain.right_columns[0].1, "city");
        let l = load("k,city,city_right\n1,a,b\n", "l.csv");
        let err = plan_join(&l, "k", &r, "k", How::Left).err().unwrap();
        assert!(
            err.message.contains("two columns named \"city_right\""),
            "{}",
            err.message
        );
    }
}
