//! Text encodings other than UTF-8, transcoded to UTF-8 while the input streams.
//!
//! brisk's parsers read UTF-8. A file written in Latin-1 (ISO 8859-1), Windows-1252 (what Excel
//! on Windows calls "ANSI") or UTF-16 (Excel's "Unicode text") is read through a [`Transcoder`],
//! which decodes it as Python's codec of the same name does (`pandas.read_csv(encoding=...)`) and
//! hands the parser UTF-8, a block at a time: nothing is decoded to disk. A byte sequence the
//! encoding cannot decode is an error naming the line, as Python's `UnicodeDecodeError` would be.
//!
//! ```
//! use std::io::Read;
//! use brisk_data::encoding::{Encoding, Transcoder};
//! let latin1 = b"name,city\nRen\xe9,K\xf6ln\n";
//! let mut text = String::new();
//! Transcoder::new(&latin1[..], Encoding::Latin1, "t.csv")
//!     .read_to_string(&mut text)
//!     .unwrap();
//! assert_eq!(text, "name,city\nRené,Köln\n");
//! assert_eq!(Encoding::from_name("UTF-16"), Some(Encoding::Utf16));
//! ```

use std::io::{self, Read};

use crate::error::{DataError, ErrorKind, Location};

/// An encoding brisk transcodes, by Python's codec names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, read as it is (a byte-order mark is skipped).
    Utf8,
    /// ISO 8859-1: each byte is the code point of the same number; every byte decodes.
    Latin1,
    /// Windows-1252: Latin-1 with printable characters (`€`, `‘`, `—`, …) in 0x80–0x9F, where
    /// 0x81, 0x8D, 0x8F, 0x90 and 0x9D decode to nothing and are errors (Python's `cp1252`).
    Windows1252,
    /// UTF-16 in the byte order its byte-order mark gives, little-endian without one (Python's
    /// `utf-16` on every common machine); the mark is not part of the text.
    Utf16,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
}

impl Encoding {
    /// The encoding a Python codec name names, in any case, with `-` or `_` or neither: `utf-8`,
    /// `latin1` (`latin-1`, `iso-8859-1`, `l1`), `cp1252` (`windows-1252`), `utf-16`,
    /// `utf-16-le`, `utf-16-be`. `None` for any other name.
    pub fn from_name(name: &str) -> Option<Encoding> {
        let key: String = name
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        Some(match key.as_str() {
            "utf8" | "utf8sig" | "u8" => Encoding::Utf8,
            "latin1" | "latin" | "l1" | "iso88591" => Encoding::Latin1,
            "cp1252" | "windows1252" => Encoding::Windows1252,
            "utf16" | "u16" => Encoding::Utf16,
            "utf16le" => Encoding::Utf16Le,
            "utf16be" => Encoding::Utf16Be,
            _ => return None,
        })
    }

    /// The names [`Encoding::from_name`] takes, for messages.
    pub const NAMES: &'static str = "utf-8, latin1, cp1252, utf-16, utf-16-le, utf-16-be";

    /// How messages name it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Latin1 => "latin1",
            Encoding::Windows1252 => "cp1252",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf16Le => "utf-16-le",
            Encoding::Utf16Be => "utf-16-be",
        }
    }
}

/// The characters Windows-1252 puts at 0x80–0x9F; `None` where it has none.
const WINDOWS_1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// Bytes read from the source per refill.
const BLOCK: usize = 64 << 10;

/// A reader of UTF-8 over a source in another [`Encoding`].
pub struct Transcoder<R> {
    source: R,
    encoding: Encoding,
    name: String,
    /// Raw bytes read but not decoded yet (at most a cut UTF-16 unit or surrogate pair).
    pending: Vec<u8>,
    /// Decoded UTF-8 not handed out yet, from `out_at`.
    out: Vec<u8>,
    out_at: usize,
    /// How much of `out` has had its line ends counted.
    counted: usize,
    /// The line of the text decoded so far (1-based), for errors.
    line: u64,
    /// Bytes of the source decoded so far, for errors.
    offset: u64,
    started: bool,
    eof: bool,
}

impl<R: Read> Transcoder<R> {
    /// Reads `source` as `encoding`; `name` is how errors name the input.
    pub fn new(source: R, encoding: Encoding, name: &str) -> Self {
        Transcoder {
            source,
            encoding,
            name: name.to_owned(),
            pending: Vec::new(),
            out: Vec::new(),
            out_at: 0,
            counted: 0,
            line: 1,
            offset: 0,
            started: false,
            eof: false,
        }
    }

