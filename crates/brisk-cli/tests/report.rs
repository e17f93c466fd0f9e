//! `brisk report`: the page has every section, escapes the data, loads nothing from outside, and
//! profiles its stages; bad input writes no page.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::{brisk, check_failure, fails_with_existing, succeeds};

const SECTIONS: [&str; 11] = [
    "alerts",
    "overview",
    "columns",
    "statistics",
    "missing",
    "correlation",
    "importance",
    "projection",
    "sample",
    "cleaning",
    "profile",
];

/// Runs `brisk report ARGS -o DIR/page.html` and returns the page.
fn report(dir: &Path, args: &[&str]) -> String {
    let page = dir.join("page.html");
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend(["-o", page.to_str().unwrap()]);
    succeeds(&all);
    std::fs::read_to_string(page).unwrap()
}

/// Nothing in the page is fetched or run: no tag is a script, frame, link or image, and no tag
/// has a source, an outside link or an event handler. Escaped text holds no `<`, so only real
/// markup is looked at.
fn assert_self_contained(html: &str) {
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap().to_ascii_lowercase();
        let name = tag
            .split([' ', '\n', '/'])
            .find(|s| !s.is_empty())
            .unwrap_or("");
        assert!(
            !["script", "link", "iframe", "img", "object", "embed", "image", "use"].contains(&name),
            "the page holds a <{name}> tag"
        );
        for banned in [
            " src=",
            "href=\"http",
            "href=\"//",
            "xlink:href",
            " on",
            "url(",
        ] {
            assert!(!tag.contains(banned), "a tag holds {banned:?}: <{tag}>");
        }
    }
    assert!(!html.to_ascii_lowercase().contains("@import"));
}

#[test]
fn the_embedded_data_gives_every_section() {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let html = report(dir.path(), &[]);
    let seconds = started.elapsed().as_secs_f64();
    eprintln!("brisk report on the embedded data took {seconds:.2} s");
    assert!(html.starts_with("<!DOCTYPE html>"));
    for id in SECTIONS {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    assert_self_contained(&html);
    // Inline charts: one per column (8), the missing values' bars, matrix and nullity
    // correlation (3), Pearson, Spearman and Cramér's V (3), importance and the scatter (2).
    assert_eq!(html.matches("<svg").count(), 16);
    // The sections come in the page's order, the stage profile last and collapsed.
    let at = |id: &str| html.find(&format!("<section id=\"{id}\">")).unwrap();
    assert!(SECTIONS.windows(2).all(|w| at(w[0]) < at(w[1])));
    assert!(html[at("profile")..].contains("<details>"));
    for name in [
        "bill_length_mm",
        "flipper_length_mm",
        "body_mass_g",
        "species",
    ] {
        assert!(html.contains(name), "{name}");
    }
    assert!(html.contains("f_classif"));
    assert!(html.contains("speeds the whole run by"), "Amdahl hints");
    for stage in [
        "pass 1",
        "fit",
        "pass 2",
        "duplicates",
        "clean plan",
        "visualise",
    ] {
        assert!(html.contains(&format!("{stage}</td>")), "stage {stage}");
    }
    // No row repeats: pass 2 counts the outliers, and no pass of their own is made.
    assert!(!html.contains("outliers</td>"));
}

#[test]
fn the_summary_names_the_page_and_json_lists_the_sections() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("p.html");
    let run = succeeds(&["report", "-o", page.to_str().unwrap(), "--format", "json"]);
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(summary["rows_in"], 344);
    assert_eq!(
        summary["sections"].as_array().unwrap().len(),
        SECTIONS.len()
    );
    assert!(page.is_file());
}

