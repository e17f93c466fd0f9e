//! The group table: each distinct key tuple gets a dense id, in order of first appearance.
//!
//! A key field that parses as a number is keyed by its value (`1` and `1.0` are one group), as
//! pandas keys a numeric column; in [`KeyMode::Text`] every field is keyed by its text, as pandas
//! keys a text column. The first pass assumes the former; when a key column turns out to hold text
//! and two spellings of one number were merged, the job runs again with that column in text mode.

use std::hash::BuildHasher;

use brisk_kernels::numeric::canonical_zero;
use foldhash::fast::FixedState;
use hashbrown::HashTable;

use crate::csv::Chunk;
use crate::value::{is_null_token, parse_number};

/// How one key column's fields are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    /// Numbers by value, other fields by text.
    Value,
    /// Every field by its text.
    Text,
}

/// One key field of one group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KeyPart {
    /// A null field.
    Null,
    /// A number (canonical bits: `-0.0` as `0.0`), with the span of its first spelling.
    Number(u64, Span),
    /// Text.
    Text(Span),
}

/// Where a key's text is in the table's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: u32,
    len: u32,
}

/// The distinct key tuples seen so far.
#[allow(clippy::len_without_is_empty)]
pub struct Groups {
    modes: Vec<KeyMode>,
    table: HashTable<u32>,
    hashes: Vec<u64>,
    /// `parts[g * k + c]` is key column `c` of group `g`.
    parts: Vec<KeyPart>,
    arena: Vec<u8>,
    state: FixedState,
    /// Per key column: whether two different spellings of a number fell into one group.
    merged_spellings: Vec<bool>,
}

impl Groups {
    /// An empty table for key columns compared as `modes` say.
    pub fn new(modes: Vec<KeyMode>) -> Self {
        let k = modes.len();
        Groups {
            modes,
            table: HashTable::new(),
            hashes: Vec::new(),
            parts: Vec::new(),
            arena: Vec::new(),
            state: FixedState::with_seed(0x6b65_7973),
            merged_spellings: vec![false; k],
        }
    }

    /// The number of groups.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Key column `column` of group `group`.
    pub fn part(&self, group: usize, column: usize) -> KeyPart {
        self.parts[group * self.modes.len() + column]
    }

    /// The text of a span.
    pub fn text(&self, span: Span) -> &[u8] {
        &self.arena[span.start as usize..(span.start + span.len) as usize]
    }

    /// Whether a key column had two spellings of one number merged into a group.
    pub fn merged_spellings(&self, column: usize) -> bool {
        self.merged_spellings[column]
    }

    /// Writes the group id of every record of `chunk` into `ids`, creating groups as needed;
    /// `columns` are the key columns' indices in the chunk.
    pub fn assign(&mut self, chunk: &Chunk, columns: &[usize], ids: &mut Vec<u32>) {
        ids.clear();
        ids.reserve(chunk.rows());
        let k = columns.len();
        let mut probe: Vec<Probe<'_>> = Vec::with_capacity(k);
        for row in 0..chunk.rows() {
            probe.clear();
            let mut hash = 0x243f_6a88_85a3_08d3_u64;
            for (c, &col) in columns.iter().enumerate() {
                let field = chunk.field(row, col);
                let key = self.probe(field, self.modes[c]);
                hash = hash.rotate_left(23).wrapping_mul(0x2545_f491_4f6c_dd1d)
                    ^ match key {
                        Probe::Null => 0x6e75_6c6c,
                        Probe::Number(bits, _) => self.state.hash_one(bits),
                        Probe::Text(text) => self.state.hash_one(text),
                    };
                probe.push(key);
            }
            let found = {
                let (parts, arena) = (&self.parts, &self.arena);
                self.table
                    .find(hash, |&g| {
                        let base = g as usize * k;
                        probe
                            .iter()
                            .enumerate()
                            .all(|(c, p)| p.matches(parts[base + c], arena))
                    })
                    .copied()
            };
            let id = match found {
                Some(g) => {
                    for (c, p) in probe.iter().enumerate() {
                        if let (Probe::Number(_, spelling), KeyPart::Number(_, span)) =
                            (p, self.part(g as usize, c))
                        {
                            if !self.merged_spellings[c] && *spelling != self.text(span) {
                                self.merged_spellings[c] = true;
                            }
                        }
                    }
                    g
                }
                None => self.insert(hash, &probe),
            };
            ids.push(id);
        }
    }

    fn probe<'a>(&self, field: &'a [u8], mode: KeyMode) -> Probe<'a> {
        if is_null_token(field) {
            return Probe::Null;
        }
        if mode == KeyMode::Value {
            if let Some(x) = parse_number(field) {
                let bits = canonical_zero(x).to_bits();
                return Probe::Number(bits, field);
            }
        }
        Probe::Text(field)
    }

    fn insert(&mut self, hash: u64, probe: &[Probe<'_>]) -> u32 {
        let id = self.hashes.len() as u32;
        for p in probe {
            let part = match *p {
                Probe::Null => KeyPart::Null,
                Probe::Number(bits, text) => KeyPart::Number(bits, self.store(text)),
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

/// A key field of the record being placed.
#[derive(Clone, Copy)]
enum Probe<'a> {
    Null,
    Number(u64, &'a [u8]),
    Text(&'a [u8]),
}

impl Probe<'_> {
    #[inline]
    fn matches(&self, part: KeyPart, arena: &[u8]) -> bool {
        match (self, part) {
            (Probe::Null, KeyPart::Null) => true,
            (Probe::Number(bits, _), KeyPart::Number(other, _)) => *bits == other,
            (Probe::Text(text), KeyPart::Text(span)) => {
                *text == &arena[span.start as usize..(span.start + span.len) as usize]
            }
            _ => false,
        }
    }
}
