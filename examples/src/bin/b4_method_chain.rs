//! Exercise B.4 (exercise sheet): one method chain over
//! `department/salary/years` that (a) adds `salary_per_year = salary / years`, (b) groups by
//! department, (c) takes the mean `salary_per_year` and (d) sorts by it, descending —
//! pandas' `df.assign(...).groupby("department")["salary_per_year"].mean().sort_values(ascending=False)`.
//!
//! Done with `brisk_data::groupby`, as `brisk groupby` does it: the derived column is evaluated per
//! row before grouping, and the result is a polars DataFrame. Checked against a plain computation.

use std::collections::BTreeMap;

use brisk_data::groupby::{group_by, parse_aggs, parse_derived, GroupByOptions, SortBy};
use brisk_data::input::{Format, Input};
use brisk_examples::{check, check_close};

const DEPARTMENT: [&str; 6] = ["eng", "eng", "sales", "sales", "eng", "sales"];
const SALARY: [f64; 6] = [120000.0, 95000.0, 85000.0, 110000.0, 105000.0, 90000.0];
const YEARS: [f64; 6] = [5.0, 2.0, 3.0, 8.0, 4.0, 1.0];

fn main() {
    let mut csv = String::from("department,salary,years\n");
    for i in 0..6 {
        csv += &format!("{},{},{}\n", DEPARTMENT[i], SALARY[i], YEARS[i]);
    }
    let input = Input::from_reader(csv.as_bytes(), "b4.csv", Format::Csv).expect("an input");
    let options = GroupByOptions {
        by: vec!["department".into()],
        derived: vec![parse_derived("salary_per_year = salary / years").unwrap()],
        aggs: parse_aggs("mean(salary_per_year) as mean_salary_per_year").unwrap(),
        sort: Some(SortBy {
            column: "mean_salary_per_year".into(),
            descending: true,
        }),
        ..GroupByOptions::default()
    };
    let frame = group_by(&input, &options, &mut |_| {}).expect("the group-by");

    let departments: Vec<String> = frame
        .column("department")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|d| d.unwrap_or("").to_owned())
        .collect();
    let means: Vec<f64> = frame
        .column("mean_salary_per_year")
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .map(|m| m.unwrap_or(f64::NAN))
        .collect();

    // The plain reference: sum and count per department, then sort by mean, highest first.
    let mut groups: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for i in 0..6 {
        let entry = groups.entry(DEPARTMENT[i]).or_default();
        entry.0 += SALARY[i] / YEARS[i];
        entry.1 += 1.0;
    }
    let mut expected: Vec<(&str, f64)> = groups.iter().map(|(d, (s, n))| (*d, s / n)).collect();
    expected.sort_by(|a, b| b.1.total_cmp(&a.1));

    println!("\nmean salary_per_year, highest first:");
    for (d, m) in departments.iter().zip(&means) {
        println!("  {d:<6} {m:>12.2}");
    }
    check(
        departments == ["sales", "eng"],
        "sorted descending: sales before eng",
    );
    for ((d, m), (ed, em)) in departments.iter().zip(&means).zip(&expected) {
        check(d == ed, format!("department {d} in place"));
        check_close(*m, *em, 1e-9, format!("mean salary_per_year of {d}"));
    }
    check_close(
        means[0],
        132083.333_333_333_33 / 3.0,
        1e-6,
        "sales: (28333.33 + 13750 + 90000) / 3",
    );
    check_close(
        means[1],
        97750.0 / 3.0,
        1e-9,
        "eng: (24000 + 47500 + 26250) / 3",
    );
}
