//! Constant-time table reads: `table[index]` without a branch or an address that depends on
//! `index`. Every entry is read and OR-ed in under a mask that is all ones for the wanted entry
//! only. The masks are computed first, with arithmetic alone, and passed through `black_box`, so
//! the optimiser cannot turn them back into a branch; the masked reads then vectorise. On x86-64
//! CPUs with AVX2 (found at run time) the same code is compiled for 256-bit vectors, which halves
//! the cost of the reads against the baseline's 128-bit ones (benches/README.md). AVX-512 is not
//! used, so that the portable path measures what CPUs without it run.
#![allow(unsafe_code)]

/// `table[index]` read in constant time (see the module documentation). An `index` past the
/// table gives all zeros.
///
/// ```
/// let table = [[1u64, 2], [3, 4], [5, 6]];
/// assert_eq!(cognito_montgomery::select(&table, 1), [3, 4]);
/// assert_eq!(cognito_montgomery::select(&table, 7), [0, 0]);
/// ```
pub fn select<T: Copy + AsRef<[u64]> + AsMut<[u64]>>(table: &[T], index: usize) -> T {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: `select_avx2` needs AVX2, which `avx2()` found on this CPU.
        return unsafe { select_avx2(table, index) };
    }
    select_body(table, index)
}

/// Whether this CPU has AVX2 (asked once).
#[cfg(target_arch = "x86_64")]
fn avx2() -> bool {
    static AVX2: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *AVX2.get_or_init(|| std::arch::is_x86_feature_detected!("avx2"))
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn select_avx2<T: Copy + AsRef<[u64]> + AsMut<[u64]>>(table: &[T], index: usize) -> T {
    select_body(table, index)
}

#[inline(always)]
fn select_body<T: Copy + AsRef<[u64]> + AsMut<[u64]>>(table: &[T], index: usize) -> T {
    const CHUNK: usize = 32;
    let Some(first) = table.first() else {
        unreachable!("select from an empty table")
    };
    let mut out = *first;
    out.as_mut().fill(0);
    for (c, entries) in table.chunks(CHUNK).enumerate() {
        let mut masks = [0u64; CHUNK];
        for (j, mask) in masks.iter_mut().enumerate() {
            // x | −x has its top bit set for every x but 0.
            let x = ((c * CHUNK + j) ^ index) as u64;
            *mask = (((x | x.wrapping_neg()) >> 63) ^ 1).wrapping_neg();
        }
        let masks = std::hint::black_box(masks);
        for (entry, mask) in entries.iter().zip(masks) {
            for (o, e) in out.as_mut().iter_mut().zip(entry.as_ref()) {
                *o |= e & mask;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_found_and_nothing_else() {
        let table: Vec<[u64; 48]> = (0..130u64)
            .map(|i| std::array::from_fn(|w| i * 1000 + w as u64 + 1))
            .collect();
        for i in 0..table.len() {
            assert_eq!(select(&table, i), table[i]);
            assert_eq!(select_body(&table, i), table[i]);
        }
        assert_eq!(select(&table, 130), [0u64; 48]);
        assert_eq!(select(&table, usize::MAX), [0u64; 48]);
    }
}