    /// Reads and decodes the next block into `out`.
    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.out_at = 0;
        self.counted = 0;
        while self.out.is_empty() && !self.eof {
            let kept = self.pending.len();
            self.pending.resize(kept + BLOCK, 0);
            let n = loop {
                match self.source.read(&mut self.pending[kept..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.pending.truncate(kept);
                        return Err(e);
                    }
                }
            };
            self.pending.truncate(kept + n);
            self.eof = n == 0;
            let raw = std::mem::take(&mut self.pending);
            let used = self.decode(&raw)?;
            self.offset += used as u64;
            self.pending = raw[used..].to_vec();
            if self.eof && !self.pending.is_empty() {
                return Err(self.undecodable(format!(
                    "the file ends inside a {} character (a cut byte sequence)",
                    self.encoding.name()
                )));
            }
        }
        Ok(())
    }

    /// Decodes what it can of `raw` into `out`; returns the bytes used.
    fn decode(&mut self, raw: &[u8]) -> io::Result<usize> {
        let mut raw = raw;
        let mut skipped = 0;
        if !self.started {
            // A byte-order mark needs its first bytes.
            if raw.len() < 3 && !self.eof {
                return Ok(0);
            }
            self.started = true;
            if self.encoding == Encoding::Utf16 {
                self.encoding = match raw {
                    [0xFE, 0xFF, ..] => Encoding::Utf16Be,
                    _ => Encoding::Utf16Le,
                };
                if raw.starts_with(&[0xFF, 0xFE]) || raw.starts_with(&[0xFE, 0xFF]) {
                    raw = &raw[2..];
                    skipped = 2;
                }
            }
        }
        let used = match self.encoding {
            Encoding::Utf8 => {
                self.out.extend_from_slice(raw);
                raw.len()
            }
            Encoding::Latin1 => {
                for &b in raw {
                    push_char(&mut self.out, char::from(b));
                }
                raw.len()
            }
            Encoding::Windows1252 => {
                for (i, &b) in raw.iter().enumerate() {
                    let c = match b {
                        0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
                        _ => Some(char::from(b)),
                    };
                    let Some(c) = c else {
                        self.offset += i as u64;
                        self.count_lines();
                        return Err(self.undecodable(format!(
                            "byte 0x{b:02X} decodes to no character in cp1252"
                        )));
                    };
                    push_char(&mut self.out, c);
                }
                raw.len()
            }
            Encoding::Utf16 | Encoding::Utf16Le | Encoding::Utf16Be => {
                self.decode_utf16(raw, skipped)?
            }
        };
        self.count_lines();
        Ok(skipped + used)
    }

    /// Decodes the whole UTF-16 units of `raw`, which starts `base` bytes into the block, leaving
    /// a cut unit or a high surrogate whose pair is not read yet; returns the bytes used.
    fn decode_utf16(&mut self, raw: &[u8], base: usize) -> io::Result<usize> {
        let big = self.encoding == Encoding::Utf16Be;
        let unit = |at: usize| {
            let pair = [raw[at], raw[at + 1]];
            if big {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        };
        let mut at = 0;
        while at + 2 <= raw.len() {
            let first = unit(at);
            let c = match first {
                0xD800..=0xDBFF => {
                    if at + 4 > raw.len() {
                        break;
                    }
                    let second = unit(at + 2);
                    if !(0xDC00..=0xDFFF).contains(&second) {
                        return Err(self.bad_unit(base + at, first));
                    }
                    let code = 0x10000
                        + ((u32::from(first) - 0xD800) << 10)
                        + (u32::from(second) - 0xDC00);
                    at += 2;
                    char::from_u32(code).expect("a surrogate pair is a scalar value")
                }
                0xDC00..=0xDFFF => return Err(self.bad_unit(base + at, first)),
                _ => char::from_u32(u32::from(first)).expect("not a surrogate"),
            };
            push_char(&mut self.out, c);
            at += 2;
        }
        Ok(at)
    }

    /// The error of a lone surrogate at byte `at` of the current block.
    fn bad_unit(&mut self, at: usize, unit: u16) -> io::Error {
        self.offset += at as u64;
        self.count_lines();
        self.undecodable(format!(
            "a lone surrogate 0x{unit:04X} at byte {}: this is not valid {}",
            self.offset,
            self.encoding.name()
        ))
    }

    /// Counts the line ends of the text decoded but not counted yet.
    fn count_lines(&mut self) {
        let fresh = &self.out[self.counted..];
        self.line += memchr::memchr_iter(b'\n', fresh).count() as u64;
        self.counted = self.out.len();
    }

    fn undecodable(&self, message: String) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            DataError::new(
                ErrorKind::Encoding,
                Location::source(&self.name).at_line(self.line),
                format!("{message}; is the file in another encoding?"),
            ),
        )
    }
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut utf8 = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
}

