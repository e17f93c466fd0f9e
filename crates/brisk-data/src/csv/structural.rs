//! Finding the structural bytes of CSV text — the delimiter, `\n`, the quote and the comment
//! character — 64 bytes at a time.
//!
//! The parser visits only these positions, so the cost per field is a few instructions rather than
//! one branch per byte. On x86_64 the masks come from SSE2 compares (part of the baseline target, so no
//! runtime detection is needed); elsewhere a scalar loop builds the same masks.

/// The bytes that can change the parser's state.
#[derive(Clone, Copy)]
pub(crate) struct Structurals {
    delimiter: u8,
    quote: u8,
    /// The comment character, if any.
    comment: Option<u8>,
}

impl Structurals {
    pub(crate) fn new(delimiter: u8, quote: u8, comment: Option<u8>) -> Self {
        Structurals {
            delimiter,
            quote,
            comment,
        }
    }

    /// Bit `i` is set when `block[i]` is the delimiter, `\n`, the quote or the comment character.
    #[inline]
    pub(crate) fn mask(&self, block: &[u8; 64]) -> u64 {
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: SSE2 is part of the x86_64 baseline, and each unaligned load reads 16 bytes
            // inside the 64-byte array.
            unsafe {
                match self.comment {
                    None => mask_sse2::<false>(block, *self),
                    Some(_) => mask_sse2::<true>(block, *self),
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            mask_scalar(block, *self)
        }
    }

    /// The mask of the 64 bytes of `text` starting at `start`, treating bytes past the end as
    /// non-structural.
    #[inline]
    pub(crate) fn mask_at(&self, text: &[u8], start: usize) -> u64 {
        match text.get(start..start + 64) {
            Some(block) => self.mask(block.try_into().expect("a 64-byte slice")),
            None => {
                let mut padded = [0u8; 64];
                let tail = &text[start.min(text.len())..];
                padded[..tail.len()].copy_from_slice(tail);
                self.mask(&padded)
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[inline]
unsafe fn mask_sse2<const COMMENTS: bool>(block: &[u8; 64], s: Structurals) -> u64 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let delim = _mm_set1_epi8(s.delimiter as i8);
    let newline = _mm_set1_epi8(b'\n' as i8);
    let quote = _mm_set1_epi8(s.quote as i8);
    let comment = _mm_set1_epi8(s.comment.unwrap_or(s.quote) as i8);
    let mut mask = 0u64;
    for lane in 0..4 {
        let bytes = _mm_loadu_si128(block.as_ptr().add(lane * 16).cast());
        let mut hits = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(bytes, delim), _mm_cmpeq_epi8(bytes, newline)),
            _mm_cmpeq_epi8(bytes, quote),
        );
        if COMMENTS {
            hits = _mm_or_si128(hits, _mm_cmpeq_epi8(bytes, comment));
        }
        mask |= (_mm_movemask_epi8(hits) as u16 as u64) << (lane * 16);
    }
    mask
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn mask_scalar(block: &[u8; 64], s: Structurals) -> u64 {
    block.iter().enumerate().fold(0u64, |mask, (i, &b)| {
        let hit = b == s.delimiter || b == b'\n' || b == s.quote || Some(b) == s.comment;
        mask | ((hit as u64) << i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simd_mask_equals_scalar_mask() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..2000 {
            let mut block = [0u8; 64];
            for b in block.iter_mut() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *b = [b',', b'\n', b'"', b'a', b'\t', b'#', 0xC3, b'\''][(state % 8) as usize];
            }
            for delim in [b',', b'\t', b';'] {
                for (quote, comment) in [(b'"', None), (b'\'', Some(b'#'))] {
                    let s = Structurals::new(delim, quote, comment);
                    assert_eq!(s.mask(&block), mask_scalar(&block, s));
                }
            }
        }
    }

    #[test]
    fn mask_at_pads_the_tail() {
        let s = Structurals::new(b',', b'"', None);
        let text = b"a,b\n\"c";
        assert_eq!(s.mask_at(text, 0), 0b1_1010);
        assert_eq!(s.mask_at(text, 3), 0b11);
        assert_eq!(s.mask_at(text, 6), 0);
    }
}
