//! Hot loops compiled a second time for the wider registers of AVX2, chosen at run time.
//!
//! The portable build targets the x86-64 baseline (SSE2: two doubles per register and no 64-bit
//! integer comparison). A loop written in independent lanes runs twice as wide when compiled
//! with AVX2; [`with_avx2`] compiles its closure's body that way and calls it where the
//! processor has AVX2. Only the registers change, not the operations or their order (no fused
//! multiply-add is enabled), so both builds give the same results to the bit.

/// Runs `f`, compiled with AVX2 enabled where the processor has it. Mark the closure and the
/// functions it calls for its loop `#[inline(always)]`: only code inlined into this function's
/// AVX2 body is compiled for AVX2.
///
/// ```
/// let values = vec![1.5; 1000];
/// let sum = brisk_kernels::simd::with_avx2(#[inline(always)] || values.iter().sum::<f64>());
/// assert_eq!(sum, 1500.0);
/// ```
#[inline(always)]
pub fn with_avx2<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        #[target_feature(enable = "avx2")]
        fn run<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        // SAFETY: the processor has AVX2, checked just above.
        return unsafe { run(f) };
    }
    f()
}
