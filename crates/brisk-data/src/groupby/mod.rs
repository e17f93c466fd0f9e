//! Out-of-core group-by (`brisk groupby`, exercises B.4 and B.7).
//!
//! One streaming pass over the file: each chunk's records get their group's id from the key table
//! ([`groups`]), the value columns are parsed once, `--with` columns are evaluated on whole chunk
//! columns, and each aggregate folds the chunk into per-group accumulators ([`accumulate`]). Memory
//! grows with the number of groups, not rows — except for `median` and `nunique`, which keep each
//! group's values. Results follow pandas' `df.groupby(keys, dropna=False, sort=True).agg(...)`:
//! null keys form their own group, sorted last; keys compare by value in numeric columns; sums of
//! integer columns are integers; `std`/`var` use ddof 1; undefined figures are null.
//!
//! ```
//! use brisk_data::groupby::{group_by, parse_aggs, parse_derived, GroupByOptions, SortBy};
//! use brisk_data::input::{Format, Input};
//! // Exercise B.4: salary per year, mean by department, highest first.
//! let text = "department,salary,years\neng,120000,5\neng,95000,2\nsales,85000,3\n\
//!             sales,110000,8\neng,105000,4\nsales,90000,1\n";
//! let input = Input::from_reader(text.as_bytes(), "b4.csv", Format::Csv).unwrap();
//! let options = GroupByOptions {
//!     by: vec!["department".into()],
//!     aggs: parse_aggs("mean(salary_per_year) as mean").unwrap(),
//!     derived: vec![parse_derived("salary_per_year = salary / years").unwrap()],
//!     sort: Some(SortBy { column: "mean".into(), descending: true }),
//!     ..GroupByOptions::default()
//! };
//! let frame = group_by(&input, &options, &mut |_| {}).unwrap();
//! let means = frame.column("mean").unwrap().f64().unwrap();
//! assert_eq!(frame.column("department").unwrap().str().unwrap().get(0), Some("sales"));
//! assert!((means.get(0).unwrap() - 44027.77777777778).abs() < 1e-9);
//! ```

mod accumulate;
mod expr;
mod groups;
mod spec;

use std::cmp::Ordering;
use std::collections::HashSet;

use brisk_kernels::numeric::canonical_zero;
use polars::prelude::*;

use self::accumulate::{Accumulator, Needs};
pub use self::expr::{parse_derived, Derived, Expr, Op};
use self::groups::{Groups, KeyMode, KeyPart};
pub use self::spec::{parse_aggs, Agg, Func};
use crate::csv::{Chunk, Chunks};
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::frame::format::{push_float, push_int};
use crate::frame::{median, read_frame};
use crate::input::{Format, Input};
use crate::value::{is_null_token, parse_number};

/// What to group by and what to compute.
#[derive(Debug, Clone)]
pub struct GroupByOptions {
    /// Key columns.
    pub by: Vec<String>,
    /// Aggregates, in output order.
    pub aggs: Vec<Agg>,
    /// Derived columns, evaluated in order (each may use the ones before it).
    pub derived: Vec<Derived>,
    /// Sort the groups by an output column instead of by key.
    pub sort: Option<SortBy>,
    /// Records per chunk.
    pub chunk_rows: usize,
}

impl Default for GroupByOptions {
    fn default() -> Self {
        GroupByOptions {
            by: Vec::new(),
            aggs: Vec::new(),
            derived: Vec::new(),
            sort: None,
            chunk_rows: 65_536,
        }
    }
}

/// An output column to sort by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortBy {
    /// The output column.
    pub column: String,
    /// Largest first (nulls still last, as pandas' `sort_values`).
    pub descending: bool,
}

