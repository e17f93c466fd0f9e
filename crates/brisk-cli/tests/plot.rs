//! `brisk importance` piped into `brisk plot importance`, and `brisk plot panel`: the files are
//! real SVG and PNG of the asked size, and bad input writes none.

mod common;

use std::path::Path;

use common::{brisk, check_failure, fails_with_existing, golden_dir, succeeds};

fn penguins() -> String {
    golden_dir()
        .join("inputs/penguins.csv")
        .to_str()
        .unwrap()
        .to_owned()
}

/// Width, height and the number of distinct colours of a PNG.
fn png_facts(path: &Path) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let colours: std::collections::HashSet<&[u8]> =
        pixels[..info.buffer_size()].chunks(channels).collect();
    (info.width, info.height, colours.len())
}

#[test]
fn importance_scores_feed_the_chart_as_csv_and_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("scores.csv");
    let json = dir.path().join("scores.json");
    let data = penguins();
    for scores in [&csv, &json] {
        let scores = scores.to_str().unwrap();
        succeeds(&["importance", &data, "--target", "species", "-o", scores]);
    }
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("feature,importance,p_value\nflipper_length_mm,"),
        "{text}"
    );

    for (scores, top) in [(&csv, "3"), (&json, "3")] {
        let svg = dir.path().join("chart.svg");
        succeeds(&[
            "plot",
            "importance",
            scores.to_str().unwrap(),
            "--top",
            top,
            "--title",
            "Penguin features",
            "-o",
            svg.to_str().unwrap(),
        ]);
        let svg = std::fs::read_to_string(svg).unwrap();
        assert!(svg.contains("Penguin features"));
        // Exactly the top three, highest first (plotters writes each text on its own line).
        let at = |name: &str| svg.find(&format!("\n{name}\n</text>"));
        let order = [
            at("flipper_length_mm"),
            at("bill_length_mm"),
            at("bill_depth_mm"),
        ];
        assert!(order.iter().all(Option::is_some), "{order:?}");
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        assert!(at("body_mass_g").is_none() && at("year").is_none());
    }

    let png = dir.path().join("chart.png");
    succeeds(&[
        "plot",
        "importance",
        json.to_str().unwrap(),
        "-o",
        png.to_str().unwrap(),
    ]);
    let (width, height, colours) = png_facts(&png);
    assert_eq!((width, height), (1000, 600));
    assert!(colours > 20, "{colours} colours");
}

#[test]
fn the_panel_is_a_large_png_or_svg() {
    let dir = tempfile::tempdir().unwrap();
    let data = penguins();
    let png = dir.path().join("panel.png");
    succeeds(&[
        "plot",
        "panel",
        &data,
        "--target",
        "species",
        "-o",
        png.to_str().unwrap(),
    ]);
    let (width, height, colours) = png_facts(&png);
    assert_eq!((width, height), (1800, 1200));
    assert!(colours > 50, "{colours} colours");
    let svg = dir.path().join("panel.svg");
    succeeds(&["plot", "panel", &data, "-o", svg.to_str().unwrap()]);
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("bill_depth_mm"));
}

#[test]
fn importance_prints_a_table_json_and_csv() {
    let data = penguins();
    let table = succeeds(&["importance", &data, "--target", "species"]);
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains("f_classif"), "{table}");
    assert!(
        table
            .lines()
            .nth(2)
            .unwrap()
            .starts_with("flipper_length_mm"),
        "{table}"
    );
    let json = succeeds(&[
        "importance",
        &data,
        "--target",
        "body_mass_g",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["method"], "f_regression");
    assert_eq!(json["rows"], 342);
    assert_eq!(json["rows_dropped"], 2);
}

/// Runs a chart command with `-o` naming an existing PNG: it must fail with one line, leave the
/// PNG's bytes and no temporary file. Returns the message.
fn fails_keeping_the_chart(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("chart.png");
    std::fs::write(&chart, b"previous chart").unwrap();
    let mut all = args.to_vec();
    all.extend(["-o", chart.to_str().unwrap()]);
    let message = check_failure(&brisk(&all), 1, &all);
    assert_eq!(std::fs::read(&chart).unwrap(), b"previous chart");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "{all:?}");
    message
}

#[test]
fn bad_scores_and_arguments_write_no_chart() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let no_column = write("nocol.csv", "name,value\na,1\n");
    let text_scores = write("text.csv", "feature,importance\na,high\n");
    let bad_json = write("bad.json", "{\"features\": 3}");
    let not_json = write("not.json", "feature,importance");
    let empty = write("empty.csv", "feature,importance\n");
    for (scores, want) in [
        (&no_column, "names the column \"feature\""),
        (&text_scores, "holds text"),
        (&bad_json, "no \"features\" list"),
        (&not_json, "not JSON"),
        (&empty, "no feature"),
    ] {
        let message = fails_keeping_the_chart(&["plot", "importance", scores]);
        assert!(message.contains(want), "{scores}: {message}");
    }
    // -o is required and must be .svg or .png.
    let data = penguins();
    let args = ["plot", "panel", data.as_str()];
    assert!(check_failure(&brisk(&args), 1, &args).contains("-o chart.svg"));
    let out = dir.path().join("chart.jpg");
    let args = ["plot", "panel", data.as_str(), "-o", out.to_str().unwrap()];
    assert!(check_failure(&brisk(&args), 1, &args).contains(".svg or .png"));
    // Importance needs a known target and numbers for f_regression.
    for (args, want) in [
        (
            &["importance", data.as_str(), "--target", "nope"][..],
            "--target names the column \"nope\"",
        ),
        (
            &[
                "importance",
                data.as_str(),
                "--target",
                "island",
                "--method",
                "regression",
            ],
            "f_regression needs numbers",
        ),
    ] {
        let message = fails_with_existing(args, &[data.as_str()], 1, "out.json", b"previous");
        assert!(message.contains(want), "{args:?}: {message}");
    }
}
