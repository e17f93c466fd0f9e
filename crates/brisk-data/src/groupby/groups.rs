//! The group table: each distinct key tuple gets a dense id, in order of first appearance.
//!
//! Keys are compared as the batch layer types their columns, as pandas keys what it has read: a
//! numeric column by value (`1` and `1.0` are one group, `-0.0` is `0.0`, NaN is the null key), a
//! text column by its bytes. Of an integer column the exact `int64` of each group is kept too.
//!
//! A table is plain data (serde): its key fields and their text, its hash table rebuilt when it
//! is read back. The table of other rows merges in ([`Groups::absorb`]), groups matched by key.

use std::hash::BuildHasher;

use brisk_kernels::numeric::canonical_zero;
use foldhash::fast::FixedState;
use hashbrown::HashTable;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::batch::{Batch, BatchColumn, TextColumn};

/// One key field of one group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum KeyPart {
    /// A null field.
    Null,
    /// A number: its canonical bits (`-0.0` as `0.0`), and the integer as read while the column
    /// is read as `int64`.
    Number { bits: u64, exact: Option<i64> },
    /// Text.
    Text(Span),
}

/// Where a key's text is in the table's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    start: u32,
    len: u32,
}

/// The distinct key tuples seen so far.
#[allow(clippy::len_without_is_empty)]
#[derive(Debug, Clone)]
pub struct Groups {
    /// The number of key columns.
    width: usize,
    table: HashTable<u32>,
    hashes: Vec<u64>,
    /// `parts[g * width + c]` is key column `c` of group `g`.
    parts: Vec<KeyPart>,
    arena: Vec<u8>,
    state: FixedState,
}

/// One key column of a batch.
enum KeyColumn<'a> {
    Numbers(&'a [f64], Option<&'a [i64]>),
    Texts(&'a TextColumn),
}

impl Groups {
    /// An empty table for `width` key columns.
    pub fn new(width: usize) -> Self {
        Groups {
            width,
            table: HashTable::new(),
            hashes: Vec::new(),
            parts: Vec::new(),
            arena: Vec::new(),
            state: FixedState::with_seed(0x6b65_7973),
        }
    }

    /// The number of groups.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// The number of key columns.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Key column `column` of group `group`.
    pub fn part(&self, group: usize, column: usize) -> KeyPart {
        self.parts[group * self.width + column]
    }

    /// The text of a span.
    pub fn text(&self, span: Span) -> &[u8] {
        &self.arena[span.start as usize..(span.start + span.len) as usize]
    }

    /// Writes the group id of every row of `batch` into `ids`, creating groups as needed;
    /// `columns` are the key columns' indices in the batch.
    pub fn assign(&mut self, batch: &Batch, columns: &[usize], ids: &mut Vec<u32>) {
        ids.clear();
        ids.reserve(batch.rows());
        let keys: Vec<KeyColumn<'_>> = columns
            .iter()
            .map(|&j| match batch.column(j) {
                BatchColumn::Numeric(numbers) => {
                    KeyColumn::Numbers(numbers.values(), batch.integers(j))
                }
                BatchColumn::Text(texts) => KeyColumn::Texts(texts),
            })
            .collect();
        let mut probe: Vec<Probe<'_>> = Vec::with_capacity(columns.len());
        for row in 0..batch.rows() {
            probe.clear();
            probe.extend(keys.iter().map(|key| Probe::of(key, row)));
            ids.push(self.find_or_insert(&probe));
        }
    }

