//! A self-contained HTML document: a header, numbered sections and tables, with the CSS inline.

use std::fmt::Write;

use super::escape;

const STYLE: &str = r#"
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --accent: #2b6cb0; --paper: #ffffff; --band: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--band); color: var(--ink);
       font: 15px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
header { background: var(--ink); color: #fff; padding: 24px 40px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 0; color: #c9d1e0; }
nav { padding: 10px 40px; background: var(--paper); border-bottom: 1px solid var(--line); }
nav a { color: var(--accent); margin-right: 16px; text-decoration: none; }
main { padding: 16px 40px 40px; max-width: 1280px; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 6px;
          padding: 16px 24px; margin: 16px 0; }
h2 { margin: 0 0 12px; font-size: 19px; }
p.note { color: var(--muted); }
.warning { border-left: 4px solid #c0392b; background: #fdf0ee; padding: 0.2em 1em; margin: 0.8em 0; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; }
th { background: var(--band); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
.figure svg { max-width: 100%; height: auto; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 8px; }
.fact { background: var(--band); border-radius: 4px; padding: 8px 12px; }
.fact b { display: block; font-size: 20px; }
.bar { display: inline-block; height: 10px; background: var(--accent); vertical-align: middle; }
ul.hints li { margin: 4px 0; }
"#;

/// A table under construction; cells are escaped as they are added, numbers right-aligned.
#[derive(Debug, Default)]
pub struct Table {
    html: String,
}

impl Table {
    /// A table with these column headings.
    pub fn new(headings: &[&str]) -> Table {
        let mut html = String::from("<div class=\"scroll\"><table><thead><tr>");
        for heading in headings {
            let _ = write!(html, "<th>{}</th>", escape(heading));
        }
        html.push_str("</tr></thead><tbody>");
        Table { html }
    }

    /// Appends a row: the first cell is a name (left-aligned), the others are right-aligned
    /// when they read as a number.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        self.html.push_str("<tr>");
        for (i, cell) in cells.iter().enumerate() {
            let cell = cell.as_ref();
            let numeric = i > 0 && looks_numeric(cell);
            let class = if numeric { " class=\"num\"" } else { "" };
            let _ = write!(self.html, "<td{class}>{}</td>", escape(cell));
        }
        self.html.push_str("</tr>");
    }

    /// Appends a row whose last cell is trusted HTML made by the report itself (a bar).
    pub fn row_with_html<S: AsRef<str>>(&mut self, cells: &[S], html: &str) {
        self.row(cells);
        self.html.truncate(self.html.len() - "</tr>".len());
        let _ = write!(self.html, "<td>{html}</td></tr>");
    }

    /// The finished table.
    pub fn finish(mut self) -> String {
        self.html.push_str("</tbody></table></div>");
        self.html
    }
}

fn looks_numeric(cell: &str) -> bool {
    cell == "—" || cell.trim_end_matches('%').parse::<f64>().is_ok()
}

/// An HTML document being written section by section.
///
/// ```
/// use brisk_report::html::Page;
/// let mut page = Page::new("brisk report", "data.csv <1>");
/// page.section("overview", "Overview", "<p>hello</p>");
/// let html = page.finish();
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains("data.csv &lt;1&gt;"));
/// assert!(html.contains("<section id=\"overview\">"));
/// ```
#[derive(Debug)]
pub struct Page {
    title: String,
    subtitle: String,
    sections: Vec<(String, String, String)>,
}

impl Page {
    /// A page with a title and a subtitle (both escaped).
    pub fn new(title: &str, subtitle: &str) -> Page {
        Page {
            title: title.to_owned(),
            subtitle: subtitle.to_owned(),
            sections: Vec::new(),
        }
    }

    /// Adds a section; `id` and `heading` are escaped, `body` is HTML the caller built (with
    /// every piece of data in it escaped).
    pub fn section(&mut self, id: &str, heading: &str, body: &str) {
        self.sections
            .push((id.to_owned(), heading.to_owned(), body.to_owned()));
    }

    /// The whole document.
    pub fn finish(self) -> String {
        let mut html =
            String::with_capacity(4096 + self.sections.iter().map(|s| s.2.len()).sum::<usize>());
        let _ = write!(
            html,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title} — {subtitle}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <header><h1>{title}</h1><p>{subtitle}</p></header>\n<nav>",
            title = escape(&self.title),
            subtitle = escape(&self.subtitle),
        );
        for (id, heading, _) in &self.sections {
            let _ = write!(html, "<a href=\"#{}\">{}</a>", escape(id), escape(heading));
        }
        html.push_str("</nav>\n<main>\n");
        for (id, heading, body) in &self.sections {
            let _ = write!(
                html,
                "<section id=\"{}\">\n<h2>{}</h2>\n{body}\n</section>\n",
                escape(id),
                escape(heading)
            );
        }
        html.push_str("</main>\n</body>\n</html>\n");
        html
    }
}
