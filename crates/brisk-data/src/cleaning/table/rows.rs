//! Step 1 on whole-table cells: every row's hash, and the first row of each set of equal rows.

use hashbrown::hash_table::{Entry, HashTable};

use super::cells::Cells;
use crate::cleaning::hash::{folded_multiply, number_bits, LANE_SEEDS, MULTIPLIERS, NULL_BITS};

/// Every row's 64-bit hash: each column folded in turn (the folded multiply of foldhash).
pub(super) fn row_hashes(cells: &[Cells<'_>], rows: usize) -> Vec<u64> {
    let mut hashes = vec![LANE_SEEDS[0]; rows];
    for (j, column) in cells.iter().enumerate() {
        let salt = (j as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let fold = |h: &mut u64, v: u64| *h = folded_multiply(*h ^ salt ^ v, MULTIPLIERS[0]);
        match column {
            Cells::Ints(ints) => hashes
                .iter_mut()
                .zip(ints.iter())
                .for_each(|(h, &v)| fold(h, v as u64)),
            Cells::Floats(values, _) => hashes
                .iter_mut()
                .zip(values.iter())
                .for_each(|(h, &x)| fold(h, number_bits(x))),
            Cells::Text(text) => hashes.iter_mut().zip(&text.codes).for_each(|(h, &c)| {
                fold(h, text.hashes.get(c as usize).copied().unwrap_or(NULL_BITS));
            }),
        }
    }
    hashes
        .iter_mut()
        .for_each(|h| *h = folded_multiply(*h, MULTIPLIERS[1]));
    hashes
}

/// Whether rows `a` and `b` are equal as `drop_duplicates` compares them: numbers by value
/// (`-0.0` is `0.0`), text by its bytes, null equal to null.
fn rows_equal(cells: &[Cells<'_>], a: usize, b: usize) -> bool {
    cells.iter().all(|column| match column {
        Cells::Ints(ints) => ints[a] == ints[b],
        Cells::Floats(values, _) => number_bits(values[a]) == number_bits(values[b]),
        Cells::Text(text) => text.codes[a] == text.codes[b],
    })
}

/// Rows a part of [`distinct_rows`] holds, about: its table of the rows seen stays in the
/// processor's caches.
pub(super) const PART_ROWS: usize = 4096;

/// The first row of each set of equal rows, in row order.
///
/// The rows are spread over parts by the top bits of their hashes (equal rows land in the same
/// part, in row order), then each part goes through a small table of the rows seen: a row whose
/// hash is there, and whose cells equal that row's, is a duplicate.
pub(super) fn distinct_rows(cells: &[Cells<'_>], hashes: Vec<u64>) -> Vec<u32> {
    let rows = hashes.len();
    let bits = (rows / PART_ROWS)
        .max(1)
        .next_power_of_two()
        .trailing_zeros();
    let part = |h: u64| {
        if bits == 0 {
            0
        } else {
            (h >> (64 - bits)) as usize
        }
    };
    let mut starts = vec![0usize; (1 << bits) + 1];
    for &h in &hashes {
        starts[part(h) + 1] += 1;
    }
    for p in 1..starts.len() {
        starts[p] += starts[p - 1];
    }
    let mut next = starts.clone();
    let mut entries: Vec<(u64, u32)> = vec![(0, 0); rows];
    for (row, &h) in hashes.iter().enumerate() {
        let slot = &mut next[part(h)];
        entries[*slot] = (h, row as u32);
        *slot += 1;
    }
    drop(hashes);
    let mut duplicate = vec![false; rows];
    let mut seen: HashTable<u32> = HashTable::new();
    for p in 0..starts.len() - 1 {
        let entries = &entries[starts[p]..starts[p + 1]];
        seen.clear();
        for (i, &(hash, row)) in entries.iter().enumerate() {
            let entry = seen.entry(
                hash,
                |&s| {
                    let (h, r) = entries[s as usize];
                    h == hash && rows_equal(cells, r as usize, row as usize)
                },
                |&s| entries[s as usize].0,
            );
            match entry {
                Entry::Occupied(_) => duplicate[row as usize] = true,
                Entry::Vacant(slot) => {
                    slot.insert(i as u32);
                }
            }
        }
    }
    (0..rows as u32)
        .filter(|&r| !duplicate[r as usize])
        .collect()
}