/// Groups the records of `input` and aggregates them; `progress` receives bytes read so far.
///
/// Errors: an unknown column (in `--by`, `--agg` or `--with`), `sum`/`mean`/`std`/`var`/`median`
/// of a text column, a `--with` expression over a text column, a `--sort` naming no output
/// column, and the reader's errors (with file, line and column).
pub fn group_by(
    input: &Input,
    options: &GroupByOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<DataFrame> {
    let header = header_of(input)?;
    let mut plan = Plan::new(input.name(), &header, options)?;
    loop {
        let pass = run_pass(input, &plan, options, progress)?;
        match pass.rerun_reason(&plan) {
            Some(adjust) => plan.adjust(adjust),
            None => return pass.finish(&plan, options, input.name()),
        }
    }
}

fn header_of(input: &Input) -> Result<Vec<String>> {
    match input.format() {
        Format::Csv | Format::Tsv => Ok(input.csv(1)?.header().to_vec()),
        _ => {
            let loaded = read_frame(input)?;
            Ok(loaded
                .frame
                .get_column_names()
                .iter()
                .map(|n| n.to_string())
                .collect())
        }
    }
}

/// Where an aggregate's values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Raw(usize),
    Derived(usize),
}

/// The resolved job: column indices, value sources and what each needs.
struct Plan {
    key_columns: Vec<usize>,
    key_modes: Vec<KeyMode>,
    /// Raw columns whose fields are parsed as numbers, in a fixed order.
    parsed: Vec<usize>,
    /// For each derived column, its expression with names resolved.
    derived: Vec<Resolved>,
    sources: Vec<(Source, Needs)>,
    /// Per source: min/max compare text.
    text_extremes: Vec<bool>,
    /// Per aggregate: its source (`None` for `count()`).
    agg_sources: Vec<Option<usize>>,
    header: Vec<String>,
}

/// A derived column's expression, with each name bound to a raw column or an earlier derived one.
struct Resolved {
    expr: Expr,
    bindings: Vec<(String, Source)>,
}

enum Adjust {
    TextKey(usize),
    TextExtremes(usize),
}

impl Plan {
    fn new(source: &str, header: &[String], options: &GroupByOptions) -> Result<Plan> {
        let unknown =
            |name: &str, what: &str| crate::frame::unknown_column(source, name, what, header);
        if options.by.is_empty() {
            return Err(DataError::new(
                ErrorKind::InvalidArgument,
                Location::source("--by"),
                "give at least one key column",
            ));
        }
        if options.aggs.is_empty() {
            return Err(DataError::new(
                ErrorKind::InvalidArgument,
                Location::source("--agg"),
                "give at least one aggregate, e.g. --agg \"count(), mean(x)\"",
            ));
        }
        let raw = |name: &str| header.iter().position(|h| h == name);
        let key_columns = options
            .by
            .iter()
            .map(|name| raw(name).ok_or_else(|| unknown(name, "--by")))
            .collect::<Result<Vec<_>>>()?;

        let lookup = |name: &str, before: usize| -> Option<Source> {
            options.derived[..before]
                .iter()
                .rposition(|d| d.name == name)
                .map(Source::Derived)
                .or_else(|| raw(name).map(Source::Raw))
        };
        let mut derived = Vec::with_capacity(options.derived.len());
        let mut parsed: Vec<usize> = Vec::new();
        for (i, d) in options.derived.iter().enumerate() {
            let mut bindings = Vec::new();
            for name in d.expr.columns() {
                let bound = lookup(&name, i)
                    .ok_or_else(|| unknown(&name, &format!("--with {:?}", d.name)))?;
                if let Source::Raw(c) = bound {
                    if !parsed.contains(&c) {
                        parsed.push(c);
                    }
                }
                bindings.push((name, bound));
            }
            derived.push(Resolved {
                expr: d.expr.clone(),
                bindings,
            });
        }
        let mut sources: Vec<(Source, Needs)> = Vec::new();
        let mut agg_sources = Vec::with_capacity(options.aggs.len());
        for agg in &options.aggs {
            let Some(name) = &agg.column else {
                agg_sources.push(None);
                continue;
            };
            let source = lookup(name, options.derived.len())
                .ok_or_else(|| unknown(name, &format!("--agg {:?}", agg.name)))?;
            let index = match sources.iter().position(|(s, _)| *s == source) {
                Some(i) => i,
                None => {
                    sources.push((source, Needs::default()));
                    sources.len() - 1
                }
            };
            sources[index].1.add(agg.func);
            if let Source::Raw(c) = source {
                if !parsed.contains(&c) {
                    parsed.push(c);
                }
            }
            agg_sources.push(Some(index));
        }
        Ok(Plan {
            key_modes: vec![KeyMode::Value; key_columns.len()],
            key_columns,
            parsed,
            derived,
            text_extremes: vec![false; sources.len()],
            sources,
            agg_sources,
            header: header.to_vec(),
        })
    }