    fn find_or_insert(&mut self, probe: &[Probe<'_>]) -> u32 {
        let hash = hash_key(&self.state, probe);
        let (parts, arena, width) = (&self.parts, &self.arena, self.width);
        let found = self.table.find(hash, |&g| {
            let base = g as usize * width;
            probe
                .iter()
                .enumerate()
                .all(|(c, p)| p.matches(parts[base + c], arena))
        });
        match found.copied() {
            Some(g) => g,
            None => self.insert(hash, probe),
        }
    }

    /// Adds the groups of `other` (a table of other rows, of the same key columns): each of its
    /// groups' id here, and whether the group is new.
    pub fn absorb(&mut self, other: &Groups) -> Vec<(u32, bool)> {
        let mut probe: Vec<Probe<'_>> = Vec::with_capacity(self.width);
        (0..other.len())
            .map(|h| {
                probe.clear();
                probe.extend((0..other.width).map(|c| Probe::stored(other, other.part(h, c))));
                let before = self.len();
                let g = self.find_or_insert(&probe);
                (g, g as usize == before)
            })
            .collect()
    }

    /// Gives group `group` the exact integers of group `from` of `other`, whose key it has (the
    /// integers that one pass over the rows would have met first).
    pub fn take_exact(&mut self, group: usize, other: &Groups, from: usize) {
        for c in 0..self.width {
            if let (KeyPart::Number { exact, .. }, KeyPart::Number { exact: theirs, .. }) =
                (&mut self.parts[group * self.width + c], other.part(from, c))
            {
                *exact = theirs;
            }
        }
    }

    fn insert(&mut self, hash: u64, probe: &[Probe<'_>]) -> u32 {
        let id = self.hashes.len() as u32;
        for p in probe {
            let part = match *p {
                Probe::Null => KeyPart::Null,
                Probe::Number(bits, exact) => KeyPart::Number { bits, exact },
                Probe::Text(text) => KeyPart::Text(self.store(text)),
            };
            self.parts.push(part);
        }
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.table.insert_unique(hash, id, |&g| hashes[g as usize]);
        id
    }

    fn store(&mut self, text: &[u8]) -> Span {
        let span = Span {
            start: self.arena.len() as u32,
            len: text.len() as u32,
        };
        self.arena.extend_from_slice(text);
        span
    }
}

/// The hash of a key tuple.
fn hash_key(state: &FixedState, probe: &[Probe<'_>]) -> u64 {
    probe.iter().fold(0x243f_6a88_85a3_08d3_u64, |hash, p| {
        hash.rotate_left(23).wrapping_mul(0x2545_f491_4f6c_dd1d)
            ^ match p {
                Probe::Null => 0x6e75_6c6c,
                Probe::Number(bits, _) => state.hash_one(bits),
                Probe::Text(text) => state.hash_one(text),
            }
    })
}

/// The serde form of a table: its key fields and their text.
#[derive(Serialize)]
struct StoredRef<'a> {
    width: usize,
    parts: &'a [KeyPart],
    arena: &'a [u8],
}

/// [`StoredRef`], read back.
#[derive(Deserialize)]
struct Stored {
    width: usize,
    parts: Vec<KeyPart>,
    arena: Vec<u8>,
}

impl Serialize for Groups {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StoredRef {
            width: self.width,
            parts: &self.parts,
            arena: &self.arena,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Groups {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = Stored::deserialize(deserializer)?;
        Groups::rebuild(stored).map_err(serde::de::Error::custom)
    }
}

impl Groups {
    /// The table of stored key fields, each a group (in order), with its hash table rebuilt.
    fn rebuild(stored: Stored) -> Result<Groups, &'static str> {
        let Stored {
            width,
            parts,
            arena,
        } = stored;
        if width == 0 || parts.len() % width != 0 {
            return Err("the group keys do not fill whole groups");
        }
        if u32::try_from(arena.len()).is_err() {
            return Err("the group keys' text is too long");
        }
        let in_arena = |span: &Span| {
            (span.start as usize)
                .checked_add(span.len as usize)
                .is_some_and(|end| end <= arena.len())
        };
        if !parts.iter().all(|p| match p {
            KeyPart::Text(span) => in_arena(span),
            _ => true,
        }) {
            return Err("a group key's text lies outside the stored text");
        }
        let mut groups = Groups::new(width);
        let mut probe: Vec<Probe<'_>> = Vec::with_capacity(width);
        for key in parts.chunks(width) {
            probe.clear();
            probe.extend(key.iter().map(|&part| Probe::of_part(part, &arena)));
            let hash = hash_key(&groups.state, &probe);
            let id = groups.hashes.len() as u32;
            groups.hashes.push(hash);
            let hashes = &groups.hashes;
            groups
                .table
                .insert_unique(hash, id, |&g| hashes[g as usize]);
        }
        groups.parts = parts;
        groups.arena = arena;
        Ok(groups)
    }
}

/// A key field of the row being placed.
#[derive(Clone, Copy)]
enum Probe<'a> {
    Null,
    Number(u64, Option<i64>),
    Text(&'a [u8]),
}

impl<'a> Probe<'a> {
    #[inline]
    fn of(key: &KeyColumn<'a>, row: usize) -> Probe<'a> {
        match key {
            KeyColumn::Numbers(values, _) if values[row].is_nan() => Probe::Null,
            KeyColumn::Numbers(values, integers) => Probe::Number(
                canonical_zero(values[row]).to_bits(),
                integers.map(|ints| ints[row]),
            ),
            KeyColumn::Texts(texts) => texts.get(row).map_or(Probe::Null, Probe::Text),
        }
    }

    /// The probe of a stored key field of `groups`.
    fn stored(groups: &'a Groups, part: KeyPart) -> Probe<'a> {
        Probe::of_part(part, &groups.arena)
    }

    /// The probe of a key field whose text is in `arena`.
    fn of_part(part: KeyPart, arena: &'a [u8]) -> Probe<'a> {
        match part {
            KeyPart::Null => Probe::Null,
            KeyPart::Number { bits, exact } => Probe::Number(bits, exact),
            KeyPart::Text(span) => {
                let start = span.start as usize;
                Probe::Text(&arena[start..start + span.len as usize])
            }
        }
    }

    #[inline]
    fn matches(&self, part: KeyPart, arena: &[u8]) -> bool {
        match (self, part) {
            (Probe::Null, KeyPart::Null) => true,
            (Probe::Number(bits, _), KeyPart::Number { bits: other, .. }) => *bits == other,
            (Probe::Text(text), KeyPart::Text(span)) => {
                *text == &arena[span.start as usize..(span.start + span.len) as usize]
            }
            _ => false,
        }
    }
}
