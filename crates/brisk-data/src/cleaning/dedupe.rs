//! Which rows are duplicates of an earlier row, from their 128-bit hashes, in bounded memory.
//!
//! Every row's `(hash, row)` is kept in memory while the entries fit their budget; past it they
//! are spread over [`PARTITIONS`] files by the hash's top bits (equal rows land in the same
//! file). At the end the entries of each part, in row order, go through a hash table of the
//! hashes seen: a row whose hash is already there is a duplicate. Memory is one part's entries
//! and table, and one bit per row.

use std::fs::File;
use std::io::{BufWriter, Read, Write};

use hashbrown::hash_table::{Entry, HashTable};
use rayon::prelude::*;
use tempfile::TempDir;

use crate::error::{DataError, ErrorKind, Location, Result};

/// Files the entries are spread over past the budget.
const PARTITIONS: usize = 256;
/// One entry: the hash's two halves and the row.
const ENTRY_BYTES: usize = 24;
/// An entry in memory: its bytes, and its hash's slot (16 bytes, a control byte, and room) in
/// the table that finds the duplicates.
const ENTRY_MEMORY: usize = ENTRY_BYTES + 24;

/// The rows of a table that repeat an earlier row: one bit per row.
#[derive(Debug, Clone, Default)]
pub struct Duplicates {
    bits: Vec<u64>,
    count: u64,
}

impl Duplicates {
    /// Whether data row `row` repeats an earlier row.
    #[inline]
    pub fn contains(&self, row: u64) -> bool {
        self.bits
            .get((row / 64) as usize)
            .is_some_and(|w| w >> (row % 64) & 1 == 1)
    }

    /// How many rows are duplicates.
    pub fn count(&self) -> u64 {
        self.count
    }

    fn mark(&mut self, row: u64) {
        let word = (row / 64) as usize;
        if self.bits.len() <= word {
            self.bits.resize(word + 1, 0);
        }
        self.bits[word] |= 1 << (row % 64);
        self.count += 1;
    }
}

/// The row hashes of a pass, in memory or spilled.
pub(crate) struct RowHashSet {
    source: String,
    budget: usize,
    entries: Vec<[u64; 3]>,
    spill: Option<Spill>,
    next_row: u64,
}

struct Spill {
    dir: TempDir,
    writers: Vec<BufWriter<File>>,
    /// A batch's entries grouped by part, for one write to each.
    staged: Vec<[u64; 3]>,
}

impl Spill {
    /// Writes entries to their parts: grouped by part first (a counting sort), so that each
    /// part takes one write a batch rather than one an entry.
    fn write(
        &mut self,
        entries: impl DoubleEndedIterator<Item = [u64; 3]> + ExactSizeIterator + Clone,
    ) -> std::io::Result<()> {
        let mut ends = [0usize; PARTITIONS];
        for entry in entries.clone() {
            ends[part_of(entry)] += 1;
        }
        let mut start = 0;
        for end in &mut ends {
            start += *end;
            *end = start;
        }
        let mut next = ends;
        self.staged.clear();
        self.staged.resize(entries.len(), [0; 3]);
        for entry in entries.rev() {
            let slot = &mut next[part_of(entry)];
            *slot -= 1;
            self.staged[*slot] = entry;
        }
        let mut start = 0;
        for (writer, &end) in self.writers.iter_mut().zip(&ends) {
            writer.write_all(bytemuck::cast_slice(&self.staged[start..end]))?;
            start = end;
        }
        Ok(())
    }
}

impl RowHashSet {
    /// An empty set whose in-memory entries may take `budget` bytes.
    pub(crate) fn new(source: &str, budget: u64) -> Self {
        RowHashSet {
            source: source.to_owned(),
            budget: usize::try_from(budget).unwrap_or(usize::MAX),
            entries: Vec::new(),
            spill: None,
            next_row: 0,
        }
    }

    fn spill_error(&self, what: &str, e: &std::io::Error) -> DataError {
        DataError::new(
            ErrorKind::Io,
            Location::source(&self.source),
            format!(
                "cannot {what} the row hashes spilled to a temporary folder (is the disk full?): \
                 {e}; set TMPDIR to a folder with room"
            ),
        )
    }

    /// The pass is expected to hold `rows` rows (told again with every batch): the entries go
    /// to disk from now on when they would pass the budget; else the first estimate is reserved
    /// at once, and a later, larger one is left to the vector's own growth rather than copying
    /// the entries for every small rise.
    pub(crate) fn expect_rows(&mut self, rows: usize) -> Result<()> {
        if self.spill.is_some() {
            return Ok(());
        }
        if rows.saturating_mul(ENTRY_MEMORY) > self.budget {
            return self.start_spilling();
        }
        if self.entries.capacity() == 0 {
            self.entries.reserve_exact(rows);
        }
        Ok(())
    }