    fn adjust(&mut self, adjust: Adjust) {
        match adjust {
            Adjust::TextKey(c) => self.key_modes[c] = KeyMode::Text,
            Adjust::TextExtremes(s) => self.text_extremes[s] = true,
        }
    }

    fn parsed_slot(&self, column: usize) -> usize {
        self.parsed
            .iter()
            .position(|&c| c == column)
            .expect("a parsed column")
    }
}

/// What one pass learnt about a parsed column.
#[derive(Debug, Clone)]
struct Profile {
    numeric: bool,
    integer: bool,
    has_null: bool,
    first_text: Option<(u64, String)>,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            numeric: true,
            integer: true,
            has_null: false,
            first_text: None,
        }
    }
}

impl Profile {
    fn integer_typed(&self) -> bool {
        self.numeric && self.integer && !self.has_null
    }
}

/// The state after one pass over the input.
struct Pass {
    groups: Groups,
    rows_per_group: Vec<u64>,
    accumulators: Vec<Accumulator>,
    profiles: Vec<Profile>,
    /// Per derived column: some row gave null.
    derived_nulls: Vec<bool>,
    /// Where each chunk's lines are reported from (CSV: lines; Parquet: rows).
    lines_are_rows: bool,
}

fn run_pass(
    input: &Input,
    plan: &Plan,
    options: &GroupByOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<Pass> {
    let mut pass = Pass {
        groups: Groups::new(plan.key_modes.clone()),
        rows_per_group: Vec::new(),
        accumulators: plan
            .sources
            .iter()
            .zip(&plan.text_extremes)
            .map(|((_, needs), &text)| Accumulator::new(*needs, text))
            .collect(),
        profiles: vec![Profile::default(); plan.parsed.len()],
        derived_nulls: vec![false; plan.derived.len()],
        lines_are_rows: !matches!(input.format(), Format::Csv | Format::Tsv),
    };
    let mut scratch = Scratch::default();
    match input.format() {
        Format::Csv | Format::Tsv => {
            let reader = input.csv(options.chunk_rows)?;
            let mut chunks = Chunks::new(reader, rayon::current_num_threads());
            while let Some(parsed) = chunks.next_chunk()? {
                pass.fold(plan, &parsed.chunk, &mut scratch);
                progress(parsed.bytes_read);
                chunks.recycle(parsed.chunk);
            }
        }
        _ => {
            let loaded = read_frame(input)?;
            for chunk in table_chunks(&loaded.frame, options.chunk_rows) {
                pass.fold(plan, &chunk, &mut scratch);
            }
        }
    }
    Ok(pass)
}

/// Renders a table's rows as text chunks, so that Parquet input takes the same path as CSV.
fn table_chunks(frame: &DataFrame, chunk_rows: usize) -> impl Iterator<Item = Chunk> + '_ {
    let width = frame.width();
    (0..frame.height())
        .step_by(chunk_rows.max(1))
        .map(move |start| {
            let end = (start + chunk_rows).min(frame.height());
            let mut chunk = Chunk::with_columns(width);
            let mut cells: Vec<Vec<u8>> = vec![Vec::new(); width];
            for row in start..end {
                for (cell, column) in cells.iter_mut().zip(frame.columns()) {
                    cell.clear();
                    match column.get(row) {
                        Ok(AnyValue::Null) | Err(_) => {}
                        Ok(AnyValue::String(s)) => cell.extend_from_slice(s.as_bytes()),
                        Ok(AnyValue::StringOwned(s)) => cell.extend_from_slice(s.as_bytes()),
                        Ok(AnyValue::Int64(i)) => push_int(cell, i),
                        Ok(AnyValue::Float64(x)) => push_float(cell, x),
                        Ok(other) => cell.extend_from_slice(other.to_string().as_bytes()),
                    }
                }
                chunk.push_record(cells.iter().map(Vec::as_slice), row as u64);
            }
            chunk
        })
}

