//! The bytes of a partial state: a versioned envelope around its serde form, checked on read.
//!
//! ```text
//! offset  size  field
//! 0       8     mark: b"BRISKPS\0"
//! 8       2     format version, little-endian (FORMAT_VERSION)
//! 10      1     kind (StateKind)
//! 11      1     length of the brisk version that wrote it, n
//! 12      n     brisk version (UTF-8, e.g. "0.1.0")
//! 12+n    8     payload length, little-endian
//! 20+n    len   payload: the state, bincode (standard configuration) of its serde form
//! end-4   4     CRC-32 (IEEE) of every byte before it, little-endian
//! ```
//!
//! A state is read only when every field checks: the mark, the format version and the writing
//! brisk version equal this build's (the layout of a state may change between releases), the
//! kind is the one expected, the lengths add up, and the checksum matches. Anything else is a
//! [`ErrorKind::PartialState`] error that says which check failed, never a state merged
//! silently.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{DataError, ErrorKind, Location, Result};

/// The first bytes of every state.
const MARK: &[u8; 8] = b"BRISKPS\0";
/// The version of the envelope and of the states' layout.
pub const FORMAT_VERSION: u16 = 1;
/// The brisk release that writes (and alone reads) states.
const BRISK_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The most bytes a payload may declare (bincode's allocation limit too).
const MAX_PAYLOAD: usize = 1 << 34;

/// What a state summarises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum StateKind {
    /// Pass 1 of the statistics ([`crate::partial::StatsState`]).
    Stats = 1,
    /// Pass 2 of the statistics: the values inside the quartiles' brackets
    /// ([`crate::partial::QuartilesState`]).
    Quartiles = 2,
    /// The group-by aggregates ([`crate::partial::GroupByState`]).
    GroupBy = 3,
    /// Pass 1 of the report.
    Report = 4,
    /// Pass 2 of the report.
    ReportPass2 = 5,
}

impl StateKind {
    fn from_byte(byte: u8) -> Option<Self> {
        Some(match byte {
            1 => StateKind::Stats,
            2 => StateKind::Quartiles,
            3 => StateKind::GroupBy,
            4 => StateKind::Report,
            5 => StateKind::ReportPass2,
            _ => return None,
        })
    }

    /// How messages name the kind.
    pub fn name(self) -> &'static str {
        match self {
            StateKind::Stats => "statistics (pass 1)",
            StateKind::Quartiles => "quartiles (pass 2)",
            StateKind::GroupBy => "group-by",
            StateKind::Report => "report (pass 1)",
            StateKind::ReportPass2 => "report (pass 2)",
        }
    }
}

/// The state's bytes.
///
/// ```
/// use brisk_data::partial::{decode, encode, StateKind};
/// let bytes = encode(StateKind::Stats, &vec![1.5f64, 2.0]);
/// let back: Vec<f64> = decode(StateKind::Stats, &bytes, "s.state").unwrap();
/// assert_eq!(back, [1.5, 2.0]);
/// let mut corrupt = bytes.clone();
/// corrupt[30] ^= 1;
/// assert!(decode::<Vec<f64>>(StateKind::Stats, &corrupt, "s.state").is_err());
/// ```
pub fn encode<T: Serialize>(kind: StateKind, state: &T) -> Vec<u8> {
    let payload = bincode::serde::encode_to_vec(state, bincode::config::standard())
        .expect("a state's serde form always encodes");
    let mut bytes = Vec::with_capacity(payload.len() + 32);
    bytes.extend_from_slice(MARK);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.push(kind as u8);
    bytes.push(BRISK_VERSION.len() as u8);
    bytes.extend_from_slice(BRISK_VERSION.as_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&payload);
    let crc = crc32fast::hash(&bytes);
    bytes.extend_from_slice(&crc.to_le_bytes());
    bytes
}

/// The kind of state `bytes` hold, once the envelope checks (for a reader of any kind).
///
/// # Errors
/// As [`decode`].
pub fn kind_of(bytes: &[u8], source: &str) -> Result<StateKind> {
    Ok(open(bytes, source)?.0)
}

/// The state of kind `kind` in `bytes`; `source` names them in messages.
///
/// # Errors
/// [`ErrorKind::PartialState`]: not a state, truncated or corrupt, another format or brisk
/// version, another kind, or a payload that does not decode to a consistent state.
pub fn decode<T: DeserializeOwned>(kind: StateKind, bytes: &[u8], source: &str) -> Result<T> {
    let (found, payload) = open(bytes, source)?;
    if found != kind {
        return Err(refused(
            source,
            format!(
                "a {} state where a {} state was expected",
                found.name(),
                kind.name()
            ),
        ));
    }
    let config = bincode::config::standard().with_limit::<MAX_PAYLOAD>();
    let (state, used) = bincode::serde::decode_from_slice(payload, config)
        .map_err(|e| refused(source, format!("corrupt: the state does not decode ({e})")))?;
    if used != payload.len() {
        return Err(refused(
            source,
            "corrupt: bytes are left over after the state",
        ));
    }
    Ok(state)
}

