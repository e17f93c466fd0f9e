//! Parsing an index expression as Python would read it between `a[` and `]`.

use super::IndexItem;
use crate::layout::{LayoutError, MAX_DIMS};

/// Reads an index expression into the items NumPy receives. Errors (`ErrorKind::Unsupported`)
/// are for text Python would not accept or that brisk leaves out (booleans); NumPy's own errors
/// are raised later, by [`apply_index`], in NumPy's order.
///
/// ```
/// use brisk_kernels::layout::index::parse_index;
/// use brisk_kernels::layout::IndexItem;
/// let items = parse_index("..., None, -1").unwrap();
/// assert_eq!(items, [IndexItem::Ellipsis, IndexItem::NewAxis, IndexItem::Integer(-1)]);
/// let items = parse_index("[[0, 1], [2, 3]]").unwrap();
/// assert_eq!(items, [IndexItem::Array { shape: vec![2, 2], values: vec![0, 1, 2, 3] }]);
/// ```
pub fn parse_index(expr: &str) -> Result<Vec<IndexItem>, LayoutError> {
    let text = expr.trim();
    let inner = match text.strip_prefix('(') {
        Some(rest) if matching_paren_at_end(text) => &rest[..rest.len() - 1],
        _ => text,
    };
    if inner.trim().is_empty() {
        return Ok(Vec::new());
    }
    let parts = split_top_level(inner)?;
    let mut items = Vec::with_capacity(parts.len());
    let count = parts.len();
    for (i, part) in parts.iter().enumerate() {
        let part = part.trim();
        if part.is_empty() {
            // A trailing comma ("1,") is allowed; an empty item elsewhere is not.
            if i + 1 == count && count > 1 {
                continue;
            }
            return Err(syntax(expr, "an empty item between commas"));
        }
        items.push(parse_item(part, expr)?);
    }
    Ok(items)
}

fn syntax(expr: &str, what: &str) -> LayoutError {
    LayoutError::unsupported(format!("cannot read the index expression '{expr}': {what}"))
}

fn matching_paren_at_end(text: &str) -> bool {
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => {
                depth -= 1;
                if depth == 0 {
                    return c == ')' && i + 1 == text.len();
                }
            }
            _ => {}
        }
    }
    false
}

/// Splits at commas outside brackets.
fn split_top_level(text: &str) -> Result<Vec<&str>, LayoutError> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => {
                depth -= 1;
                if depth < 0 {
                    return Err(syntax(text, "unbalanced brackets"));
                }
            }
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err(syntax(text, "unbalanced brackets"));
    }
    parts.push(&text[start..]);
    Ok(parts)
}

fn parse_item(part: &str, expr: &str) -> Result<IndexItem, LayoutError> {
    match part {
        "..." | "Ellipsis" => return Ok(IndexItem::Ellipsis),
        "None" | "np.newaxis" | "numpy.newaxis" | "newaxis" => return Ok(IndexItem::NewAxis),
        "True" | "False" => return Err(boolean()),
        _ => {}
    }
    if part.starts_with('(') {
        return Err(syntax(
            expr,
            "parenthesised sub-tuples are not supported; write index arrays as [lists]",
        ));
    }
    if part.starts_with('[') {
        let mut cursor = Cursor {
            text: part,
            pos: 0,
            expr,
        };
        let node = cursor.list(0)?;
        cursor.skip_space();
        if cursor.pos != part.len() {
            return Err(syntax(expr, "text after a list"));
        }
        return Ok(array_item(&node, part));
    }
    if part.contains(':') {
        let bounds: Vec<&str> = part.split(':').collect();
        if bounds.len() > 3 {
            return Err(syntax(expr, "a slice has at most two colons"));
        }
        let mut values = [None, None, None];
        for (slot, bound) in values.iter_mut().zip(&bounds) {
            let bound = bound.trim();
            if bound.is_empty() || bound == "None" {
                continue;
            }
            match number(bound) {
                Some(Number::Int(v)) => *slot = Some(v),
                Some(Number::Float) => {
                    return Err(syntax(expr, "slice bounds must be integers"));
                }
                Some(Number::OutOfRange) => return Err(out_of_range(expr)),
                None => return Err(syntax(expr, &format!("'{bound}' is not an integer"))),
            }
        }
        let [start, stop, step] = values;
        return Ok(IndexItem::Slice { start, stop, step });
    }
    match number(part) {
        Some(Number::Int(v)) => Ok(IndexItem::Integer(v)),
        Some(Number::Float) => Ok(IndexItem::NonInteger(part.to_owned())),
        Some(Number::OutOfRange) => Err(out_of_range(expr)),
        None => Err(syntax(
            expr,
            &format!("'{part}' is not an integer, a slice, None, ... or a list of integers"),
        )),
    }
}

fn boolean() -> LayoutError {
    LayoutError::unsupported(
        "boolean indices (masks, True, False) are not supported by brisk's index rules",
    )
}

fn out_of_range(expr: &str) -> LayoutError {
    syntax(expr, "an integer beyond the range of a 64-bit index")
}

enum Number {
    Int(i64),
    Float,
    OutOfRange,
}