/// Per-chunk buffers, reused.
#[derive(Default)]
struct Scratch {
    ids: Vec<u32>,
    values: Vec<Vec<f64>>,
    present: Vec<Vec<bool>>,
    derived: Vec<Vec<f64>>,
    derived_present: Vec<Vec<bool>>,
}

impl Pass {
    fn fold(&mut self, plan: &Plan, chunk: &Chunk, scratch: &mut Scratch) {
        let rows = chunk.rows();
        self.groups
            .assign(chunk, &plan.key_columns, &mut scratch.ids);
        let ids = &scratch.ids;
        self.rows_per_group.resize(self.groups.len(), 0);
        for &g in ids {
            self.rows_per_group[g as usize] += 1;
        }
        scratch.values.resize_with(plan.parsed.len(), Vec::new);
        scratch.present.resize_with(plan.parsed.len(), Vec::new);
        for (slot, &col) in plan.parsed.iter().enumerate() {
            parse_column(
                chunk,
                col,
                &mut scratch.values[slot],
                &mut scratch.present[slot],
                &mut self.profiles[slot],
            );
        }
        scratch.derived.clear();
        scratch.derived_present.clear();
        for (i, resolved) in plan.derived.iter().enumerate() {
            let values = {
                let lookup = |name: &str| -> &[f64] {
                    let bound = resolved
                        .bindings
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, s)| *s)
                        .expect("bound at planning");
                    match bound {
                        Source::Raw(c) => &scratch.values[plan.parsed_slot(c)],
                        Source::Derived(j) => &scratch.derived[j],
                    }
                };
                resolved.expr.eval_columns(rows, &lookup)
            };
            let present: Vec<bool> = values.iter().map(|x| !x.is_nan()).collect();
            if present.iter().any(|p| !p) {
                self.derived_nulls[i] = true;
            }
            scratch.derived.push(values);
            scratch.derived_present.push(present);
        }
        for (s, (source, _)) in plan.sources.iter().enumerate() {
            let acc = &mut self.accumulators[s];
            acc.grow(self.groups.len());
            let (values, present) = match *source {
                Source::Raw(c) => {
                    let slot = plan.parsed_slot(c);
                    (&scratch.values[slot], &scratch.present[slot])
                }
                Source::Derived(d) => (&scratch.derived[d], &scratch.derived_present[d]),
            };
            acc.add(ids, values, present);
            let non_null = |c: usize| chunk.column(c).map(|f| (!is_null_token(f)).then_some(f));
            if !acc.distinct_text.is_empty() {
                match *source {
                    Source::Raw(c) => acc.add_distinct_text(ids, non_null(c)),
                    Source::Derived(_) => acc.add_distinct_numbers(ids, values),
                }
            }
            if let (true, Source::Raw(c)) = (acc.text_extremes(), *source) {
                acc.add_text_extremes(ids, non_null(c));
            }
        }
    }

    fn rerun_reason(&self, plan: &Plan) -> Option<Adjust> {
        for c in 0..plan.key_columns.len() {
            let has_text =
                (0..self.groups.len()).any(|g| matches!(self.groups.part(g, c), KeyPart::Text(_)));
            if plan.key_modes[c] == KeyMode::Value && has_text && self.groups.merged_spellings(c) {
                return Some(Adjust::TextKey(c));
            }
        }
        for (s, (source, needs)) in plan.sources.iter().enumerate() {
            if let Source::Raw(c) = source {
                let profile = &self.profiles[plan.parsed_slot(*c)];
                if needs.extremes && !profile.numeric && !plan.text_extremes[s] {
                    return Some(Adjust::TextExtremes(s));
                }
            }
        }
        None
    }

    /// The location of a parsed column's first text, for messages.
    fn text_location(&self, plan: &Plan, source: &str, column: usize) -> (Location, String) {
        let profile = &self.profiles[plan.parsed_slot(column)];
        let (line, value) = profile.first_text.clone().unwrap_or_default();
        let location = Location::source(source).at_column(column + 1, Some(&plan.header[column]));
        let location = if self.lines_are_rows {
            location.at_row(line as usize)
        } else {
            location.at_line(line)
        };
        (location, value)
    }

    fn finish(self, plan: &Plan, options: &GroupByOptions, source: &str) -> Result<DataFrame> {
        // Text where numbers are needed.
        for (i, resolved) in plan.derived.iter().enumerate() {
            for (name, bound) in &resolved.bindings {
                if let Source::Raw(c) = bound {
                    if !self.profiles[plan.parsed_slot(*c)].numeric {
                        let (location, value) = self.text_location(plan, source, *c);
                        return Err(DataError::new(
                            ErrorKind::InvalidArgument,
                            location,
                            format!(
                                "--with {:?} does arithmetic on {name:?}, which holds text ({value:?})",
                                options.derived[i].name
                            ),
                        ));
                    }
                }
            }
        }
        for (agg, source_index) in options.aggs.iter().zip(&plan.agg_sources) {
            let Some(s) = source_index else { continue };
            if let (true, Source::Raw(c)) = (agg.func.needs_numbers(), plan.sources[*s].0) {
                if !self.profiles[plan.parsed_slot(c)].numeric {
                    let (location, value) = self.text_location(plan, source, c);
                    return Err(DataError::new(
                        ErrorKind::InvalidArgument,
                        location,
                        format!(
                            "{} needs numbers, but {:?} holds text ({value:?}); use count, nunique, min or max for text",
                            agg.name, plan.header[c]
                        ),
                    ));
                }
            }
        }

        let key_numeric: Vec<bool> = (0..plan.key_columns.len())
            .map(|c| {
                (0..self.groups.len()).all(|g| !matches!(self.groups.part(g, c), KeyPart::Text(_)))
            })
            .collect();
        let mut order: Vec<usize> = (0..self.groups.len()).collect();
        order.sort_by(|&a, &b| {
            (0..plan.key_columns.len())
                .map(|c| self.compare_keys(a, b, c, key_numeric[c]))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        });

        let mut columns: Vec<Column> = Vec::new();
        for (c, &col) in plan.key_columns.iter().enumerate() {
            columns.push(self.key_column(&plan.header[col], c, key_numeric[c], &order));
        }
        for (agg, source_index) in options.aggs.iter().zip(&plan.agg_sources) {
            columns.push(self.agg_column(plan, agg, *source_index, &order));
        }
        let mut names = HashSet::new();
        for column in &columns {
            if !names.insert(column.name().clone()) {
                return Err(DataError::new(
                    ErrorKind::InvalidArgument,
                    Location::source("groupby"),
                    format!(
                        "two output columns are named {:?}; list each key once in --by and name \
                         aggregates apart with `as NAME`",
                        column.name().as_str()
                    ),
                ));
            }
        }
        let mut frame = DataFrame::new(order.len(), columns).map_err(|e| {
            DataError::new(
                ErrorKind::InvalidArgument,
                Location::source(source),
                e.to_string(),
            )
        })?;
        if let Some(sort) = &options.sort {
            frame = sort_frame(frame, sort)?;
        }
        Ok(frame)
    }

    fn compare_keys(&self, a: usize, b: usize, c: usize, numeric: bool) -> Ordering {
        let (pa, pb) = (self.groups.part(a, c), self.groups.part(b, c));
        match (pa, pb) {
            (KeyPart::Null, KeyPart::Null) => Ordering::Equal,
            (KeyPart::Null, _) => Ordering::Greater,
            (_, KeyPart::Null) => Ordering::Less,
            (KeyPart::Number(x, _), KeyPart::Number(y, _)) if numeric => {
                f64::from_bits(x).total_cmp(&f64::from_bits(y))
            }
            _ => self.key_text(pa).cmp(self.key_text(pb)),
        }
    }

    fn key_text(&self, part: KeyPart) -> &[u8] {
        match part {
            KeyPart::Null => b"",
            KeyPart::Number(_, span) | KeyPart::Text(span) => self.groups.text(span),
        }
    }

    fn key_column(&self, name: &str, c: usize, numeric: bool, order: &[usize]) -> Column {
        let name = PlSmallStr::from(name);
        let parts = order.iter().map(|&g| self.groups.part(g, c));
        if !numeric {
            let texts: Vec<Option<String>> = parts
                .map(|p| match p {
                    KeyPart::Null => None,
                    _ => Some(String::from_utf8_lossy(self.key_text(p)).into_owned()),
                })
                .collect();
            return StringChunked::from_iter_options(name, texts.iter().map(Option::as_deref))
                .into_column();
        }
        let integer = !self.groups.merged_spellings(c)
            && parts.clone().all(|p| match p {
                KeyPart::Number(_, span) => is_int_literal(self.groups.text(span)),
                _ => false,
            });
        let values = parts.map(|p| match p {
            KeyPart::Number(bits, _) => Some(f64::from_bits(bits)),
            _ => None,
        });
        if integer {
            Int64Chunked::from_iter_options(name, values.map(|v| v.map(|x| x as i64))).into_column()
        } else {
            Float64Chunked::from_iter_options(name, values).into_column()
        }
    }

    fn source_integer(&self, plan: &Plan, source: Source) -> bool {
        match source {
            Source::Raw(c) => self.profiles[plan.parsed_slot(c)].integer_typed(),
            Source::Derived(d) => {
                let resolved = &plan.derived[d];
                !self.derived_nulls[d]
                    && resolved.expr.is_integer(&|name| {
                        resolved
                            .bindings
                            .iter()
                            .find(|(n, _)| n == name)
                            .is_some_and(|(_, s)| self.source_integer(plan, *s))
                    })
            }
        }
    }

    fn agg_column(
        &self,
        plan: &Plan,
        agg: &Agg,
        source_index: Option<usize>,
        order: &[usize],
    ) -> Column {
        let name = PlSmallStr::from(agg.name.as_str());
        let ints = |f: &dyn Fn(usize) -> u64| {
            Int64Chunked::from_iter_values(name.clone(), order.iter().map(|&g| f(g) as i64))
                .into_column()
        };
        let Some(s) = source_index else {
            return ints(&|g| self.rows_per_group[g]);
        };
        let (source, _) = plan.sources[s];
        let acc = &self.accumulators[s];
        let integer = self.source_integer(plan, source);
        let floats = |f: &dyn Fn(usize) -> Option<f64>| {
            let values = order.iter().map(|&g| f(g).filter(|x| !x.is_nan()));
            if integer && matches!(agg.func, Func::Sum | Func::Min | Func::Max) {
                Int64Chunked::from_iter_options(name.clone(), values.map(|v| v.map(|x| x as i64)))
                    .into_column()
            } else {
                Float64Chunked::from_iter_options(name.clone(), values).into_column()
            }
        };
        let numbers = |g: usize| acc.numbers[g];
        match agg.func {
            Func::CountRows => ints(&|g| self.rows_per_group[g]),
            Func::Count => ints(&|g| acc.count[g]),
            Func::Sum => floats(&|g| Some(acc.total(g))),
            Func::Mean => floats(&|g| (numbers(g) > 0).then(|| acc.total(g) / numbers(g) as f64)),
            Func::Var => floats(&|g| (numbers(g) > 1).then(|| acc.m2[g] / (numbers(g) - 1) as f64)),
            Func::Std => {
                floats(&|g| (numbers(g) > 1).then(|| (acc.m2[g] / (numbers(g) - 1) as f64).sqrt()))
            }
            Func::Min | Func::Max if acc.text_extremes() => {
                let texts = if agg.func == Func::Min {
                    &acc.text_min
                } else {
                    &acc.text_max
                };
                let values: Vec<Option<String>> = order
                    .iter()
                    .map(|&g| {
                        texts[g]
                            .as_deref()
                            .map(|t| String::from_utf8_lossy(t).into_owned())
                    })
                    .collect();
                StringChunked::from_iter_options(name, values.iter().map(Option::as_deref))
                    .into_column()
            }
            Func::Min => floats(&|g| (numbers(g) > 0).then(|| acc.min[g])),
            Func::Max => floats(&|g| (numbers(g) > 0).then(|| acc.max[g])),
            Func::Median => floats(&|g| median(acc.values[g].clone())),
            Func::Nunique => ints(&|g| match source {
                Source::Derived(_) => acc.distinct_bits[g].len() as u64,
                Source::Raw(c) if self.profiles[plan.parsed_slot(c)].numeric => {
                    acc.distinct_text[g]
                        .iter()
                        .filter_map(|t| parse_number(t))
                        .map(|x| canonical_zero(x).to_bits())
                        .collect::<HashSet<u64>>()
                        .len() as u64
                }
                Source::Raw(_) => acc.distinct_text[g].len() as u64,
            }),
        }
    }
}

