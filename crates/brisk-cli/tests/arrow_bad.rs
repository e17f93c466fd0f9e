//! Damaged Arrow and Parquet files: whatever bytes are flipped, overwritten or cut off, `brisk`
//! exits with 0 (the damage only changed values) or 1 with an error naming the file, and never
//! panics (101), aborts or dies of a signal, nor prints a panic's message.

mod common;

use common::{brisk, golden_dir, OutputText};

/// A seeded xorshift generator: the same damage on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A position in `len` bytes: half of them in the first or last tenth, where the schema, the
/// footer and the lengths of an IPC file or a Parquet file are.
fn position(rng: &mut Rng, len: usize) -> usize {
    let tenth = (len / 10).max(1);
    match rng.below(4) {
        0 => rng.below(tenth),
        1 => len - 1 - rng.below(tenth),
        _ => rng.below(len),
    }
}

/// A damaged copy of `bytes`: a byte flipped, eight bytes overwritten by a large or
/// negative length, or the file cut short.
fn damage(bytes: &[u8], rng: &mut Rng) -> (String, Vec<u8>) {
    let mut damaged = bytes.to_vec();
    let at = position(rng, bytes.len());
    match rng.below(3) {
        0 => {
            let mask = 1 + rng.below(255) as u8;
            damaged[at] ^= mask;
            (format!("byte {at} ^= {mask:#04x}"), damaged)
        }
        1 => {
            let values: [i64; 5] = [i64::MAX, -1, -8, 1 << 40, i64::from(i32::MAX)];
            let value = values[rng.below(values.len())];
            let end = (at + 8).min(damaged.len());
            let width = end - at;
            damaged[at..end].copy_from_slice(&value.to_le_bytes()[..width]);
            (format!("bytes {at}.. = {value}"), damaged)
        }
        _ => {
            damaged.truncate(at);
            (format!("cut at {at}"), damaged)
        }
    }
}

/// Runs `brisk stats` on `runs` damaged copies of the golden input `name` and checks each exit.
fn survives_damage(name: &str, runs: usize, seed: u64) {
    let bytes = std::fs::read(golden_dir().join("formats/inputs").join(name)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let shown = path.to_str().unwrap();
    let mut rng = Rng(seed);
    let mut errors = 0;
    for _ in 0..runs {
        let (what, damaged) = damage(&bytes, &mut rng);
        std::fs::write(&path, &damaged).unwrap();
        let run = brisk(&["stats", shown]);
        let stderr = run.stderr_text();
        match run.status.code() {
            Some(0) => {}
            Some(1) => {
                errors += 1;
                assert!(
                    stderr.contains(name),
                    "{name}, {what}: the error names the file: {stderr}"
                );
            }
            code => panic!("{name}, {what}: exit {code:?} ({:?}): {stderr}", run.status),
        }
        assert!(
            !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
            "{name}, {what}: a panic's message: {stderr}"
        );
    }
    // The damage is not all in values the reader never checks.
    assert!(errors > runs / 4, "{name}: {errors} errors in {runs} runs");
}

#[test]
fn a_damaged_feather_file_is_an_error_naming_it() {
    survives_damage("airquality.feather", 200, 0x9E37_79B9_7F4A_7C15);
}

#[test]
fn a_damaged_arrow_stream_is_an_error_naming_it() {
    survives_damage("airquality.arrows", 200, 0xD1B5_4A32_D192_ED03);
}

#[test]
fn a_damaged_parquet_file_is_an_error_naming_it() {
    survives_damage("airquality.pyarrow.parquet", 150, 0x2545_F491_4F6C_DD1D);
    survives_damage("airquality.polars.parquet", 150, 0x94D0_49BB_1331_11EB);
}

#[test]
fn a_panic_of_the_parquet_reader_is_a_silent_error_naming_the_file() {
    // Damage found by fuzzing that makes polars' Parquet reader panic (some of it on a thread of
    // its pool): an assertion on a buffer's length, a slice past its end, an unreachable branch.
    let cases: [(&str, usize, &[u8]); 3] = [
        (
            "airquality.pyarrow.parquet",
            3870,
            &0x7FFF_FFFFi64.to_le_bytes(),
        ),
        ("airquality.polars.parquet", 72, &i64::MAX.to_le_bytes()),
        (
            "airquality.pyarrow.parquet",
            408,
            &[0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, at, bytes) in cases {
        let mut damaged = std::fs::read(golden_dir().join("formats/inputs").join(name)).unwrap();
        damaged[at..at + bytes.len()].copy_from_slice(bytes);
        let path = dir.path().join(name);
        std::fs::write(&path, &damaged).unwrap();
        let run = brisk(&["stats", path.to_str().unwrap()]);
        let stderr = run.stderr_text();
        assert_eq!(run.status.code(), Some(1), "{name} at {at}: {stderr}");
        assert!(
            stderr.starts_with(&format!(
                "brisk: {}: the Parquet data is damaged: ",
                path.display()
            )) && stderr.lines().count() == 1,
            "{name} at {at}: {stderr}"
        );
    }
}