#[test]
fn hostile_names_and_values_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from(
        "\"<script>alert('name')</script>\",x2,\"a&b \"\"quoted\"\"\",label,<i>k</i>\n",
    );
    for i in 0..60 {
        let label = if i % 2 == 0 {
            "<img src=x onerror=alert(1)>"
        } else {
            "</table><script>alert(2)</script>"
        };
        let a = (i % 7) as f64 + if i % 2 == 0 { 0.5 } else { 3.0 };
        let b = ((i * 13) % 11) as f64;
        let text = if i % 3 == 0 { "<b>bold</b>" } else { "x & y" };
        // A constant, padded column: its name and value reach the alerts.
        writeln!(csv, "{a},{b},\"{text}\",\"{label}\", <u>v</u>").unwrap();
    }
    let file = dir.path().join("hostile.csv");
    std::fs::write(&file, &csv).unwrap();
    let html = report(dir.path(), &[file.to_str().unwrap(), "--target", "label"]);
    assert_self_contained(&html);
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<b>bold"), "a value went in as markup");
    assert!(
        !lower.contains("</table><script"),
        "a value went in as markup"
    );
    assert!(html.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    // The new sections: alerts (the constant, padded column), sample rows and bar labels.
    assert!(
        !lower.contains("<i>k") && !lower.contains("<u>v"),
        "markup in a section"
    );
    let alerts = &html[html.find("<section id=\"alerts\">").unwrap()..];
    let alerts = &alerts[..alerts.find("</section>").unwrap()];
    assert!(
        alerts.contains("&lt;i&gt;k&lt;/i&gt;"),
        "the alert names the column"
    );
    let sample = &html[html.find("<section id=\"sample\">").unwrap()..];
    assert!(
        sample.contains("&lt;b&gt;bold&lt;/b&gt;"),
        "sample rows escaped"
    );
    let columns = &html[html.find("<section id=\"columns\">").unwrap()..];
    assert!(
        columns.contains("&lt;/table&gt;&lt;script&gt;"),
        "bar labels escaped"
    );
    // The section structure survived: every section opens and closes once.
    assert_eq!(
        html.matches("<section").count(),
        html.matches("</section>").count()
    );
}

/// A deterministic 50,000-row table: five numeric columns, one text column, a three-class label
/// that depends on `x1`, and a few nulls.
fn fifty_thousand_rows(path: &Path) {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut csv = String::from("id,x1,x2,x3,x4,city,label\n");
    for i in 0..50_000 {
        let x1 = next() * 10.0;
        let x2 = x1 * 0.5 + next();
        let x3 = next() * 100.0;
        let x4 = if i % 97 == 0 {
            String::new()
        } else {
            format!("{:.4}", next() - 0.5)
        };
        let city = ["oslo", "Lima", "Pune", ""][i % 4];
        let label = if x1 < 3.3 {
            "low"
        } else if x1 < 6.6 {
            "mid"
        } else {
            "high"
        };
        writeln!(csv, "{i},{x1:.6},{x2:.6},{x3:.6},{x4},{city},{label}").unwrap();
    }
    std::fs::write(path, csv).unwrap();
}

#[test]
fn profile_json_of_a_fifty_thousand_row_report_names_the_stages() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fifty.csv");
    fifty_thousand_rows(&data);
    let profile = dir.path().join("profile.json");
    let html = report(
        dir.path(),
        &[
            data.to_str().unwrap(),
            "--target",
            "label",
            "--profile-json",
            profile.to_str().unwrap(),
        ],
    );
    assert!(html.contains("f_classif"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(profile).unwrap()).unwrap();
    let stages = json["stages"].as_array().unwrap();
    let stage = |name: &str| {
        stages
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no stage {name}: {stages:?}"))
    };
    for name in [
        "report",
        "pass 1",
        "fit",
        "pass 2",
        "duplicates",
        "clean plan",
        "visualise",
        "heatmaps",
        "scatter",
        "importance chart",
        "column charts",
        "missing values",
        "associations",
        "render",
        "write",
    ] {
        let s = stage(name);
        assert!(s["wall_seconds"].as_f64().unwrap() >= 0.0, "{name}");
        assert!(s["peak_bytes"].as_u64().is_some(), "{name}");
        assert!(s["allocations"].as_u64().is_some(), "{name}");
    }
    // Seven columns of 50,000 rows: pass 1 keeps the numbers for exact quartiles (50,000 × 5 ×
    // 8 bytes) and samples the complete rows for k-means.
    let load_peak = stage("pass 1")["peak_bytes"].as_u64().unwrap();
    assert!(load_peak > 2_000_000, "load peak {load_peak}");
    assert!(load_peak < 200_000_000, "load peak {load_peak}");
    let whole = stage("report")["peak_bytes"].as_u64().unwrap();
    assert!(whole >= load_peak);
    assert!(stage("fit")["allocations"].as_u64().unwrap() > 0);
    let total = json["total_seconds"].as_f64().unwrap();
    assert!((total - stage("report")["wall_seconds"].as_f64().unwrap()).abs() < 1e-9);
}

