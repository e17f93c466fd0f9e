use super::*;

/// The header, the records and the line each record starts on.
type Parsed = (Vec<String>, Vec<Vec<String>>, Vec<u64>);

fn read_all(text: &[u8], chunk_rows: usize) -> Result<Parsed> {
    read_with(text, chunk_rows, true)
}

fn read_with(text: &[u8], chunk_rows: usize, header: bool) -> Result<Parsed> {
    let options = CsvOptions {
        chunk_rows,
        header,
        ..CsvOptions::default()
    };
    read_options(text, options)
}

fn read_options(text: &[u8], options: CsvOptions) -> Result<Parsed> {
    let mut reader = CsvReader::new(text, "t.csv", options)?;
    let mut chunk = Chunk::default();
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    while reader.next_chunk(&mut chunk)? {
        for r in 0..chunk.rows() {
            let fields = (0..reader.header().len())
                .map(|c| String::from_utf8(chunk.field(r, c).to_vec()).unwrap())
                .collect();
            rows.push(fields);
            lines.push(chunk.line(r));
        }
    }
    Ok((reader.header().to_vec(), rows, lines))
}

fn read_quoted(text: &str, quoting: Quoting, chunk_rows: usize) -> Result<Parsed> {
    let options = CsvOptions {
        chunk_rows,
        quoting,
        ..CsvOptions::default()
    };
    read_options(text.as_bytes(), options)
}

#[test]
fn another_quote_character_quotes_and_escapes_as_the_double_quote_does() {
    let quoting = Quoting {
        quote: b'\'',
        comment: None,
    };
    for chunk_rows in [1, 3] {
        let (names, records, lines) = read_quoted(
            "'a,1',b\n'x''y',\"z\"\n'multi\nline',2\n",
            quoting,
            chunk_rows,
        )
        .unwrap();
        assert_eq!(names, ["a,1", "b"]);
        assert_eq!(records, [["x'y", "\"z\""], ["multi\nline", "2"]]);
        assert_eq!(lines, [2, 3]);
    }
}

#[test]
fn a_comment_ends_the_record_and_a_commented_line_is_skipped() {
    let quoting = Quoting {
        quote: b'"',
        comment: Some(b'#'),
    };
    let text =
        "# exported 2026-12-07\na,b\n1,2 # a note, with a comma\n#3,4\n\"#5\",6\r\n7,8#\n9,10";
    for chunk_rows in [1, 2, 10] {
        let (names, records, lines) = read_quoted(text, quoting, chunk_rows).unwrap();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(records, [["1", "2 "], ["#5", "6"], ["7", "8"], ["9", "10"]]);
        assert_eq!(lines, [3, 5, 6, 7]);
    }
    // A comment does not hide a missing field.
    let err = read_quoted("a,b\n1 # 2\n", quoting, 4).unwrap_err();
    assert_eq!(
        (err.kind, err.location.line),
        (ErrorKind::RaggedRow, Some(2))
    );
}

fn rows(text: &str) -> Vec<Vec<String>> {
    read_all(text.as_bytes(), 2).unwrap().1
}

#[test]
fn without_a_header_the_first_record_is_data_and_columns_are_numbered() {
    for chunk_rows in [1, 2, 100] {
        let (names, records, lines) =
            read_with(b"\xEF\xBB\xBF1,\"x\ny\"\r\n3,4\n\n5,6", chunk_rows, false).unwrap();
        assert_eq!(names, ["0", "1"]);
        assert_eq!(records, [["1", "x\ny"], ["3", "4"], ["5", "6"]]);
        assert_eq!(lines, [1, 3, 5]);
    }
    let error = read_with(b"1,2\n3\n", 2, false).unwrap_err().to_string();
    assert!(error.contains("t.csv:2"), "{error}");
    assert!(read_with(b"", 2, false).is_err());
}

#[test]
fn plain_records() {
    assert_eq!(rows("a,b\n1,2\n3,4\n"), [["1", "2"], ["3", "4"]]);
    assert_eq!(rows("a,b\n1,2\n3,4"), [["1", "2"], ["3", "4"]]);
}

#[test]
fn quoted_fields_with_delimiters_newlines_and_escapes() {
    let text = "a,b\n\"x,y\",\"line1\nline2\"\n\"say \"\"hi\"\"\",\"\"\n";
    let (_, got, lines) = read_all(text.as_bytes(), 1).unwrap();
    assert_eq!(got, [["x,y", "line1\nline2"], ["say \"hi\"", ""]]);
    assert_eq!(lines, [2, 4]);
}

#[test]
fn crlf_bom_and_blank_lines() {
    let text = "\u{feff}a,b\r\n1,2\r\n\r\n\"3\",4\r\n";
    let (header, got, lines) = read_all(text.as_bytes(), 10).unwrap();
    assert_eq!(header, ["a", "b"]);
    assert_eq!(got, [["1", "2"], ["3", "4"]]);
    assert_eq!(lines, [2, 4]);
}

#[test]
fn literal_quote_inside_unquoted_field_and_text_after_closing_quote() {
    assert_eq!(rows("a,b\nab\"c,\"q\"r\n"), [["ab\"c", "qr"]]);
}

#[test]
fn duplicate_and_empty_header_names_are_made_unique() {
    let (header, _, _) = read_all(b"a,a,,a\n", 4).unwrap();
    assert_eq!(header, ["a", "a.1", "Unnamed: 2", "a.2"]);
}