/// Parses one column of a chunk: `values` gets each number (NaN for null or text), `present`
/// whether the field is non-null; `profile` learns the column's type.
fn parse_column(
    chunk: &Chunk,
    col: usize,
    values: &mut Vec<f64>,
    present: &mut Vec<bool>,
    profile: &mut Profile,
) {
    values.clear();
    present.clear();
    values.reserve(chunk.rows());
    present.reserve(chunk.rows());
    for (row, field) in chunk.column(col).enumerate() {
        match parse_number(field) {
            Some(x) => {
                values.push(x);
                present.push(true);
                if profile.integer && !is_int_literal(field) {
                    profile.integer = false;
                }
            }
            None if is_null_token(field) => {
                values.push(f64::NAN);
                present.push(false);
                profile.has_null = true;
            }
            None => {
                values.push(f64::NAN);
                present.push(true);
                if profile.numeric {
                    profile.numeric = false;
                    profile.first_text =
                        Some((chunk.line(row), String::from_utf8_lossy(field).into_owned()));
                }
            }
        }
    }
}

/// An integer literal as pandas reads one into `int64`: optional spaces and sign, digits.
fn is_int_literal(field: &[u8]) -> bool {
    let trimmed = field.trim_ascii();
    let digits = trimmed
        .strip_prefix(b"-")
        .or_else(|| trimmed.strip_prefix(b"+"))
        .unwrap_or(trimmed);
    !digits.is_empty() && digits.len() <= 18 && digits.iter().all(u8::is_ascii_digit)
}