    /// Adds the hashes of the next rows, in row order.
    pub(crate) fn extend(&mut self, hashes: &[u128]) -> Result<()> {
        let first = self.next_row;
        self.next_row += hashes.len() as u64;
        let entries = hashes
            .iter()
            .enumerate()
            .map(|(i, &h)| [(h >> 64) as u64, h as u64, first + i as u64]);
        if self.spill.is_none() {
            if (self.entries.len() + hashes.len()) * ENTRY_MEMORY <= self.budget {
                self.entries.extend(entries);
                return Ok(());
            }
            self.start_spilling()?;
        }
        let spill = self.spill.as_mut().expect("spilling");
        spill
            .write(entries)
            .map_err(|e| self.spill_error("write", &e))
    }

    fn start_spilling(&mut self) -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| self.spill_error("create", &e))?;
        let mut writers = Vec::with_capacity(PARTITIONS);
        for p in 0..PARTITIONS {
            let file = File::create(dir.path().join(format!("part-{p}")))
                .map_err(|e| self.spill_error("create", &e))?;
            writers.push(BufWriter::with_capacity(64 << 10, file));
        }
        let mut spill = Spill {
            dir,
            writers,
            staged: Vec::new(),
        };
        spill
            .write(self.entries.iter().copied())
            .map_err(|e| self.spill_error("write", &e))?;
        self.entries = Vec::new();
        self.spill = Some(spill);
        Ok(())
    }

    /// Whether the hashes went to disk.
    #[cfg(test)]
    pub(crate) fn spilled(&self) -> bool {
        self.spill.is_some()
    }

    /// The duplicate rows.
    pub(crate) fn duplicates(mut self) -> Result<Duplicates> {
        let mut duplicates = Duplicates::default();
        let Some(spill) = self.spill.take() else {
            repeated_rows(self.entries.iter().copied())
                .into_iter()
                .for_each(|row| duplicates.mark(row));
            return Ok(duplicates);
        };
        let Spill { dir, writers, .. } = spill;
        for writer in writers {
            writer
                .into_inner()
                .map_err(|e| self.spill_error("write", e.error()))?;
        }
        // The parts are independent: read and sorted side by side.
        let parts: Vec<Result<Vec<u64>>> = (0..PARTITIONS)
            .into_par_iter()
            .map(|p| {
                let path = dir.path().join(format!("part-{p}"));
                let entries = read_entries(&path).map_err(|e| self.spill_error("read", &e))?;
                drop(std::fs::remove_file(&path));
                Ok(repeated_rows(entries.into_iter()))
            })
            .collect();
        for part in parts {
            part?.into_iter().for_each(|row| duplicates.mark(row));
        }
        Ok(duplicates)
    }
}

fn part_of(entry: [u64; 3]) -> usize {
    (entry[0] >> 56) as usize % PARTITIONS
}

/// A part's entries, as [`Spill::write`] wrote them (in the machine's byte order: the files
/// live and die with the process).
fn read_entries(path: &std::path::Path) -> std::io::Result<Vec<[u64; 3]>> {
    let mut file = File::open(path)?;
    let bytes = file.metadata()?.len() as usize;
    let mut entries = vec![[0u64; 3]; bytes / ENTRY_BYTES];
    file.read_exact(bytemuck::cast_slice_mut(&mut entries))?;
    Ok(entries)
}

/// Every row but the first of each hash, from entries in row order: one probe of a table of
/// the hashes seen per entry (the hash's low half, already uniform, places it).
fn repeated_rows(entries: impl ExactSizeIterator<Item = [u64; 3]>) -> Vec<u64> {
    let mut seen: HashTable<[u64; 2]> = HashTable::with_capacity(entries.len());
    let mut repeated = Vec::new();
    for [high, low, row] in entries {
        let hash = [high, low];
        match seen.entry(low, |h| *h == hash, |h| h[1]) {
            Entry::Occupied(_) => repeated.push(row),
            Entry::Vacant(slot) => {
                slot.insert(hash);
            }
        }
    }
    repeated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_and_in_memory_sets_agree() {
        let hashes: Vec<u128> = (0..10_000u128)
            .map(|i| (i % 3_000).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835))
            .collect();
        let mut memory = RowHashSet::new("t.csv", 1 << 30);
        let mut spilled = RowHashSet::new("t.csv", 1000);
        // Told of more rows than its budget holds, a set spills from the first batch on.
        let mut told = RowHashSet::new("t.csv", 100_000);
        for (i, chunk) in hashes.chunks(777).enumerate() {
            if i == 1 {
                memory.expect_rows(10_000).unwrap();
                told.expect_rows(10_000).unwrap();
            }
            memory.extend(chunk).unwrap();
            spilled.extend(chunk).unwrap();
            told.extend(chunk).unwrap();
        }
        assert!(spilled.spilled() && told.spilled() && !memory.spilled());
        for set in [memory, spilled, told] {
            let duplicates = set.duplicates().unwrap();
            assert_eq!(duplicates.count(), 7_000);
            for row in 0..10_000 {
                assert_eq!(duplicates.contains(row), row >= 3_000, "{row}");
            }
        }
    }
}
