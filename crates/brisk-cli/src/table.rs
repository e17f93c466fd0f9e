//! Text renderings shared by commands: aligned tables, CSV fields, and numbers for people.

use std::io::{self, Write};

/// A table printed with aligned columns; numeric-looking cells align right.
pub struct TextTable {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    /// A table with these column titles.
    pub fn new(header: &[&str]) -> Self {
        TextTable {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Whether the table has no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Writes the table.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let widths: Vec<usize> = (0..self.header.len())
            .map(|j| {
                std::iter::once(&self.header)
                    .chain(&self.rows)
                    .map(|r| r.get(j).map_or(0, |c| c.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in std::iter::once(&self.header).chain(&self.rows) {
            let mut line = String::new();
            for (j, cell) in row.iter().enumerate() {
                let pad = widths[j].saturating_sub(cell.chars().count());
                if j > 0 {
                    line.push_str("  ");
                }
                if j > 0 && looks_numeric(cell) {
                    line.extend(std::iter::repeat_n(' ', pad));
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

fn looks_numeric(cell: &str) -> bool {
    cell.parse::<f64>().is_ok() || cell == "—"
}

/// A number with six significant digits, as pandas prints a summary.
pub fn human(x: Option<f64>) -> String {
    brisk_data::frame::format::six_digits(x)
}

/// A number as the shortest text that reads back to the same `f64`, written as Python writes it
/// (`1e+308`, not 309 digits); empty for none.
pub fn exact(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| {
        let mut text = Vec::new();
        brisk_data::frame::format::push_float(&mut text, x);
        String::from_utf8(text).unwrap_or_default()
    })
}

/// A CSV field, quoted when it must be (RFC 4180).
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_numbers() {
        assert_eq!(human(Some(43.92193)), "43.9219");
        assert_eq!(human(Some(4201.754385964912)), "4201.75");
        assert_eq!(human(Some(-0.8760270)), "-0.876027");
        assert_eq!(human(Some(1e9 + 0.5)), "1.00000e9");
        assert_eq!(human(Some(3.0)), "3");
        assert_eq!(human(None), "—");
        assert_eq!(human(Some(f64::INFINITY)), "inf");
    }

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
