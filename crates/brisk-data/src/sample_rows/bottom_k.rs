//! The bottom-k scheme of [`brisk_kernels::accumulate::Reservoir`], for rows kept as any item.

/// The `k` rows of smallest priority offered, with an item each.
///
/// Row `r`'s priority is [`priority`]`(seed, r)`, the one `Reservoir` gives it: distinct rows have
/// distinct priorities, the `k` smallest are a uniform sample (Cohen & Kaplan, "Summarizing data
/// using bottom-k sketches", PODC 2007), and they depend on the set of rows alone, so any split
/// merged in any order keeps the same rows. Candidates collect up to `3k/2`; a selection then
/// keeps the `k` smallest and lowers the threshold that a later row must be below to enter.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct BottomK<T> {
    capacity: usize,
    kept: Vec<Candidate<T>>,
    /// Rows of this priority or more cannot be among the `k` smallest (`u64::MAX` until `k` rows
    /// are kept).
    threshold: u64,
}

/// A row that may be among the `k` of smallest priority.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct Candidate<T> {
    priority: u64,
    pub(super) row: u64,
    pub(super) item: T,
}

impl<T: Clone> BottomK<T> {
    /// No row yet; at most `k` kept.
    pub(super) fn new(k: usize) -> Self {
        BottomK {
            capacity: k,
            kept: Vec::new(),
            threshold: u64::MAX,
        }
    }

    /// Whether a row of this priority would enter: test it before making the row's item.
    #[inline]
    pub(super) fn admits(&self, priority: u64) -> bool {
        priority < self.threshold && self.capacity > 0
    }

    /// Keeps a row that [`admits`](Self::admits) its priority.
    pub(super) fn push(&mut self, priority: u64, row: u64, item: T) {
        self.kept.push(Candidate {
            priority,
            row,
            item,
        });
        if self.kept.len() >= self.capacity + self.capacity / 2 {
            self.keep_smallest();
        }
    }

    /// Offers the rows kept by `other` (whose rows must differ from this state's).
    pub(super) fn merge(&mut self, other: &Self) {
        for candidate in &other.kept {
            if self.admits(candidate.priority) {
                self.push(candidate.priority, candidate.row, candidate.item.clone());
            }
        }
    }

    /// The candidates held (at least the `k` of smallest priority).
    pub(super) fn candidates(&self) -> &[Candidate<T>] {
        &self.kept
    }

    /// The `k` rows of smallest priority, in increasing row order.
    pub(super) fn finish(mut self) -> Vec<Candidate<T>> {
        self.keep_smallest();
        self.kept.sort_unstable_by_key(|c| c.row);
        self.kept
    }

    /// Drops every candidate but the `k` of smallest priority, which then set the threshold.
    fn keep_smallest(&mut self) {
        let k = self.capacity;
        if self.kept.len() < k || k == 0 {
            return;
        }
        self.kept.select_nth_unstable_by_key(k - 1, |c| c.priority);
        self.kept.truncate(k);
        self.threshold = self
            .kept
            .iter()
            .map(|c| c.priority)
            .max()
            .unwrap_or(u64::MAX);
    }
}

/// The priority of row `r` under `seed`, as `Reservoir` draws it: SplitMix64's output for the
/// state `seed + (r+1)·γ` (Steele, Lea & Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014), a bijection of 64-bit words, so rows never tie.
#[inline]
pub(super) fn priority(seed: u64, row: u64) -> u64 {
    const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut z = seed.wrapping_add(row.wrapping_add(1).wrapping_mul(GAMMA));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
