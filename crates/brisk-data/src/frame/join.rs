//! Joins of two tables (`brisk join`, exercise B.6).
//!
//! Keys compare by value when both key columns are numeric (`3` equals `3.0`) and by text when
//! both are text; a numeric key against a text key is an error, as in pandas. Null keys never
//! match. The count join keeps every left row, in order, and adds how many right rows share its
//! key (0 when none) — `left.merge(right.groupby(key).size(), how="left").fillna(0)`. The
//! relational join is `left.merge(right, left_on, right_on, how, suffixes=("", "_right"))`: left
//! rows in order, each followed by its matches in right order.

use std::collections::HashMap;

use polars::prelude::*;
use polars_arrow::array::Array;

use super::read::{unknown_column, LoadedFrame};
use super::rows::number_bits;
use crate::csv::Chunks;
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::{Format, Input};
use crate::value::{is_null_token, parse_number};

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

/// A key column's values, `None` for null.
fn keys_of(column: &Column) -> Vec<Option<Key<'_>>> {
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
    let right_kind = if counts.numeric {
        KeyKind::Numeric
    } else {
        KeyKind::Text
    };
    check_kinds(
        (&left.source, left_on, key_kind(left_key)),
        (right.name(), right_on, right_kind),
    )?;
    let by_key: HashMap<Key<'_>, u64> = if counts.numeric {
        let mut merged = HashMap::new();
        for (text, n) in &counts.by_text {
            let x = parse_number(text).expect("a numeric column");
            *merged.entry(Key::Number(number_bits(Some(x)))).or_insert(0) += n;
        }
        merged
    } else {
        counts
            .by_text
            .iter()
            .map(|(text, &n)| (Key::Text(std::str::from_utf8(text).unwrap_or_default()), n))
            .collect()
    };
    let values = keys_of(left_key)
        .into_iter()
        .map(|key| key.and_then(|k| by_key.get(&k).copied()).unwrap_or(0) as i64);
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

/// How many right rows have each key text, and whether every non-null key is a number.
struct KeyCounts {
    by_text: HashMap<Box<[u8]>, u64>,
    numeric: bool,
}

fn right_key_counts(right: &Input, right_on: &str) -> Result<KeyCounts> {
    let mut counts = KeyCounts {
        by_text: HashMap::new(),
        numeric: true,
    };
    if !matches!(right.format(), Format::Csv | Format::Tsv) {
        let loaded = super::read_frame(right)?;
        let key = loaded.column_index(right_on, "--right-on")?;
        let column = &loaded.frame.columns()[key];
        counts.numeric = key_kind(column) == KeyKind::Numeric;
        for key in keys_of(column).into_iter().flatten() {
            let text: Box<[u8]> = match key {
                Key::Number(bits) => {
                    let mut text = Vec::new();
                    super::format::push_float(&mut text, f64::from_bits(bits));
                    text.into()
                }
                Key::Text(t) => t.as_bytes().into(),
            };
            *counts.by_text.entry(text).or_insert(0) += 1;
        }
        return Ok(counts);
    }
    let reader = right.csv(65_536)?;
    let header = reader.header().to_vec();
    let column = header.iter().position(|h| h == right_on).ok_or_else(|| {
        let names: Vec<PlSmallStr> = header
            .iter()
            .map(|h| PlSmallStr::from(h.as_str()))
            .collect();
        let refs: Vec<&PlSmallStr> = names.iter().collect();
        unknown_column(right.name(), right_on, "--right-on", &refs)
    })?;
    let mut chunks = Chunks::new(reader, rayon::current_num_threads());
    // Consecutive equal keys are common (events sorted by user); they skip the hash lookup.
    let mut run: Option<(Box<[u8]>, u64)> = None;
    while let Some(parsed) = chunks.next_chunk()? {
        for field in parsed.chunk.column(column) {
            if is_null_token(field) {
                continue;
            }
            if let Some((text, n)) = &mut run {
                if **text == *field {
                    *n += 1;
                    continue;
                }
            }
            if counts.numeric && parse_number(field).is_none() {
                counts.numeric = false;
            }
            if let Some((text, n)) = run.take() {
                *counts.by_text.entry(text).or_insert(0) += n;
            }
            run = Some((field.into(), 1));
        }
        chunks.recycle(parsed.chunk);
    }
    if let Some((text, n)) = run {
        *counts.by_text.entry(text).or_insert(0) += n;
    }
    Ok(counts)
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
    let mut ids: HashMap<Key<'_>, u32> = HashMap::new();
    let mut row_ids: Vec<u32> = Vec::with_capacity(right_keys.len());
    for key in &right_keys {
        let id = match key {
            Some(k) => {
                let next = ids.len() as u32;
                *ids.entry(k.clone()).or_insert(next)
            }
            None => u32::MAX,
        };
        row_ids.push(id);
    }
    let mut offsets = vec![0usize; ids.len() + 1];
    for &id in row_ids.iter().filter(|&&id| id != u32::MAX) {
        offsets[id as usize + 1] += 1;
    }
    for i in 1..offsets.len() {
        offsets[i] += offsets[i - 1];
    }
    let mut cursor = offsets.clone();
    let mut rows_by_key = vec![0 as IdxSize; offsets[ids.len()]];
    for (row, &id) in row_ids.iter().enumerate() {
        if id != u32::MAX {
            rows_by_key[cursor[id as usize]] = row as IdxSize;
            cursor[id as usize] += 1;
        }
    }

    let mut left_rows: Vec<IdxSize> = Vec::new();
    let mut right_rows: Vec<Option<IdxSize>> = Vec::new();
    for (row, key) in keys_of(left_key).into_iter().enumerate() {
        let matches = key
            .and_then(|k| ids.get(&k))
            .map(|&id| &rows_by_key[offsets[id as usize]..offsets[id as usize + 1]])
            .unwrap_or(&[]);
        if matches.is_empty() {
            if how == How::Left {
                left_rows.push(row as IdxSize);
                right_rows.push(None);
            }
            continue;
        }
        for &r in matches {
            left_rows.push(row as IdxSize);
            right_rows.push(Some(r));
        }
    }

    let fail = |e: PolarsError| {
        DataError::new(
            ErrorKind::InvalidArgument,
            Location::source(&left.source),
            e.to_string(),
        )
    };
    let left_taken = left
        .frame
        .take(&IdxCa::from_vec(PlSmallStr::EMPTY, left_rows))
        .map_err(fail)?;
    let mut columns: Vec<Column> = left_taken.columns().to_vec();
    let left_names: Vec<String> = left
        .frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    for (index, column) in right.frame.columns().iter().enumerate() {
        if index == right_index && right_on == left_on {
            continue;
        }
        let mut name = column.name().to_string();
        if left_names.contains(&name) {
            name.push_str("_right");
        }
        columns.push(gather(column, &right_rows, &name));
    }
    DataFrame::new(right_rows.len(), columns).map_err(fail)
}

/// `column`'s values at `rows` (null where `None`); an integer column with a null becomes float,
/// as pandas makes it.
fn gather(column: &Column, rows: &[Option<IdxSize>], name: &str) -> Column {
    let name = PlSmallStr::from(name);
    let has_gap = rows.iter().any(Option::is_none);
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
