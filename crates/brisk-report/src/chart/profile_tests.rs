//! Tests of the profile's charts: per-column bars and histograms, the missing-value charts, wide
//! heatmaps and the mixed-test importance ranking.

use ndarray::Array2;

use super::bars::share;
use super::category::{grouped, label_step, MIN_LABEL_PITCH};
use super::importance::{p_text, ImportanceBars};
use super::tests::{assert_png_drawn, rect_fills, svg_of, texts};
use super::*;

const HOSTILE: &str = r#"<script>alert("x")</script> & 'co'"#;

/// Asserts that a hostile name never appears raw in an SVG but does appear escaped.
fn assert_escaped(svg: &str) {
    assert!(!svg.contains("<script"), "raw tag in the SVG");
    assert!(!svg.contains(r#"alert("x")"#));
    assert!(!svg.contains(" & "));
    assert!(svg.contains("&lt;script&gt;"), "escaped text is kept");
}

/// The (width, height) an SVG document declares.
fn svg_size(svg: &str) -> (u32, u32) {
    let attribute = |name: &str| -> u32 {
        let start = svg.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + svg[start..].find('"').unwrap();
        svg[start..end].parse().unwrap()
    };
    (attribute("width"), attribute("height"))
}

/// The x positions of the `<text>` elements turned upwards (the column names of a wide chart).
fn turned_label_xs(svg: &str) -> Vec<i32> {
    svg.split("<text")
        .skip(1)
        .filter(|chunk| chunk[..chunk.find('>').unwrap()].contains("rotate("))
        .map(|chunk| {
            let start = chunk.find("x=\"").unwrap() + 3;
            let end = start + chunk[start..].find('"').unwrap();
            chunk[start..end].parse::<f64>().unwrap().round() as i32
        })
        .collect()
}

fn names(count: usize) -> Vec<String> {
    (0..count)
        .map(|i| format!("sensor_{i:03}_reading"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Label thinning

#[test]
fn label_step_is_the_smallest_that_keeps_labels_apart() {
    for count in [1usize, 2, 60, 200, 1000] {
        for pitch in [0.5, 1.0, 2.5, 4.0, 8.9, 9.0, 14.0] {
            let step = label_step(count, pitch, MIN_LABEL_PITCH);
            assert!((1..=count).contains(&step));
            if count > 1 && step < count {
                assert!(step as f64 * pitch >= MIN_LABEL_PITCH, "{count} {pitch}");
            }
            if step > 1 {
                assert!(
                    ((step - 1) as f64) * pitch < MIN_LABEL_PITCH,
                    "{count} {pitch}: not minimal"
                );
            }
        }
    }
    assert_eq!(label_step(200, 3.0, 9.0), 3);
    assert_eq!(label_step(200, 0.0, 9.0), 200);
    assert_eq!(label_step(200, f64::NAN, 9.0), 200);
}

#[test]
fn counts_and_shares_read_well() {
    assert_eq!(grouped(0), "0");
    assert_eq!(grouped(999), "999");
    assert_eq!(grouped(1000), "1,000");
    assert_eq!(grouped(1_234_567), "1,234,567");
    assert_eq!(share(1, 3), "33.3%");
    assert_eq!(share(1, 100_000), "<0.1%");
    assert_eq!(share(0, 5), "0.0%");
    assert_eq!(p_text(0.032), "p = 0.032");
    assert_eq!(p_text(0.5), "p = 0.5");
    assert_eq!(p_text(1.0), "p = 1");
    assert_eq!(p_text(1.23e-5), "p = 1.2e-5");
    assert_eq!(p_text(1e-5), "p = 1e-5");
    assert_eq!(p_text(0.0), "p < 1e-300");
}

// ---------------------------------------------------------------------------------------------
// Top values

#[test]
fn top_values_are_largest_first_with_counts_shares_and_other() {
    let long = "a value that is far too long to be a label on a bar of this chart at all";
    let values = [("rare", 3), ("Adelie", 152), (long, 20), ("Gentoo", 124)];
    let svg = svg_of(top_values(&values, 45, 344, "species", ImageFormat::Svg, 600).unwrap());
    let texts = texts(&svg);
    let position = |t: &str| {
        texts
            .iter()
            .position(|x| x == t)
            .unwrap_or_else(|| panic!("{t}"))
    };
    assert!(position("Adelie") < position("Gentoo") && position("Gentoo") < position("rare"));
    assert!(position("rare") < position("other values"));
    assert!(texts.iter().any(|t| t == "152 (44.2%)"));
    assert!(texts.iter().any(|t| t == "45 (13.1%)"));
    assert!(texts
        .iter()
        .any(|t| t.starts_with("a value") && t.ends_with('…')));
    assert!(!texts.iter().any(|t| t == long));
    // The "other values" bar is grey.
    assert!(rect_fills(&svg).iter().any(|f| f == "#BDBDBD"));
    let (_, height) = svg_size(&svg);
    assert!((200..=400).contains(&height), "{height}");

    let image = top_values(&values, 45, 344, "species", ImageFormat::Png, 800).unwrap();
    let Image::Png(bytes) = &image else { panic!() };
    let decoder = png::Decoder::new(bytes.as_slice());
    assert_eq!(decoder.read_info().unwrap().info().width, 800);
}

#[test]
fn top_values_fold_the_rest_into_other() {
    let labels: Vec<String> = (0..15).map(|i| format!("v{i:02}")).collect();
    let values: Vec<(&str, u64)> = labels
        .iter()
        .enumerate()
        .map(|(i, v)| (v.as_str(), 100 - i as u64))
        .collect();
    let total: u64 = values.iter().map(|(_, c)| c).sum();
    let svg = svg_of(top_values(&values, 0, total, "", ImageFormat::Svg, 600).unwrap());
    let texts = texts(&svg);
    assert!(texts.iter().any(|t| t == "v09") && !texts.iter().any(|t| t == "v10"));
    // 90 + 89 + 88 + 87 + 86 of the five values left out.
    assert!(texts.iter().any(|t| t == "other values"));
    assert!(texts.iter().any(|t| t.starts_with("440 (")));
}

#[test]
fn top_values_errors() {
    let svg = ImageFormat::Svg;
    assert!(matches!(
        top_values(&[], 0, 10, "", svg, 600),
        Err(ChartError::Empty(_))
    ));
    assert!(matches!(
        top_values(&[("a", 1)], 0, 0, "", svg, 600),
        Err(ChartError::Empty(_))
    ));
    assert!(matches!(
        top_values(&[("a", 5)], 6, 10, "", svg, 600),
        Err(ChartError::Mismatch(_))
    ));
    assert!(matches!(
        top_values(&[("a", u64::MAX)], 1, u64::MAX, "", svg, 600),
        Err(ChartError::Mismatch(_))
    ));
    assert!(matches!(
        top_values(&[("a", 5)], 0, 10, "", svg, 100),
        Err(ChartError::InvalidSize { .. })
    ));
    // Only other values is a chart of one grey bar.
    assert!(top_values(&[], 7, 10, "", svg, 600).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Column histogram

#[test]
fn column_histogram_is_one_titled_panel() {
    let bins = Bins {
        edges: vec![170.0, 190.0, 210.0, 230.0],
        counts: vec![120, 150, 72],
    };
    let svg = svg_of(
        column_histogram(
            "flipper_length_mm",
            &bins,
            ImageFormat::Svg,
            COLUMN_HISTOGRAM_SIZE,
        )
        .unwrap(),
    );
    assert_eq!(svg_size(&svg), COLUMN_HISTOGRAM_SIZE);
    assert!(texts(&svg).iter().any(|t| t == "flipper_length_mm"));
    assert_eq!(
        rect_fills(&svg).iter().filter(|f| *f == "#355F8D").count(),
        3
    );
    let empty = Bins {
        edges: vec![0.0],
        counts: vec![],
    };
    assert!(matches!(
        column_histogram("x", &empty, ImageFormat::Svg, COLUMN_HISTOGRAM_SIZE),
        Err(ChartError::Empty(_))
    ));
    let uneven = Bins {
        edges: vec![0.0, 1.0],
        counts: vec![1, 2],
    };
    assert!(matches!(
        column_histogram("x", &uneven, ImageFormat::Svg, COLUMN_HISTOGRAM_SIZE),
        Err(ChartError::Mismatch(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// Missing values

#[test]
fn missing_bars_name_every_column_with_its_count() {
    let columns = [("bill_length_mm", 342), ("sex", 333), ("island", 344)];
    let svg = svg_of(missing_bars(&columns, 344, ImageFormat::Svg, 700).unwrap());
    let texts = texts(&svg);
    for (name, note) in [
        ("bill_length_mm", "342 (99.4%)"),
        ("sex", "333 (96.8%)"),
        ("island", "344 (100.0%)"),
    ] {
        assert!(
            texts.iter().any(|t| t == name) && texts.iter().any(|t| t == note),
            "{name}"
        );
    }
    assert_png_drawn(
        &missing_bars(&columns, 344, ImageFormat::Png, 800).unwrap(),
        (800, 500),
    );
}

#[test]
fn missing_bars_stay_bounded_and_labelled_at_60_and_200_columns() {
    for count in [60, 200, 1000] {
        let names = names(count);
        let columns: Vec<(&str, u64)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), (i * 7 % 100) as u64))
            .collect();
        let svg = svg_of(missing_bars(&columns, 100, ImageFormat::Svg, 900).unwrap());
        let (width, height) = svg_size(&svg);
        assert_eq!(width, 900);
        assert!(height <= 4200, "{count}: {height}");
        let labelled = texts(&svg)
            .iter()
            .filter(|t| t.starts_with("sensor_"))
            .count();
        if count <= 200 {
            assert_eq!(labelled, count, "every column named at {count}");
        } else {
            // Thinned: labels at least MIN_LABEL_PITCH apart.
            let pitch = (height as f64 - 70.0) / count as f64;
            assert!(labelled as f64 * MIN_LABEL_PITCH <= count as f64 * pitch + MIN_LABEL_PITCH);
            assert!(labelled < count);
        }
    }
}

#[test]
fn missing_bars_errors() {
    let svg = ImageFormat::Svg;
    assert!(matches!(
        missing_bars(&[], 10, svg, 700),
        Err(ChartError::Empty(_))
    ));
    assert!(matches!(
        missing_bars(&[("a", 0)], 0, svg, 700),
        Err(ChartError::Empty(_))
    ));
    assert!(matches!(
        missing_bars(&[("a", 11)], 10, svg, 700),
        Err(ChartError::Mismatch(_))
    ));
}

#[test]
fn nullity_matrix_draws_runs_names_and_the_sample_note() {
    let names = vec!["a".to_string(), "b".to_string(), "c".to_string()];
    // Column a is full, b has one run of two nulls, c has two runs.
    let rows = vec![
        vec![false, false, true],
        vec![false, true, false],
        vec![false, true, true],
        vec![false, false, false],
    ];
    let svg = svg_of(nullity_matrix(&names, &rows, 1_234_567, ImageFormat::Svg).unwrap());
    let texts = texts(&svg);
    for name in &names {
        assert!(texts.iter().any(|t| t == name), "{name}");
    }
    assert!(texts
        .iter()
        .any(|t| t == "rows sampled in file order: 4 of 1,234,567"));
    let fills = rect_fills(&svg);
    assert_eq!(
        fills.iter().filter(|f| *f == "#404040").count(),
        3,
        "a dark column per name"
    );
    assert_eq!(
        fills.iter().filter(|f| *f == "#F2F2F2").count(),
        3,
        "a light run per null run"
    );
    assert_png_drawn(
        &nullity_matrix(&names, &rows, 4, ImageFormat::Png).unwrap(),
        (800, 600),
    );
}

#[test]
fn nullity_matrix_is_bounded_and_thins_names_at_60_and_200_columns() {
    for count in [60, 200, 1000] {
        let names = names(count);
        let rows: Vec<Vec<bool>> = (0..300)
            .map(|r| (0..count).map(|c| (r * 31 + c * 17) % 11 == 0).collect())
            .collect();
        let svg = svg_of(nullity_matrix(&names, &rows, 300, ImageFormat::Svg).unwrap());
        let (width, height) = svg_size(&svg);
        assert!(width <= 3000 && height == 600, "{count}: {width}x{height}");
        assert_turned_labels_apart(&svg, count);
    }
}

#[test]
fn nullity_matrix_errors() {
    let names = vec!["a".to_string(), "b".to_string()];
    let svg = ImageFormat::Svg;
    assert!(matches!(
        nullity_matrix(&[], &[vec![]], 1, svg),
        Err(ChartError::Empty(_))
    ));
    assert!(matches!(
        nullity_matrix(&names, &[], 1, svg),
        Err(ChartError::Empty(_))
    ));
    assert!(matches!(
        nullity_matrix(&names, &[vec![true]], 1, svg),
        Err(ChartError::Mismatch(_))
    ));
    assert!(matches!(
        nullity_matrix(&names, &vec![vec![true, false]; 3], 2, svg),
        Err(ChartError::Mismatch(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// Wide heatmaps

fn banded(count: usize) -> Array2<f64> {
    Array2::from_shape_fn((count, count), |(i, j)| {
        if i == j {
            1.0
        } else {
            ((i * 7 + j * 3) % 11) as f64 / 5.0 - 1.0
        }
    })
}

#[test]
fn wide_heatmaps_are_bounded_and_their_names_do_not_overlap() {
    assert_eq!(heatmap_size(2), DEFAULT_SIZE);
    assert_eq!(heatmap_size(MAX_ANNOTATED_COLUMNS), DEFAULT_SIZE);
    for count in [60, 200, 400] {
        let names = names(count);
        let size = heatmap_size(count);
        assert!(size.0 <= 2400 && size.1 <= 2300, "{count}: {size:?}");
        let svg = svg_of(
            correlation_heatmap(
                &names,
                banded(count).view(),
                "Pearson",
                ImageFormat::Svg,
                size,
            )
            .unwrap(),
        );
        let xs = assert_turned_labels_apart(&svg, count);
        if count > 200 {
            assert!(xs.len() < count);
        }
    }
    // Crowded on a small canvas: thinned rather than dropped.
    let svg = svg_of(
        correlation_heatmap(
            &names(60),
            banded(60).view(),
            "",
            ImageFormat::Svg,
            DEFAULT_SIZE,
        )
        .unwrap(),
    );
    let xs = turned_label_xs(&svg);
    assert!(xs.len() > 10 && xs.len() < 60, "{}", xs.len());
    assert!(xs
        .windows(2)
        .all(|pair| pair[1] - pair[0] >= MIN_LABEL_PITCH as i32 - 1));
}

#[test]
fn association_heatmap_has_a_zero_to_one_scale() {
    let names = vec!["species".to_string(), "island".to_string()];
    let v = ndarray::array![[1.0, 0.65], [0.65, 1.0]];
    let svg = svg_of(
        association_heatmap(
            &names,
            v.view(),
            "Cramér's V",
            ImageFormat::Svg,
            DEFAULT_SIZE,
        )
        .unwrap(),
    );
    let texts = texts(&svg);
    for tick in ["0", "0.25", "0.5", "0.75", "1", "0.65", "Cramér's V"] {
        assert!(texts.iter().any(|t| t == tick), "{tick}");
    }
    assert!(!texts.iter().any(|t| t == "-1"));
    let image = association_heatmap(&names, v.view(), "", ImageFormat::Png, DEFAULT_SIZE).unwrap();
    assert_png_drawn(&image, DEFAULT_SIZE);
}

// ---------------------------------------------------------------------------------------------
// Mixed-test importance

fn feature(name: &str, score: f64, p_value: Option<f64>, test: &str) -> RankedFeature {
    RankedFeature {
        name: name.into(),
        score,
        p_value,
        test: test.into(),
    }
}

#[test]
fn mixed_tests_rank_by_p_value_and_say_which_test() {
    let features = vec![
        feature("flipper_length_mm", 594.8, Some(1e-107), "F"),
        feature("island", 299.6, Some(1e-63), "χ²"),
        feature("sex", 0.01, Some(0.97), "χ²"),
        feature("year", 0.06, None, "F"),
        feature("body_mass_g", 343.6, Some(1e-107), "F"),
        feature("bill_depth_mm", 359.8, Some(0.0), "F"),
    ];
    let bars = ImportanceBars::ranked(&features, 10, "").unwrap();
    assert_eq!(
        bars.names(),
        [
            "bill_depth_mm",
            "flipper_length_mm",
            "body_mass_g",
            "island",
            "sex",
            "year"
        ]
    );
    let svg = svg_of(
        plot_ranked_importance(&features, &ImportanceChart::default(), ImageFormat::Svg).unwrap(),
    );
    let texts = texts(&svg);
    for note in [
        "F = 594.8, p = 1e-107",
        "χ² = 299.6, p = 1e-63",
        "F = 359.8, p < 1e-300",
        "F = 0.06",
        "χ² = 0.01, p = 0.97",
    ] {
        assert!(texts.iter().any(|t| t == note), "{note}: {texts:?}");
    }
    assert!(texts.iter().any(|t| t == "\u{2212}log10 p-value"));
}

#[test]
fn one_test_ranks_by_its_statistic() {
    let features = vec![
        feature("bill_length_mm", 410.6, Some(1e-90), "F"),
        feature("flipper_length_mm", 594.8, Some(1e-107), "F"),
        feature("year", 0.06, Some(0.94), "F"),
    ];
    let options = ImportanceChart {
        top: 2,
        ..ImportanceChart::default()
    };
    assert_eq!(
        ImportanceBars::ranked(&features, 2, "").unwrap().names(),
        ["flipper_length_mm", "bill_length_mm"]
    );
    let svg = svg_of(plot_ranked_importance(&features, &options, ImageFormat::Svg).unwrap());
    let texts = texts(&svg);
    assert!(texts.iter().any(|t| t == "Importance (F)"));
    assert!(!texts.iter().any(|t| t.starts_with("F = 0.06")));
    assert_png_drawn(
        &plot_ranked_importance(&features, &ImportanceChart::default(), ImageFormat::Png).unwrap(),
        (1000, 600),
    );
    assert!(matches!(
        plot_ranked_importance(&[], &options, ImageFormat::Svg),
        Err(ChartError::Empty(_))
    ));
    let none = ImportanceChart {
        top: 0,
        ..ImportanceChart::default()
    };
    assert!(matches!(
        plot_ranked_importance(&features, &none, ImageFormat::Svg),
        Err(ChartError::InvalidOption(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// Escaping

#[test]
fn hostile_names_are_escaped_in_every_new_chart() {
    let svg = ImageFormat::Svg;
    assert_escaped(&svg_of(
        top_values(&[(HOSTILE, 3)], 1, 4, HOSTILE, svg, 900).unwrap(),
    ));
    let bins = Bins {
        edges: vec![0.0, 1.0],
        counts: vec![2],
    };
    assert_escaped(&svg_of(
        column_histogram(HOSTILE, &bins, svg, (900, 300)).unwrap(),
    ));
    assert_escaped(&svg_of(missing_bars(&[(HOSTILE, 3)], 4, svg, 900).unwrap()));
    let names = vec![HOSTILE.to_string(), "b".to_string()];
    assert_escaped(&svg_of(
        nullity_matrix(&names, &[vec![true, false]], 1, svg).unwrap(),
    ));
    let v = ndarray::array![[1.0, 0.3], [0.3, 1.0]];
    assert_escaped(&svg_of(
        association_heatmap(&names, v.view(), HOSTILE, svg, (1600, 900)).unwrap(),
    ));
    let features = vec![
        feature(HOSTILE, 2.0, Some(0.01), HOSTILE),
        feature("b", 1.0, Some(0.2), "F"),
    ];
    let wide = ImportanceChart {
        width: 1600,
        ..ImportanceChart::default()
    };
    assert_escaped(&svg_of(
        plot_ranked_importance(&features, &wide, svg).unwrap(),
    ));
}

/// Checks the turned column names of a chart of `count` columns: some drawn, at least the
/// minimum pitch apart, every one named up to 200 columns; their x positions.
fn assert_turned_labels_apart(svg: &str, count: usize) -> Vec<i32> {
    let xs = turned_label_xs(svg);
    assert!(!xs.is_empty(), "{count}: column names are turned upwards");
    assert!(
        xs.windows(2)
            .all(|pair| pair[1] - pair[0] >= MIN_LABEL_PITCH as i32 - 1),
        "{count}: {xs:?}"
    );
    if count <= 200 {
        assert_eq!(xs.len(), count, "every column named at {count}");
    }
    xs
}

// ---------------------------------------------------------------------------------------------
// Pictures to look at: `cargo test -p brisk-report chart::profile_tests::write_profile_charts -- --ignored`

#[test]
#[ignore = "writes SVG files for a person to look at"]
fn write_profile_charts() {
    let save = super::tests::save_picture;
    let svg = ImageFormat::Svg;
    let long = "a value that is far too long to be a label on a bar of this chart at all";
    let values = [
        ("Adelie", 152),
        ("Gentoo", 124),
        ("Chinstrap", 48),
        (long, 20),
    ];
    save(
        "top_values",
        top_values(&values, 45, 389, "species", svg, 600).unwrap(),
    );
    let png = top_values(&values, 45, 389, "species", ImageFormat::Png, 800).unwrap();
    save("top_values", png);
    let bins = Bins {
        edges: (0..=20).map(|i| 170.0 + 3.0 * f64::from(i)).collect(),
        counts: (0..20)
            .map(|i| (20 - (i as i64 - 8).abs() * 2).max(1) as u64)
            .collect(),
    };
    save(
        "column_histogram",
        column_histogram("flipper_length_mm", &bins, svg, COLUMN_HISTOGRAM_SIZE).unwrap(),
    );
    for count in [60, 200] {
        let names = names(count);
        let columns: Vec<(&str, u64)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), 1000 - (i * 37 % 400) as u64))
            .collect();
        save(
            &format!("missing_bars_{count}"),
            missing_bars(&columns, 1000, svg, 900).unwrap(),
        );
        let rows: Vec<Vec<bool>> = (0..500)
            .map(|r| {
                (0..count)
                    .map(|c| (r / 7 + c * 3) % (c % 9 + 4) == 0)
                    .collect()
            })
            .collect();
        save(
            &format!("nullity_{count}"),
            nullity_matrix(&names, &rows, 123_456, svg).unwrap(),
        );
        let png = nullity_matrix(&names, &rows, 123_456, ImageFormat::Png).unwrap();
        save(&format!("nullity_{count}"), png);
        save(
            &format!("heatmap_{count}"),
            correlation_heatmap(
                &names,
                banded(count).view(),
                "Pearson correlation",
                svg,
                heatmap_size(count),
            )
            .unwrap(),
        );
    }
    let names5: Vec<String> = ["species", "island", "sex", "clutch", "stage"]
        .map(String::from)
        .to_vec();
    let v = Array2::from_shape_fn((5, 5), |(i, j)| {
        if i == j {
            1.0
        } else {
            ((i + j) % 4) as f64 / 4.0
        }
    });
    save(
        "cramers_v",
        association_heatmap(&names5, v.view(), "Cramér's V", svg, DEFAULT_SIZE).unwrap(),
    );
    let features = vec![
        feature("flipper_length_mm", 594.8, Some(1e-107), "F"),
        feature("island", 299.6, Some(1e-63), "χ²"),
        feature("sex", 0.01, Some(0.97), "χ²"),
        feature("bill_depth_mm", 359.8, Some(0.0), "F"),
        feature("clutch", 0.31, Some(0.04), "Cramér's V"),
    ];
    save(
        "ranked_importance",
        plot_ranked_importance(&features, &ImportanceChart::default(), svg).unwrap(),
    );
}
