//! Large scratch buffers backed by transparent huge pages where the system allows them.

use memmap2::MmapMut;

/// A zero-filled buffer of `f64`. On Linux it is an anonymous mapping advised to use huge pages:
/// a copy of the data the size of the input then costs a few hundred page faults instead of tens of
/// thousands, and scattered row reads miss the TLB less. Elsewhere, or if the mapping fails, it is
/// an ordinary vector.
pub(crate) enum HugeBuffer {
    Mapped(MmapMut),
    Heap(Vec<f64>),
}

impl HugeBuffer {
    /// `len` zeros.
    pub(crate) fn zeros(len: usize) -> HugeBuffer {
        let bytes = len * std::mem::size_of::<f64>();
        if bytes >= 1 << 21 {
            if let Ok(map) = MmapMut::map_anon(bytes) {
                #[cfg(target_os = "linux")]
                let _ = map.advise(memmap2::Advice::HugePage);
                return HugeBuffer::Mapped(map);
            }
        }
        HugeBuffer::Heap(vec![0.0; len])
    }

    /// The values.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [f64] {
        match self {
            HugeBuffer::Heap(v) => v,
            HugeBuffer::Mapped(map) => {
                let len = map.len() / std::mem::size_of::<f64>();
                // SAFETY: an anonymous mapping is page-aligned, zero-filled (a valid f64 0.0)
                // and `len * 8` bytes long; the borrow of `self` keeps it alive and unique.
                unsafe { std::slice::from_raw_parts_mut(map.as_mut_ptr().cast::<f64>(), len) }
            }
        }
    }

    /// The values.
    pub(crate) fn as_slice(&self) -> &[f64] {
        match self {
            HugeBuffer::Heap(v) => v,
            HugeBuffer::Mapped(map) => {
                let len = map.len() / std::mem::size_of::<f64>();
                // SAFETY: as in `as_mut_slice`, shared.
                unsafe { std::slice::from_raw_parts(map.as_ptr().cast::<f64>(), len) }
            }
        }
    }
}
