//! The `--agg` list: `FUNC(COL) [as NAME], ...`.

use crate::error::{DataError, ErrorKind, Location, Result};

/// An aggregate function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Func {
    /// `count()`: rows in the group.
    CountRows,
    /// `count(col)`: non-null values.
    Count,
    /// Sum of the non-null values (0 for none).
    Sum,
    /// Mean of the non-null values.
    Mean,
    /// Smallest non-null value.
    Min,
    /// Largest non-null value.
    Max,
    /// Sample standard deviation (ddof 1).
    Std,
    /// Sample variance (ddof 1).
    Var,
    /// Median (the mean of the two middle values for an even count).
    Median,
    /// Distinct non-null values.
    Nunique,
}

impl Func {
    fn parse(name: &str) -> Option<Func> {
        Some(match name.to_ascii_lowercase().as_str() {
            "count" => Func::Count,
            "sum" => Func::Sum,
            "mean" | "avg" => Func::Mean,
            "min" => Func::Min,
            "max" => Func::Max,
            "std" => Func::Std,
            "var" => Func::Var,
            "median" => Func::Median,
            "nunique" => Func::Nunique,
            _ => return None,
        })
    }

    /// The name used in default output names.
    pub fn name(self) -> &'static str {
        match self {
            Func::CountRows | Func::Count => "count",
            Func::Sum => "sum",
            Func::Mean => "mean",
            Func::Min => "min",
            Func::Max => "max",
            Func::Std => "std",
            Func::Var => "var",
            Func::Median => "median",
            Func::Nunique => "nunique",
        }
    }

    /// Whether the function needs numbers (a text column is an error).
    pub fn needs_numbers(self) -> bool {
        matches!(
            self,
            Func::Sum | Func::Mean | Func::Std | Func::Var | Func::Median
        )
    }
}

/// One aggregate of the output.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Agg {
    /// The function.
    pub func: Func,
    /// The column it reads (`None` for `count()`).
    pub column: Option<String>,
    /// The output column's name.
    pub name: String,
}

const FUNCTIONS: &str = "count(), count(col), sum, mean, min, max, std, var, median, nunique";

/// Parses `FUNC(COL) [as NAME], ...`; column names with spaces or commas are backquoted.
///
/// ```
/// use brisk_data::groupby::{parse_aggs, Func};
/// let aggs = parse_aggs("count(), mean(`unit price`) as avg, max(x)").unwrap();
/// assert_eq!(aggs[0].func, Func::CountRows);
/// assert_eq!(aggs[0].name, "count()");
/// assert_eq!((aggs[1].column.as_deref(), aggs[1].name.as_str()), (Some("unit price"), "avg"));
/// assert_eq!(aggs[2].name, "max(x)");
/// ```
pub fn parse_aggs(text: &str) -> Result<Vec<Agg>> {
    let fail = |message: String| {
        DataError::new(
            ErrorKind::InvalidArgument,
            Location::source("--agg"),
            message,
        )
    };
    let mut aggs = Vec::new();
    for item in split_top_level(text, ',').map_err(&fail)? {
        let item = item.trim();
        if item.is_empty() {
            return Err(fail(format!(
                "empty aggregate in {text:?}; write FUNC(COL) [as NAME], separated by commas"
            )));
        }
        let open = item.find('(').ok_or_else(|| {
            fail(format!(
                "{item:?} is not FUNC(COL): expected one of {FUNCTIONS}"
            ))
        })?;
        let func_name = item[..open].trim();
        let close = matching_paren(item, open)
            .ok_or_else(|| fail(format!("{item:?}: unclosed parenthesis")))?;
        let argument = item[open + 1..close].trim();
        let rest = item[close + 1..].trim();
        let alias = if rest.is_empty() {
            None
        } else {
            let mut words = rest.splitn(2, char::is_whitespace);
            let keyword = words.next().unwrap_or_default();
            let name = words.next().map(str::trim).unwrap_or_default();
            if !keyword.eq_ignore_ascii_case("as") || name.is_empty() {
                return Err(fail(format!(
                    "{item:?}: after FUNC(COL) only `as NAME` may follow"
                )));
            }
            Some(unquote(name))
        };
        let func = Func::parse(func_name).ok_or_else(|| {
            fail(format!(
                "unknown function {func_name:?} in {item:?}; brisk has {FUNCTIONS}"
            ))
        })?;
        let (func, column) = match (func, argument.is_empty()) {
            (Func::Count, true) => (Func::CountRows, None),
            (_, true) => return Err(fail(format!("{item:?}: {func_name}() needs a column"))),
            (func, false) => (func, Some(unquote(argument))),
        };
        let name = alias.unwrap_or_else(|| match &column {
            Some(c) => format!("{}({c})", func.name()),
            None => "count()".to_owned(),
        });
        aggs.push(Agg { func, column, name });
    }
    Ok(aggs)
}

/// A name without its backquotes.
pub(crate) fn unquote(name: &str) -> String {
    let name = name.trim();
    match name.strip_prefix('`').and_then(|n| n.strip_suffix('`')) {
        Some(inner) => inner.to_owned(),
        None => name.to_owned(),
    }
}

fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    let mut quoted = false;
    for (i, c) in text.char_indices().skip_while(|&(i, _)| i < open) {
        match c {
            '`' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits on `separator` outside backquotes and parentheses.
pub(crate) fn split_top_level(
    text: &str,
    separator: char,
) -> std::result::Result<Vec<&str>, String> {
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    for (i, c) in text.char_indices() {
        match c {
            '`' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            c if c == separator && !quoted && depth == 0 => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if quoted {
        return Err(format!("unclosed backquote in {text:?}"));
    }
    if depth != 0 {
        return Err(format!("unbalanced parentheses in {text:?}"));
    }
    parts.push(&text[start..]);
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_problem() {
        let message = |t: &str| parse_aggs(t).unwrap_err().message;
        assert!(message("foo(x)").contains("unknown function \"foo\""));
        assert!(message("mean(x").contains("unbalanced"));
        assert!(message("mean()").contains("needs a column"));
        assert!(message("mean(x) named y").contains("as NAME"));
        assert!(message("x").contains("not FUNC(COL)"));
        assert!(message("mean(x),").contains("empty aggregate"));
    }

    #[test]
    fn all_functions() {
        let aggs = parse_aggs(
            "count(a), sum(a), mean(a), min(a), max(a), std(a), var(a), median(a), nunique(a)",
        )
        .unwrap();
        let names: Vec<&str> = aggs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names[0], "count(a)");
        assert_eq!(names[8], "nunique(a)");
        assert_eq!(aggs[0].func, Func::Count);
    }
}