/// The kind and payload of a checked envelope.
fn open<'a>(bytes: &'a [u8], source: &str) -> Result<(StateKind, &'a [u8])> {
    if bytes.len() < MARK.len() || &bytes[..MARK.len()] != MARK {
        return Err(refused(
            source,
            "not a brisk partial state (it does not start with brisk's mark)",
        ));
    }
    let truncated = || refused(source, format!("truncated: {} bytes", bytes.len()));
    let header = bytes.get(..12).ok_or_else(truncated)?;
    let version = u16::from_le_bytes([header[8], header[9]]);
    if version != FORMAT_VERSION {
        return Err(refused(
            source,
            format!(
                "a state of format version {version}; this brisk ({BRISK_VERSION}) reads version \
                 {FORMAT_VERSION}: make every state with the same brisk release"
            ),
        ));
    }
    let kind_byte = header[10];
    let n = usize::from(header[11]);
    let writer = bytes.get(12..12 + n).ok_or_else(truncated)?;
    let writer = String::from_utf8_lossy(writer);
    let length = bytes.get(12 + n..20 + n).ok_or_else(truncated)?;
    let length = u64::from_le_bytes(length.try_into().unwrap_or_default());
    let start = 20 + n;
    let end = usize::try_from(length)
        .ok()
        .filter(|&l| l <= MAX_PAYLOAD)
        .and_then(|l| start.checked_add(l))
        .ok_or_else(|| refused(source, format!("corrupt: a payload of {length} bytes")))?;
    if bytes.len() != end + 4 {
        return Err(refused(
            source,
            format!(
                "truncated or extended: the state declares {} bytes and holds {}",
                end + 4,
                bytes.len()
            ),
        ));
    }
    let crc = u32::from_le_bytes(bytes[end..].try_into().unwrap_or_default());
    if crc32fast::hash(&bytes[..end]) != crc {
        return Err(refused(
            source,
            "corrupt: its checksum does not match its bytes",
        ));
    }
    if writer != BRISK_VERSION {
        return Err(refused(
            source,
            format!(
                "a state written by brisk {writer}; this is brisk {BRISK_VERSION}: make every \
                 state with the same brisk release"
            ),
        ));
    }
    let kind = StateKind::from_byte(kind_byte)
        .ok_or_else(|| refused(source, format!("an unknown kind of state ({kind_byte})")))?;
    Ok((kind, &bytes[start..end]))
}

/// A refused state's error.
pub(crate) fn refused(source: &str, message: impl Into<String>) -> DataError {
    DataError::new(
        ErrorKind::PartialState,
        Location::source(source),
        message.into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Vec<u8> {
        encode(StateKind::Quartiles, &(vec![1u64, 2, 3], "x".to_owned()))
    }

    fn read(bytes: &[u8]) -> String {
        decode::<(Vec<u64>, String)>(StateKind::Quartiles, bytes, "q.state")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_state_reads_back() {
        let back: (Vec<u64>, String) = decode(StateKind::Quartiles, &state(), "q.state").unwrap();
        assert_eq!(back, (vec![1, 2, 3], "x".to_owned()));
        assert_eq!(kind_of(&state(), "q").unwrap(), StateKind::Quartiles);
    }

    #[test]
    fn every_truncation_and_every_flipped_bit_is_refused() {
        let bytes = state();
        for end in 0..bytes.len() {
            let message = read(&bytes[..end]);
            assert!(message.starts_with("q.state: "), "{message}");
        }
        for i in 0..bytes.len() {
            for bit in 0..8 {
                let mut flipped = bytes.clone();
                flipped[i] ^= 1 << bit;
                let _ = read(&flipped);
            }
        }
        assert!(read(b"").contains("not a brisk partial state"));
        assert!(read(&bytes[..bytes.len() - 1]).contains("truncated"));
        let mut corrupt = bytes.clone();
        let last = corrupt.len() - 6;
        corrupt[last] ^= 0x10;
        assert!(read(&corrupt).contains("checksum"));
    }

    #[test]
    fn another_version_or_kind_is_refused_by_name() {
        let mut other = state();
        other[8] = 9;
        assert!(read(&other).contains("format version 9"));
        let stats = encode(StateKind::Stats, &(vec![1u64], "x".to_owned()));
        assert!(read(&stats).contains("a statistics (pass 1) state where a quartiles"));
        // Another release's state, with its checksum made right.
        let mut older = state();
        let at = 12 + older[11] as usize - 1;
        older[at] = older[at].wrapping_add(1);
        let end = older.len() - 4;
        let crc = crc32fast::hash(&older[..end]).to_le_bytes();
        older[end..].copy_from_slice(&crc);
        assert!(
            read(&older).contains("written by brisk"),
            "{}",
            read(&older)
        );
    }
}
