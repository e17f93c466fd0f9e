//! Step 1 on whole-table cells: every row's hash, and the first row of each set of equal rows.

use hashbrown::hash_table::{Entry, HashTable};

use super::cells::Cells;

/// The bits of a null number in the row hashes: a NaN payload no value carries.
const NULL_BITS: u64 = 0x7ff8_6e75_6c6c_0001;
const SEED: u64 = 0x243f_6a88_85a3_08d3;
const MULTIPLIER: u64 = 0xa409_3822_299f_31d1;

#[inline]
fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// A number's canonical bits: `-0.0` as `0.0`, NaN (null) as [`NULL_BITS`].
#[inline]
fn number_bits(x: f64) -> u64 {
    if x.is_nan() {
        NULL_BITS
    } else {
        (x + 0.0).to_bits()
    }
}

/// Every row's 64-bit hash: each column folded in turn (the folded multiply of foldhash).
pub(super) fn row_hashes(cells: &[Cells<'_>], rows: usize) -> Vec<u64> {
    let mut hashes = vec![SEED; rows];
    for (j, column) in cells.iter().enumerate() {
        let salt = (j as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let fold = |h: &mut u64, v: u64| *h = folded_multiply(*h ^ salt ^ v, MULTIPLIER);
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
        .for_each(|h| *h = folded_multiply(*h, 0x082e_fa98_ec4e_6c89));
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