#[test]
fn an_unknown_target_writes_no_page() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.csv");
    std::fs::write(&file, "a,b,c\n1,2,x\n3,4,y\n5,7,x\n").unwrap();
    let file = file.to_str().unwrap();
    let message = fails_with_existing(
        &["report", file, "--target", "nope"],
        &[file],
        1,
        "page.html",
        b"previous page",
    );
    common::assert_mentions(
        &message,
        &[
            "t.csv",
            "--target names the column \"nope\"",
            "\"a\", \"b\", \"c\"",
        ],
    );
    // Without -o the default page is not created either.
    let here = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_brisk"))
        .args(["report", file, "--target", "nope"])
        .current_dir(here.path())
        .output()
        .unwrap();
    check_failure(&run, 1, &["report"]);
    assert_eq!(std::fs::read_dir(here.path()).unwrap().count(), 0);
}

#[test]
fn bad_arguments_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.csv");
    std::fs::write(&file, "a,b,c\n1,2,x\n3,4,y\n5,7,x\n").unwrap();
    let file = file.to_str().unwrap();
    for (args, want) in [
        (&["report", file, "--sigma", "-1"][..], "--sigma"),
        (
            &["report", file, "--target", "c", "--method", "regression"],
            "f_regression",
        ),
    ] {
        let message = fails_with_existing(args, &[file], 1, "page.html", b"previous");
        assert!(message.contains(want), "{args:?}: {message}");
    }
    let page = dir.path().join("page.txt");
    let args = ["report", file, "-o", page.to_str().unwrap()];
    let message = check_failure(&brisk(&args), 1, &args);
    assert!(message.contains("use .html"), "{message}");
    assert!(!page.exists());
}

#[test]
fn two_hundred_columns_give_a_section_and_a_bounded_chart_each() {
    // 150 numeric and 50 text columns of 300 rows.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::new();
    let names: Vec<String> = (0..200)
        .map(|j| {
            if j < 150 {
                format!("x{j}")
            } else {
                format!("t{j}")
            }
        })
        .collect();
    csv.push_str(&names.join(","));
    csv.push('\n');
    for i in 0..300u64 {
        let row: Vec<String> = (0..200u64)
            .map(|j| {
                if j < 150 {
                    format!("{}", (i * (j + 7) % 101) as f64 / 7.0)
                } else {
                    format!("v{}", (i + j) % 12)
                }
            })
            .collect();
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    let file = dir.path().join("wide.csv");
    std::fs::write(&file, csv).unwrap();
    let html = report(dir.path(), &[file.to_str().unwrap()]);
    // A collapsed section per column, each with its own chart.
    assert_eq!(
        html.matches("<details class=\"column\" id=\"column-")
            .count(),
        200
    );
    assert!(!html.contains("<details class=\"column\" id=\"column-0\" open>"));
    // Every image is sized for its content: none is taller than a heatmap's bound.
    for svg in html.split("<svg").skip(1) {
        let tag = &svg[..svg.find('>').unwrap()];
        let height: f64 = tag
            .split("height=\"")
            .nth(1)
            .and_then(|h| h.split('"').next())
            .and_then(|h| h.trim_end_matches("px").parse().ok())
            .unwrap_or_else(|| panic!("an svg without a height: {tag}"));
        assert!(height <= 4_500.0, "an image {height} px tall");
    }
}