/// Sorts groups by an output column, stably (ties keep key order), nulls last either way.
fn sort_frame(frame: DataFrame, sort: &SortBy) -> Result<DataFrame> {
    let names = frame.get_column_names();
    let column = frame.column(&sort.column).map_err(|_| {
        let known: Vec<String> = names.iter().map(|n| format!("{:?}", n.as_str())).collect();
        DataError::new(
            ErrorKind::UnknownColumn,
            Location::source("--sort"),
            format!(
                "{:?} is not an output column; the output has {}",
                sort.column,
                known.join(", ")
            ),
        )
    })?;
    let order = if let Ok(text) = column.str() {
        let values: Vec<Option<&str>> = text.iter().collect();
        stable_order(&values, sort.descending, |x, y| x.cmp(y))
    } else {
        let floats = column.cast(&DataType::Float64).map_err(|e| {
            DataError::new(
                ErrorKind::InvalidArgument,
                Location::source("--sort"),
                e.to_string(),
            )
        })?;
        let values: Vec<Option<f64>> = floats.f64().expect("Float64").iter().collect();
        stable_order(&values, sort.descending, f64::total_cmp)
    };
    frame
        .take(&IdxCa::from_vec(PlSmallStr::EMPTY, order))
        .map_err(|e| {
            DataError::new(
                ErrorKind::InvalidArgument,
                Location::source("--sort"),
                e.to_string(),
            )
        })
}

/// The row order that sorts `values` stably, nulls last whichever the direction.
fn stable_order<T: Copy>(
    values: &[Option<T>],
    descending: bool,
    cmp: impl Fn(&T, &T) -> Ordering,
) -> Vec<IdxSize> {
    let mut order: Vec<IdxSize> = (0..values.len() as IdxSize).collect();
    order.sort_by(|&a, &b| nulls_last(values[a as usize], values[b as usize], descending, &cmp));
    order
}

fn nulls_last<T: Copy>(
    a: Option<T>,
    b: Option<T>,
    descending: bool,
    cmp: impl Fn(&T, &T) -> Ordering,
) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Greater,
        (_, None) => Ordering::Less,
        (Some(x), Some(y)) if descending => cmp(&y, &x),
        (Some(x), Some(y)) => cmp(&x, &y),
    }
}

#[cfg(test)]
mod tests;