impl<R: Read> Read for Transcoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_at >= self.out.len() {
            self.refill()?;
        }
        let ready = &self.out[self.out_at..];
        let n = ready.len().min(buf.len());
        buf[..n].copy_from_slice(&ready[..n]);
        self.out_at += n;
        Ok(n)
    }
}

/// The error a [`Transcoder`] put inside an `io::Error`, if this is one.
pub(crate) fn undecodable(err: &io::Error) -> Option<DataError> {
    err.get_ref()?.downcast_ref::<DataError>().cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], encoding: Encoding) -> Result<String, DataError> {
        // One byte at a time too: a character cut between reads decodes the same.
        let mut whole = String::new();
        let got = Transcoder::new(bytes, encoding, "t.csv").read_to_string(&mut whole);
        let mut bytewise = String::new();
        let trickle = Trickle(bytes);
        let got_bytewise =
            Transcoder::new(trickle, encoding, "t.csv").read_to_string(&mut bytewise);
        match (got, got_bytewise) {
            (Ok(_), Ok(_)) => {
                assert_eq!(whole, bytewise);
                Ok(whole)
            }
            (Err(a), Err(b)) => {
                let (a, b) = (undecodable(&a).unwrap(), undecodable(&b).unwrap());
                assert_eq!(a, b);
                Err(a)
            }
            (a, b) => panic!("{a:?} against {b:?}"),
        }
    }

    /// A source that gives one byte a read.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let Some((&first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buf[0] = first;
            self.0 = rest;
            Ok(1)
        }
    }

    fn utf16(text: &str, big: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
        for u in units {
            out.extend_from_slice(&if big {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn latin1_and_cp1252_decode_as_python_does() {
        let every: Vec<u8> = (0..=255).collect();
        let latin1 = decode(&every, Encoding::Latin1).unwrap();
        assert_eq!(
            latin1.chars().map(u32::from).collect::<Vec<_>>(),
            (0..=255).collect::<Vec<u32>>()
        );
        assert_eq!(
            decode(b"\x80 \x93x\x94 \x96", Encoding::Windows1252).unwrap(),
            "€ “x” –"
        );
        let err = decode(b"a,b\n1,2\n3,\x81\n", Encoding::Windows1252).unwrap_err();
        assert_eq!(
            (err.kind, err.location.line),
            (ErrorKind::Encoding, Some(3))
        );
        assert!(err.message.contains("0x81"), "{}", err.message);
    }

    #[test]
    fn utf16_follows_its_mark_and_defaults_to_little_endian() {
        let text = "x,y\nRené,😀\n";
        for (big, bom, encoding) in [
            (false, true, Encoding::Utf16),
            (true, true, Encoding::Utf16),
            (false, false, Encoding::Utf16),
            (false, false, Encoding::Utf16Le),
            (true, false, Encoding::Utf16Be),
        ] {
            assert_eq!(decode(&utf16(text, big, bom), encoding).unwrap(), text);
        }
    }

    #[test]
    fn broken_utf16_is_an_error_naming_the_line() {
        let mut bytes = utf16("a\nb\n", false, true);
        bytes.extend_from_slice(&0xDC00u16.to_le_bytes());
        let err = decode(&bytes, Encoding::Utf16).unwrap_err();
        assert_eq!(err.location.line, Some(3));
        assert!(err.message.contains("lone surrogate"), "{}", err.message);
        // A high surrogate without its pair, and an odd byte at the end.
        let mut bytes = utf16("a\n", false, false);
        bytes.extend_from_slice(&0xD800u16.to_le_bytes());
        bytes.extend_from_slice(&u16::from(b'x').to_le_bytes());
        assert!(decode(&bytes, Encoding::Utf16Le).is_err());
        let mut bytes = utf16("a\n", false, false);
        bytes.push(b'b');
        let err = decode(&bytes, Encoding::Utf16Le).unwrap_err();
        assert!(err.message.contains("ends inside"), "{}", err.message);
    }

    #[test]
    fn names_are_python_codec_names() {
        for (name, encoding) in [
            ("utf-8", Encoding::Utf8),
            ("UTF8", Encoding::Utf8),
            ("latin-1", Encoding::Latin1),
            ("ISO-8859-1", Encoding::Latin1),
            ("windows-1252", Encoding::Windows1252),
            ("utf_16_le", Encoding::Utf16Le),
            ("UTF-16BE", Encoding::Utf16Be),
        ] {
            assert_eq!(Encoding::from_name(name), Some(encoding), "{name}");
        }
        assert_eq!(Encoding::from_name("ebcdic"), None);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_or_fail_without_panic(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
        ) {
            for encoding in [Encoding::Utf16, Encoding::Utf16Be, Encoding::Windows1252, Encoding::Latin1] {
                let mut text = String::new();
                let _ = Transcoder::new(&bytes[..], encoding, "t").read_to_string(&mut text);
            }
        }
    }
}
