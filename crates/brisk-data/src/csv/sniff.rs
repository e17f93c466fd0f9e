//! Guessing the field delimiter of a `.csv` file that is not comma-separated.
//!
//! Spreadsheets in many locales export `;`-separated "CSV", and other tools write `|` or tabs. Read
//! with commas, such a file is one text column whose name is the whole header line. So when the
//! header holds no comma outside quotes, and one of `;`, tab or `|` splits every record of the
//! sample into the same number of fields, more than one, that delimiter is taken (the first of
//! them that does, in that order). The caller says so to the user: it is never silent. Quotes and
//! comments count as the reader will read them ([`Quoting`]).
//!
//! ```
//! use brisk_data::csv::{sniff_delimiter, Quoting};
//! let q = Quoting::default();
//! let sniffed = sniff_delimiter(b"Ozone;Solar.R;Wind\n41;190;7,4\n36;118;8\n", true, q).unwrap();
//! assert_eq!((sniffed.delimiter, sniffed.columns), (b';', 3));
//! assert!(sniff_delimiter(b"a,b\n1,2\n", true, q).is_none());
//! assert!(sniff_delimiter(b"text\nx;y\nz\n", true, q).is_none()); // ';' is not consistent
//! ```

use super::Quoting;

/// The bytes at the start of a file the guess reads.
pub const SNIFF_BYTES: usize = 64 << 10;

/// The delimiters tried, in order, when the header holds no comma.
const CANDIDATES: [u8; 3] = [b';', b'\t', b'|'];

/// A delimiter guessed from a sample of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    /// The delimiter every record of the sample split on consistently.
    pub delimiter: u8,
    /// The number of fields each record of the sample has with it.
    pub columns: usize,
    /// The records of the sample (the header included).
    pub records: usize,
}

/// The delimiter of a `.csv` file whose header has no comma, from `sample`, the start of the file
/// (`complete` when it is the whole file; otherwise its last, perhaps cut, record is left out).
/// `None` when the header has a comma outside quotes, or no candidate splits every record into
/// the same number of fields, more than one.
pub fn sniff_delimiter(sample: &[u8], complete: bool, quoting: Quoting) -> Option<Sniffed> {
    let sample = sample.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(sample);
    let sample = if complete {
        sample
    } else {
        // Up to the last line end: the record after it may be cut.
        &sample[..sample.iter().rposition(|&b| b == b'\n')? + 1]
    };
    let header = field_counts(sample, b',', quoting).next()?;
    if header != 1 {
        return None;
    }
    CANDIDATES.into_iter().find_map(|delimiter| {
        let mut counts = field_counts(sample, delimiter, quoting);
        let columns = counts.next()?;
        let mut records = 1;
        for count in counts {
            if count != columns {
                return None;
            }
            records += 1;
        }
        (columns > 1).then_some(Sniffed {
            delimiter,
            columns,
            records,
        })
    })
}

/// The number of fields of each non-blank record of `text` split on `delimiter`, as RFC 4180
/// reads it: delimiters and line ends inside quotes do not count, nor does a comment.
fn field_counts(text: &[u8], delimiter: u8, quoting: Quoting) -> impl Iterator<Item = usize> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || loop {
        if rest.is_empty() {
            return None;
        }
        let (mut fields, mut quoted, mut blank, mut comment) = (1, false, true, false);
        let mut end = rest.len();
        for (i, &b) in rest.iter().enumerate() {
            match b {
                b'\n' if !quoted => {
                    end = i + 1;
                    break;
                }
                _ if comment => continue,
                _ if b == quoting.quote => quoted = !quoted,
                _ if Some(b) == quoting.comment && !quoted => {
                    comment = true;
                    continue;
                }
                b'\r' if !quoted => continue,
                _ if b == delimiter && !quoted => fields += 1,
                _ => {}
            }
            blank = false;
        }
        rest = &rest[end..];
        if !blank {
            return Some(fields);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff(text: &str) -> Option<(char, usize)> {
        sniff_delimiter(text.as_bytes(), true, Quoting::default())
            .map(|s| (s.delimiter as char, s.columns))
    }

    #[test]
    fn semicolons_tabs_and_pipes_are_found_when_the_header_has_no_comma() {
        assert_eq!(sniff("a;b;c\n1;2;3\n"), Some((';', 3)));
        assert_eq!(sniff("a\tb\r\n1\t2\r\n"), Some(('\t', 2)));
        assert_eq!(sniff("a|b\n1|2\n\n3|4\n"), Some(('|', 2)));
        // Decimal commas in the values do not matter: only the header is read on ','.
        assert_eq!(sniff("x;y\n1,5;2,25\n"), Some((';', 2)));
        // A byte-order mark is not part of the header.
        assert_eq!(sniff("\u{feff}a;b\n1;2\n"), Some((';', 2)));
    }

    #[test]
    fn commas_one_column_and_inconsistent_splits_are_left_alone() {
        assert_eq!(sniff("a,b\n1;2,3\n"), None);
        assert_eq!(sniff("name\nx\ny\n"), None);
        assert_eq!(sniff("a;b\n1;2;3\n"), None);
        assert_eq!(sniff(""), None);
        // A delimiter inside quotes is text.
        assert_eq!(sniff("\"a;b\"\n\"1;2\"\n"), None);
        assert_eq!(sniff("\"a,b\";c\n1;2\n"), Some((';', 2)));
    }

    #[test]
    fn a_cut_sample_leaves_out_its_last_record() {
        let text = b"a;b\n1;2\n3;4;5";
        let q = Quoting::default();
        assert_eq!(sniff_delimiter(text, false, q).map(|s| s.columns), Some(2));
        assert_eq!(sniff_delimiter(text, true, q), None);
        assert_eq!(sniff_delimiter(b"a;b", false, q), None);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_are_safe_and_a_generated_table_is_found(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            cut in proptest::prelude::any::<bool>(),
            cells in proptest::collection::vec(
                proptest::collection::vec("[a-z0-9 .]{0,4}", 3), 1..20),
            sep in proptest::sample::select(vec![b';', b'\t', b'|']),
        ) {
            let _ = sniff_delimiter(&bytes, cut, Quoting::default());
            let mut text = Vec::new();
            for row in std::iter::once(&vec!["x".into(), "y".into(), "z".into()]).chain(&cells) {
                text.extend_from_slice(row.join(&char::from(sep).to_string()).as_bytes());
                text.push(b'\n');
            }
            let sniffed = sniff_delimiter(&text, true, Quoting::default()).unwrap();
            proptest::prop_assert_eq!((sniffed.delimiter, sniffed.columns), (sep, 3));
        }
    }

    #[test]
    fn quoted_line_ends_stay_in_their_record() {
        assert_eq!(sniff("a;b\n\"x\ny\";2\n"), Some((';', 2)));
    }

    #[test]
    fn another_quote_and_comments_count_as_the_reader_reads_them() {
        let quoting = Quoting {
            quote: b'\'',
            comment: Some(b'#'),
        };
        let text = b"# made by a; tool, 2026\na;b # x;y\n'1;2';3\n#\n4;5\n";
        let sniffed = sniff_delimiter(text, true, quoting).unwrap();
        assert_eq!(
            (sniffed.delimiter, sniffed.columns, sniffed.records),
            (b';', 2, 3)
        );
    }
}