#[test]
fn records_split_across_reads_and_chunks() {
    let mut text = String::from("k,v\n");
    for i in 0..300_000 {
        text.push_str(&format!("{i},\"v{i}\"\"\n\"\n"));
    }
    let (_, got, lines) = read_all(text.as_bytes(), 7_777).unwrap();
    assert_eq!(got.len(), 300_000);
    assert_eq!(got[123_456], ["123456", "v123456\"\n"]);
    assert_eq!(lines[299_999], 2 + 2 * 299_999);
}

#[test]
fn ragged_rows_name_line_and_column() {
    let err = read_all(b"a,b\n1,2\n1,2,3\n", 10).unwrap_err();
    assert_eq!(err.kind, ErrorKind::RaggedRow);
    assert_eq!(err.location.line, Some(3));
    assert_eq!(err.location.column, Some(3));
    let err = read_all(b"a,b\n1\n", 10).unwrap_err();
    assert_eq!(err.location.line, Some(2));
    assert_eq!(err.location.column_name.as_deref(), Some("b"));
}

#[test]
fn unterminated_quote_names_where_it_opened() {
    let err = read_all(b"a,b\n1,2\n3,\"open\n\nmore", 10).unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnterminatedQuote);
    assert_eq!(err.location.line, Some(3));
    assert_eq!(err.location.column, Some(2));
}

#[test]
fn invalid_utf8_and_nul_bytes_are_refused() {
    let err = read_all(b"a,b\n1,2\n3,\xff\n", 10).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidUtf8);
    assert_eq!(err.location.line, Some(3));
    assert_eq!(err.location.column, Some(2));
    let err = read_all(b"a,b\n1,\0\n", 10).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Binary);
}

#[test]
fn empty_input_has_no_header() {
    assert_eq!(read_all(b"", 10).unwrap_err().kind, ErrorKind::Empty);
    assert_eq!(read_all(b"\n\n", 10).unwrap_err().kind, ErrorKind::Empty);
    assert_eq!(read_all(b"a,b\n", 10).unwrap().1.len(), 0);
}

#[test]
fn a_five_megabyte_field() {
    let big = "x".repeat(5 << 20);
    let text = format!("a,b\n1,\"{big}\"\n2,{big}\n");
    let (_, got, _) = read_all(text.as_bytes(), 10).unwrap();
    assert_eq!(got[0][1].len(), 5 << 20);
    assert_eq!(got[1][1].len(), 5 << 20);
}

/// A reader that hands out one byte per call, to exercise every split point.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.split_first() {
            Some((&b, rest)) if !buf.is_empty() => {
                buf[0] = b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

#[test]
fn byte_by_byte_reads_give_the_same_records() {
    let text = b"\xEF\xBB\xBFa,b\r\n\"x\"\"y\",\"1\r\n2\"\r\n3,4";
    let mut reader = CsvReader::new(Trickle(text), "t.csv", CsvOptions::default()).unwrap();
    let mut chunk = Chunk::default();
    assert!(reader.next_chunk(&mut chunk).unwrap());
    assert_eq!(reader.header(), ["a", "b"]);
    assert_eq!(chunk.field(0, 0), b"x\"y");
    assert_eq!(chunk.field(0, 1), b"1\r\n2");
    assert_eq!(chunk.field(1, 1), b"4");
}

/// A reader that hands out at most `step` bytes per call.
struct Steps<'a> {
    rest: &'a [u8],
    step: usize,
}

impl Read for Steps<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.rest.len().min(self.step).min(buf.len());
        buf[..n].copy_from_slice(&self.rest[..n]);
        self.rest = &self.rest[n..];
        Ok(n)
    }
}

/// RFC 4180 writing, the plain way: quote a field when it holds a special byte or is empty.
fn write_record(fields: &[String], delimiter: char, crlf: bool) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.is_empty() || f.contains([delimiter, '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect();
    let end = if crlf { "\r\n" } else { "\n" };
    quoted.join(&delimiter.to_string()) + end
}

proptest::proptest! {
    #[test]
    fn random_records_read_back_exactly(
        table in proptest::collection::vec(
            proptest::collection::vec("[a,\"\t\r\n é1.]{0,12}", 3),
            1..60,
        ),
        tab in proptest::bool::ANY,
        crlf in proptest::bool::ANY,
        step in 1usize..200,
        chunk_rows in 1usize..9,
    ) {
        let delimiter = if tab { '\t' } else { ',' };
        let header = ["a", "b", "c"].map(String::from);
        let mut text = write_record(&header, delimiter, crlf);
        for record in &table {
            text.push_str(&write_record(record, delimiter, crlf));
        }
        let options = CsvOptions { delimiter: delimiter as u8, chunk_rows, ..CsvOptions::default() };
        let source = Steps { rest: text.as_bytes(), step };
        let mut reader = CsvReader::new(source, "random.csv", options).unwrap();
        let mut chunk = Chunk::default();
        let mut got: Vec<Vec<String>> = Vec::new();
        while reader.next_chunk(&mut chunk).unwrap() {
            proptest::prop_assert!(chunk.rows() <= chunk_rows);
            for r in 0..chunk.rows() {
                got.push((0..3).map(|c| String::from_utf8(chunk.field(r, c).to_vec()).unwrap()).collect());
            }
        }
        proptest::prop_assert_eq!(got, table);
    }
}