/// A Python integer (sign, digits, underscores between digits) or float literal.
fn number(text: &str) -> Option<Number> {
    let body = text.strip_prefix(['-', '+']).map_or(text, str::trim_start);
    let negative = text.starts_with('-');
    if body.is_empty() {
        return None;
    }
    let digits_ok = body.bytes().all(|b| b.is_ascii_digit() || b == b'_')
        && body.as_bytes()[0].is_ascii_digit()
        && !body.ends_with('_')
        && !body.contains("__");
    if digits_ok {
        let digits: String = body.chars().filter(|&c| c != '_').collect();
        let magnitude: i128 = match digits.parse::<i128>() {
            Ok(v) => v,
            Err(_) => return Some(Number::OutOfRange),
        };
        let value = if negative { -magnitude } else { magnitude };
        return Some(match i64::try_from(value) {
            Ok(v) => Number::Int(v),
            Err(_) => Number::OutOfRange,
        });
    }
    let float_chars = body
        .bytes()
        .all(|b| b.is_ascii_digit() || b"._eE+-".contains(&b));
    if float_chars && body.bytes().any(|b| b.is_ascii_digit()) {
        let cleaned: String = body.chars().filter(|&c| c != '_').collect();
        if cleaned.parse::<f64>().is_ok() {
            return Some(Number::Float);
        }
    }
    None
}

/// A list literal's tree.
enum Node {
    Int(i64),
    Float,
    List(Vec<Node>),
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    expr: &'a str,
}

impl Cursor<'_> {
    fn skip_space(&mut self) {
        while self.text[self.pos..].starts_with(char::is_whitespace) {
            self.pos += self.text[self.pos..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
        }
    }

    fn list(&mut self, depth: usize) -> Result<Node, LayoutError> {
        if depth >= 32 {
            return Err(syntax(self.expr, "lists nested too deeply"));
        }
        // At '['.
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            let rest = &self.text[self.pos..];
            if let Some(after) = rest.strip_prefix(']') {
                self.pos = self.text.len() - after.len();
                return Ok(Node::List(items));
            }
            if rest.starts_with('[') {
                items.push(self.list(depth + 1)?);
            } else {
                let end = rest.find([',', ']']).unwrap_or(rest.len());
                let token = rest[..end].trim();
                match token {
                    "True" | "False" => return Err(boolean()),
                    _ => {}
                }
                match number(token) {
                    Some(Number::Int(v)) => items.push(Node::Int(v)),
                    Some(Number::Float) => items.push(Node::Float),
                    Some(Number::OutOfRange) => return Err(out_of_range(self.expr)),
                    None => {
                        return Err(syntax(
                            self.expr,
                            &format!("'{token}' in a list is not an integer"),
                        ))
                    }
                }
                self.pos += end;
            }
            self.skip_space();
            let rest = &self.text[self.pos..];
            if let Some(after) = rest.strip_prefix(',') {
                self.pos = self.text.len() - after.len();
            } else if !rest.starts_with(']') {
                return Err(syntax(self.expr, "a list item must be followed by , or ]"));
            }
        }
    }
}

/// What `numpy.array(list)` makes of a list literal, as an index.
fn array_item(node: &Node, text: &str) -> IndexItem {
    let mut shape = vec![0usize; MAX_DIMS];
    let mut reached = false;
    let mut ragged = false;
    let ndim = discover(node, 0, MAX_DIMS, &mut shape, &mut reached, &mut ragged);
    shape.truncate(ndim);
    if ragged {
        return IndexItem::Ragged { detected: shape };
    }
    let mut values = Vec::new();
    let mut float = false;
    flatten(node, &mut values, &mut float);
    if shape.contains(&0) || values.is_empty() && !float {
        // numpy casts an empty list (float by default) to an integer index.
        return IndexItem::Array {
            shape,
            values: Vec::new(),
        };
    }
    if float {
        return IndexItem::NonInteger(text.to_owned());
    }
    IndexItem::Array { shape, values }
}

fn flatten(node: &Node, values: &mut Vec<i64>, float: &mut bool) {
    match node {
        Node::Int(v) => values.push(*v),
        Node::Float => *float = true,
        Node::List(items) => items.iter().for_each(|n| flatten(n, values, float)),
    }
}

/// NumPy's shape discovery (`PyArray_DiscoverDTypeAndShape_Recursive` with `update_shape`):
/// returns the number of dimensions; `ragged` is set when the lists disagree.
fn discover(
    node: &Node,
    curr: usize,
    mut max_dims: usize,
    shape: &mut [usize],
    reached: &mut bool,
    ragged: &mut bool,
) -> usize {
    match node {
        Node::List(items) if curr < max_dims => {
            if !update_shape(curr, &mut max_dims, shape, &[items.len()], true, reached) {
                *ragged = true;
                return max_dims;
            }
            if items.is_empty() {
                *reached = true;
                return curr + 1;
            }
            for item in items {
                max_dims = discover(item, curr + 1, max_dims, shape, reached, ragged);
            }
            max_dims
        }
        _ => {
            // A scalar, or a list deeper than the dimensions already fixed.
            if !update_shape(curr, &mut max_dims, shape, &[], false, reached) {
                *ragged = true;
            }
            if matches!(node, Node::List(_)) {
                *ragged = true;
            }
            max_dims
        }
    }
}

fn update_shape(
    curr: usize,
    max_ndim: &mut usize,
    out: &mut [usize],
    new_shape: &[usize],
    sequence: bool,
    reached: &mut bool,
) -> bool {
    let mut success = true;
    let max_dims_reached = *reached;
    let mut new_ndim = new_shape.len();
    if curr + new_ndim > *max_ndim {
        success = false;
        new_ndim = max_ndim.saturating_sub(curr);
    } else if !sequence && *max_ndim != curr + new_ndim {
        *max_ndim = curr + new_ndim;
        if max_dims_reached {
            success = false;
        }
    }
    for i in 0..new_ndim {
        let curr_dim = out[curr + i];
        let new_dim = new_shape[i];
        if !max_dims_reached {
            out[curr + i] = new_dim;
        } else if new_dim != curr_dim {
            success = false;
            if !sequence {
                *max_ndim -= new_ndim - i;
            } else {
                *max_ndim = curr;
            }
            break;
        }
    }
    if !sequence {
        *reached = true;
    }
    success
}
