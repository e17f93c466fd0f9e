//! A self-contained HTML document: a header, numbered sections and tables, with the CSS inline.

use std::fmt::Write;

use super::escape;

/// The page's CSS. Every rule is scoped under the root class [`ROOT`], so that the page can be
/// embedded (a notebook's output cell, an iframe) without restyling its host.
const STYLE: &str = r#"
.brisk-report { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --accent: #2b6cb0; --paper: #ffffff; --band: #f5f7fa;
       background: var(--band); color: var(--ink);
       font: 15px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
.brisk-report, .brisk-report * { box-sizing: border-box; }
.brisk-report header { background: var(--ink); color: #fff; padding: 24px 40px; }
.brisk-report header h1 { margin: 0 0 4px; font-size: 26px; }
.brisk-report header p { margin: 0; color: #c9d1e0; }
.brisk-report nav { padding: 10px 40px; background: var(--paper); border-bottom: 1px solid var(--line);
       position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 4px 16px; }
.brisk-report nav a { color: var(--accent); text-decoration: none; }
.brisk-report main { padding: 16px 40px 40px; max-width: 1280px; }
@media (max-width: 600px) {
  .brisk-report header, .brisk-report nav { padding-left: 12px; padding-right: 12px; }
  .brisk-report main { padding: 8px 8px 24px; }
  .brisk-report section { padding: 12px; }
}
.brisk-report section { background: var(--paper); border: 1px solid var(--line); border-radius: 6px;
          padding: 16px 24px; margin: 16px 0; }
.brisk-report h2 { margin: 0 0 12px; font-size: 19px; }
.brisk-report p.note { color: var(--muted); }
.brisk-report .warning { border-left: 4px solid #c0392b; background: #fdf0ee; padding: 0.2em 1em; margin: 0.8em 0; }
.brisk-report table { border-collapse: collapse; margin: 8px 0 12px; font-size: 13px; }
.brisk-report th, .brisk-report td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; }
.brisk-report th { background: var(--band); }
.brisk-report td.num { text-align: right; font-variant-numeric: tabular-nums; }
.brisk-report .scroll { overflow-x: auto; }
.brisk-report .figure svg { max-width: 100%; height: auto; }
.brisk-report .facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 8px; }
.brisk-report .fact { background: var(--band); border-radius: 4px; padding: 8px 12px; }
.brisk-report .fact b { display: block; font-size: 20px; }
.brisk-report .bar { display: inline-block; height: 10px; background: var(--accent); vertical-align: middle; }
.brisk-report ul.hints li { margin: 4px 0; }
.brisk-report ul.alerts { list-style: none; padding: 0; margin: 0 0 12px; }
.brisk-report ul.alerts li { padding: 4px 0; border-bottom: 1px solid var(--line); }
.brisk-report .tag { display: inline-block; min-width: 9em; padding: 0 8px; margin-right: 8px; border-radius: 3px;
       background: #fdebd0; color: #7e4a00; font-size: 12px; text-align: center; }
.brisk-report .tag.brisk { background: #e3eefc; color: #1f4f8a; }
.brisk-report h3 { margin: 16px 0 6px; font-size: 16px; }
.brisk-report details.column { border-top: 1px solid var(--line); padding: 6px 0; }
.brisk-report details.column > summary { cursor: pointer; padding: 4px 0; overflow-wrap: anywhere; }
.brisk-report details.column .kind { color: var(--muted); font-family: monospace; margin: 0 6px; }
.brisk-report details.column .brief { color: var(--muted); margin-right: 6px; }
.brisk-report .column-body { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start; }
.brisk-report .column-facts { flex: 0 1 340px; min-width: 0; }
.brisk-report .column-facts td:last-child { text-align: right; font-variant-numeric: tabular-nums; }
.brisk-report .column-chart { flex: 1 1 440px; min-width: 0; max-width: 100%; }
.brisk-report .column-chart svg { max-width: 100%; height: auto; }
.brisk-report td { overflow-wrap: break-word; }
"#;

/// The class of the element that holds the whole page, and scopes its CSS.
pub const ROOT: &str = "brisk-report";

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

    /// A table without headings: a list of labelled figures.
    pub fn labelled() -> Table {
        Table {
            html: String::from("<div class=\"scroll\"><table><tbody>"),
        }
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
             <title>{title} — {subtitle}</title>\n<style>{STYLE}</style>\n</head>\n\
             <body style=\"margin: 0\">\n<div class=\"{ROOT}\">\n\
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
        html.push_str("</main>\n</div>\n</body>\n</html>\n");
        html
    }
}

/// The part of a finished [`Page`] that a host page embeds, such as a notebook's output cell:
/// the style and the root element. Every rule of the style is scoped under the root's class, so
/// the host keeps its look; the `<html>`, `<head>` and `<body>` a host already has are left out.
/// `None` for text that is not a finished page. (Every piece of data on a page is escaped, so
/// the tags searched for are the page's own.)
///
/// ```
/// use brisk_report::html::{embeddable, Page};
/// let mut page = Page::new("t", "s");
/// page.section("a", "A", "<p>x</p>");
/// let part = embeddable(&page.finish()).unwrap();
/// assert!(part.starts_with("<style>") && part.contains("<div class=\"brisk-report\">"));
/// assert!(!part.contains("<body") && part.trim_end().ends_with("</div>"));
/// assert_eq!(embeddable("<p>not a page</p>"), None);
/// ```
pub fn embeddable(document: &str) -> Option<String> {
    const STYLE_END: &str = "</style>";
    let style = document.find("<style>")?;
    let style_end = style + document[style..].find(STYLE_END)? + STYLE_END.len();
    let root = document.find(&format!("<div class=\"{ROOT}\">"))?;
    let root_end = document.rfind("</body>")?;
    (style_end <= root && root <= root_end).then(|| {
        format!(
            "{}\n{}",
            &document[style..style_end],
            &document[root..root_end]
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_scoped_under_the_root_class() {
        // A rule's selectors are the text before its `{`, after the previous rule's `}`.
        let rules = STYLE.split('}').filter(|r| r.contains('{'));
        for rule in rules {
            // An at-rule (`@media …`) wraps rules: its first rule follows its `{`.
            let rule = match rule.trim_start().starts_with('@') {
                true => rule.split_once('{').unwrap().1,
                false => rule,
            };
            let selectors = rule.split('{').next().unwrap();
            for selector in selectors.split(',') {
                let selector = selector.trim();
                assert!(
                    selector.starts_with(&format!(".{ROOT}")),
                    "{selector:?} would style the host page"
                );
            }
        }
        let mut page = Page::new("t", "s");
        page.section("a", "A", "<p>x</p>");
        let html = page.finish();
        assert!(html.contains(&format!("<div class=\"{ROOT}\">")));
        assert!(html.ends_with("</main>\n</div>\n</body>\n</html>\n"));
    }
}
