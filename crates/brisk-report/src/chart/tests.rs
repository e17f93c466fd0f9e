//! Tests of the charts: content and order of the SVG text, non-finite scores, PNG decoding,
//! escaping, and the numpy-compatible binning against a plain reference.

use std::collections::HashSet;
use std::path::Path;

use ndarray::Array2;

use super::histogram::{histogram, Bins};
use super::importance::ImportanceBars;
use super::text::format_sig;
use super::*;

// ---------------------------------------------------------------------------------------------
// Helpers

/// A small deterministic generator (SplitMix64) with normal variates, so tests need no crate.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Normal with the given mean and standard deviation (Box–Muller).
    fn normal(&mut self, mean: f64, std: f64) -> f64 {
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        mean + std * (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

pub(super) fn svg_of(image: Image) -> String {
    match image {
        Image::Svg(text) => text,
        Image::Png(_) => panic!("expected an SVG"),
    }
}

/// The contents of the `<text>` elements of an SVG document, in document order, unescaped.
pub(super) fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|chunk| {
            let start = chunk.find('>')? + 1;
            let end = chunk.find("</text>")?;
            Some(unescape(chunk[start..end].trim()))
        })
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The fill colours of the `<rect>` elements of an SVG document.
pub(super) fn rect_fills(svg: &str) -> Vec<String> {
    svg.split("<rect")
        .skip(1)
        .filter_map(|chunk| {
            let start = chunk.find("fill=\"")? + 6;
            let end = start + chunk[start..].find('"')?;
            Some(chunk[start..end].to_string())
        })
        .collect()
}

/// Decodes a PNG and returns its size and RGB pixels.
fn decode_png(bytes: &[u8]) -> ((u32, u32), Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(bytes);
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).expect("PNG data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let pixels = buffer[..info.buffer_size()]
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    ((info.width, info.height), pixels)
}

/// Asserts that a PNG has the given size and is a real picture: many non-white pixels and several
/// distinct colours.
pub(super) fn assert_png_drawn(image: &Image, size: (u32, u32)) {
    let Image::Png(bytes) = image else {
        panic!("expected a PNG")
    };
    let (decoded, pixels) = decode_png(bytes);
    assert_eq!(decoded, size);
    let non_white = pixels.iter().filter(|p| **p != [255, 255, 255]).count();
    assert!(
        non_white * 50 > pixels.len(),
        "only {non_white} of {} pixels are drawn",
        pixels.len()
    );
    let distinct: HashSet<[u8; 3]> = pixels.into_iter().collect();
    assert!(distinct.len() >= 8, "only {} colours", distinct.len());
}

/// The numeric columns of a Palmer-penguins-like sample: three species with their usual means and
/// spreads (Adelie 151, Chinstrap 68, Gentoo 123 birds).
fn penguins() -> Vec<(String, Vec<f64>)> {
    // (count, [bill length, bill depth, flipper length, body mass] as (mean, std))
    let species: [(usize, [(f64, f64); 4]); 3] = [
        (
            151,
            [(38.8, 2.66), (18.3, 1.22), (190.0, 6.5), (3700.0, 459.0)],
        ),
        (
            68,
            [(48.8, 3.34), (18.4, 1.14), (195.8, 7.1), (3733.0, 384.0)],
        ),
        (
            123,
            [(47.5, 3.08), (15.0, 0.98), (217.2, 6.5), (5076.0, 504.0)],
        ),
    ];
    let names = [
        "bill_length_mm",
        "bill_depth_mm",
        "flipper_length_mm",
        "body_mass_g",
        "year",
    ];
    let mut columns: Vec<(String, Vec<f64>)> =
        names.iter().map(|n| (n.to_string(), Vec::new())).collect();
    let mut rng = Rng(7);
    for (count, spec) in species {
        for _ in 0..count {
            for (k, (mean, std)) in spec.iter().enumerate() {
                let value = rng.normal(*mean, *std);
                // Measurements are rounded as in the data set.
                let value = if k == 3 {
                    (value / 25.0).round() * 25.0
                } else {
                    (value * 10.0).round() / 10.0
                };
                columns[k].1.push(value);
            }
            columns[4].1.push(2007.0 + (rng.uniform() * 3.0).floor());
        }
    }
    columns
}

/// Pearson correlation of every pair of columns.
fn correlation(columns: &[(String, Vec<f64>)]) -> Array2<f64> {
    let n = columns.len();
    let standardised: Vec<Vec<f64>> = columns
        .iter()
        .map(|(_, v)| {
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            let norm = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>().sqrt();
            v.iter().map(|x| (x - mean) / norm).collect()
        })
        .collect();
    Array2::from_shape_fn((n, n), |(i, j)| {
        standardised[i]
            .iter()
            .zip(&standardised[j])
            .map(|(a, b)| a * b)
            .sum()
    })
}

/// Three Gaussian blobs in the plane, with their labels.
fn blobs() -> (Array2<f64>, Vec<usize>) {
    let centres = [(-2.2, 0.4), (0.6, -1.3), (2.1, 1.2)];
    let mut rng = Rng(11);
    let mut points = Vec::new();
    let mut labels = Vec::new();
    for (label, (cx, cy)) in centres.iter().enumerate() {
        for _ in 0..110 {
            points.push(rng.normal(*cx, 0.6));
            points.push(rng.normal(*cy, 0.45));
            labels.push(label);
        }
    }
    (
        Array2::from_shape_vec((labels.len(), 2), points).unwrap(),
        labels,
    )
}

fn penguin_scores() -> (Vec<String>, Vec<f64>) {
    let names = strings(&[
        "bill_length_mm",
        "bill_depth_mm",
        "flipper_length_mm",
        "body_mass_g",
        "year",
    ]);
    (names, vec![410.6, 359.8, 594.8, 343.6, 0.06])
}

// ---------------------------------------------------------------------------------------------
// Formats and sizes

#[test]
fn format_from_path_reads_the_extension() {
    assert_eq!(
        ImageFormat::from_path(Path::new("a/b.svg")),
        Some(ImageFormat::Svg)
    );
    assert_eq!(
        ImageFormat::from_path(Path::new("b.Png")),
        Some(ImageFormat::Png)
    );
    assert_eq!(ImageFormat::from_path(Path::new("b.pdf")), None);
    assert_eq!(ImageFormat::from_path(Path::new("svg")), None);
}

#[test]
fn sizes_below_the_minimum_are_errors() {
    let (names, scores) = penguin_scores();
    let small = ImportanceChart {
        width: 640,
        height: 480,
        ..ImportanceChart::default()
    };
    let error = plot_feature_importance(&names, &scores, &small, ImageFormat::Png).unwrap_err();
    assert!(
        matches!(error, ChartError::InvalidSize { width: 640, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("800x500"), "{error}");
    // An SVG scales, so a smaller canvas is allowed; a degenerate or huge one is not.
    assert!(plot_feature_importance(&names, &scores, &small, ImageFormat::Svg).is_ok());
    for (width, height) in [(0, 0), (100_000, 600)] {
        let options = ImportanceChart {
            width,
            height,
            ..ImportanceChart::default()
        };
        let error =
            plot_feature_importance(&names, &scores, &options, ImageFormat::Svg).unwrap_err();
        assert!(matches!(error, ChartError::InvalidSize { .. }));
    }
}

#[test]
fn numbers_have_four_significant_figures() {
    let cases = [
        (594.8, "594.8"),
        (410.6, "410.6"),
        (0.06, "0.06"),
        (12300.0, "1.23e+04"),
        (123_456_789.0, "1.235e+08"),
        (1234.0, "1234"),
        (9999.9, "1e+04"),
        (0.5, "0.5"),
        (-1.23456, "-1.235"),
        (0.000_123_4, "0.0001234"),
        (0.000_012_34, "1.234e-05"),
        (0.0, "0"),
        (f64::NAN, "nan"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
    ];
    for (value, expected) in cases {
        assert_eq!(format_sig(value), expected, "{value}");
    }
}

#[test]
fn tick_labels_are_plain_when_they_can_be() {
    assert_eq!(text::format_tick(15000.0, 20000.0), "15000");
    assert_eq!(text::format_tick(2.5e6, 1e7), "2.5e+06");
    assert_eq!(text::format_tick(0.30000000000000004, 1.0), "0.3");
    assert_eq!(text::format_tick(5.551115123125783e-17, 2.0), "0");
    assert_eq!(text::format_tick(2e-15, 1e-14), "2e-15");
    // Ticks half a unit apart on a short axis of large numbers stay apart.
    assert_eq!(text::format_tick(2007.5, 2.0), "2007.5");
    assert_eq!(text::format_tick(2008.25, 2.0), "2008.25");
    assert_eq!(text::format_tick(43.21, 27.5), "43.2");
}

#[test]
fn font_metrics_agree_with_plotters_layout() {
    use plotters::style::{FontDesc, FontFamily, FontStyle};

    font::register().unwrap();
    let metrics = font::metrics().expect("the embedded font's tables are readable");
    for c in ['A', 'x', '…', '5', '_'] {
        assert_ne!(metrics.glyph(c), 0, "{c} has a glyph");
    }
    for text in [
        "MMMMMMMMMM",
        "flipper_length_mm",
        "AVATAR To 594.8 (ANOVA F)",
    ] {
        let size = 100.0;
        let ours = metrics.layout(text, size).1;
        let ((x0, _), (x1, _)) = FontDesc::new(FontFamily::SansSerif, size, FontStyle::Normal)
            .layout_box(text)
            .unwrap();
        assert!(
            (ours - f64::from(x1 - x0)).abs() <= 1.5,
            "{text}: {ours} vs {}",
            x1 - x0
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Importance

#[test]
fn importance_svg_shows_the_top_n_in_descending_order_with_values() {
    let mut rng = Rng(3);
    let names: Vec<String> = (0..20)
        .map(|i| format!("feature_{}", (b'a' + i) as char))
        .collect();
    let scores: Vec<f64> = (0..20).map(|_| rng.uniform() * 1000.0).collect();
    let options = ImportanceChart {
        top: 15,
        title: "Top features".into(),
        ..ImportanceChart::default()
    };
    let svg = svg_of(plot_feature_importance(&names, &scores, &options, ImageFormat::Svg).unwrap());
    assert!(svg.starts_with("<svg"));
    let texts = texts(&svg);
    assert_eq!(texts.iter().filter(|t| *t == "Top features").count(), 1);

    let mut expected: Vec<(&String, f64)> = names.iter().zip(scores.iter().copied()).collect();
    expected.sort_by(|a, b| b.1.total_cmp(&a.1));
    let shown: Vec<&String> = texts.iter().filter(|t| names.contains(t)).collect();
    let expected_names: Vec<&String> = expected[..15].iter().map(|(n, _)| *n).collect();
    assert_eq!(
        shown, expected_names,
        "exactly the top 15 names, highest first"
    );
    for (name, score) in &expected[..15] {
        let note = format_sig(*score);
        assert!(texts.contains(&note), "{name}'s value {note} is written");
    }
    for (name, _) in &expected[15..] {
        assert!(!svg.contains(name.as_str()), "{name} is not in the top 15");
    }
}

#[test]
fn importance_bars_are_graded_from_low_to_high() {
    let (names, scores) = penguin_scores();
    let svg = svg_of(
        plot_feature_importance(
            &names,
            &scores,
            &ImportanceChart::default(),
            ImageFormat::Svg,
        )
        .unwrap(),
    );
    let fills: Vec<String> = rect_fills(&svg)
        .into_iter()
        .filter(|f| f != "#FFFFFF" && f != "none")
        .collect();
    assert_eq!(fills.len(), 5, "one bar per feature: {fills:?}");
    let distinct: HashSet<&String> = fills.iter().collect();
    assert_eq!(distinct.len(), 5, "every score its own shade");
}

#[test]
fn non_finite_scores_sort_and_draw_as_documented() {
    let names = strings(&["one", "missing", "infinite", "two", "minus"]);
    let scores = [1.0, f64::NAN, f64::INFINITY, 2.0, f64::NEG_INFINITY];
    let bars = ImportanceBars::new(&names, &scores, 10, "t", "x").unwrap();
    assert_eq!(bars.names(), ["infinite", "two", "one", "minus", "missing"]);

    let svg = svg_of(
        plot_feature_importance(
            &names,
            &scores,
            &ImportanceChart::default(),
            ImageFormat::Svg,
        )
        .unwrap(),
    );
    let texts = texts(&svg);
    for note in ["inf", "2", "1", "-inf", "nan"] {
        assert!(texts.iter().any(|t| t == note), "{note} is written");
    }
    let bars = rect_fills(&svg)
        .into_iter()
        .filter(|f| f != "#FFFFFF")
        .count();
    assert_eq!(bars, 4, "no bar for NaN");

    // Only NaN: no bar at all, still a chart.
    let svg = svg_of(
        plot_feature_importance(
            &names[..1],
            &[f64::NAN],
            &ImportanceChart::default(),
            ImageFormat::Svg,
        )
        .unwrap(),
    );
    assert!(texts_contain(&svg, "nan"));
    assert_eq!(
        rect_fills(&svg)
            .into_iter()
            .filter(|f| f != "#FFFFFF")
            .count(),
        0
    );
}

fn texts_contain(svg: &str, text: &str) -> bool {
    texts(svg).iter().any(|t| t == text)
}

#[test]
fn negative_scores_and_long_names_are_drawn() {
    let long = "a_feature_name_that_goes_on_and_on_far_beyond_any_reasonable_label_width_in_pixels"
        .to_string();
    let names = vec![long.clone(), "b".into(), "c".into()];
    let svg = svg_of(
        plot_feature_importance(
            &names,
            &[-0.3, 0.2, 0.0],
            &ImportanceChart::default(),
            ImageFormat::Svg,
        )
        .unwrap(),
    );
    let texts = texts(&svg);
    assert!(!texts.contains(&long), "the long name is shortened");
    assert!(texts
        .iter()
        .any(|t| t.starts_with("a_feature_name") && t.ends_with('…')));
    assert!(texts.contains(&"-0.3".to_string()));
}

#[test]
fn importance_input_errors_are_reported() {
    let options = ImportanceChart::default();
    let empty = plot_feature_importance(&[], &[], &options, ImageFormat::Svg).unwrap_err();
    assert!(matches!(empty, ChartError::Empty(_)), "{empty}");
    let names = strings(&["a", "b"]);
    let mismatch = plot_feature_importance(&names, &[1.0], &options, ImageFormat::Png).unwrap_err();
    assert!(matches!(mismatch, ChartError::Mismatch(_)), "{mismatch}");
    assert!(mismatch.to_string().contains("2 feature names but 1"));
    let zero = ImportanceChart { top: 0, ..options };
    let error = plot_feature_importance(&names, &[1.0, 2.0], &zero, ImageFormat::Svg).unwrap_err();
    assert!(matches!(error, ChartError::InvalidOption(_)), "{error}");
}

#[test]
fn importance_png_decodes_to_the_requested_size() {
    let (names, scores) = penguin_scores();
    let options = ImportanceChart {
        width: 1000,
        height: 600,
        ..ImportanceChart::default()
    };
    let image = plot_feature_importance(&names, &scores, &options, ImageFormat::Png).unwrap();
    assert_png_drawn(&image, (1000, 600));
}

// ---------------------------------------------------------------------------------------------
// Escaping

#[test]
fn text_from_the_data_is_escaped_in_svg() {
    let nasty = r#"<script>alert("x")</script> & co"#;
    let names = vec![nasty.to_string(), "plain".to_string()];
    let check = |svg: &str| {
        assert!(!svg.contains("<script"), "raw tag in the SVG");
        assert!(!svg.contains(nasty));
        assert!(!svg.contains(r#"alert("x")"#));
        assert!(!svg.contains(" & co"));
        assert!(svg.contains("&lt;script&gt;"), "escaped text is kept");
    };
    let wide = ImportanceChart {
        width: 1600,
        ..ImportanceChart::default()
    };
    check(&svg_of(
        plot_feature_importance(&names, &[2.0, 1.0], &wide, ImageFormat::Svg).unwrap(),
    ));

    let corr = ndarray::array![[1.0, 0.5], [0.5, 1.0]];
    check(&svg_of(
        correlation_heatmap(&names, corr.view(), nasty, ImageFormat::Svg, (1600, 900)).unwrap(),
    ));

    let columns = vec![(nasty.to_string(), vec![1.0, 2.0, 3.0])];
    check(&svg_of(
        histograms(&columns, 3, ImageFormat::Svg, (1600, 900)).unwrap(),
    ));

    let (points, labels) = blobs();
    check(&svg_of(
        cluster_scatter(
            points.view(),
            &labels,
            [nasty, "y"],
            nasty,
            ImageFormat::Svg,
            (1600, 900),
        )
        .unwrap(),
    ));
}

// ---------------------------------------------------------------------------------------------
// Heatmap

#[test]
fn heatmap_of_a_nan_matrix_is_grey_and_says_nan() {
    let names = strings(&["a", "b", "c"]);
    let corr = Array2::from_elem((3, 3), f64::NAN);
    let svg = svg_of(
        correlation_heatmap(
            &names,
            corr.view(),
            "All missing",
            ImageFormat::Svg,
            DEFAULT_SIZE,
        )
        .unwrap(),
    );
    assert_eq!(texts(&svg).iter().filter(|t| *t == "nan").count(), 9);
    assert_eq!(
        rect_fills(&svg).iter().filter(|f| *f == "#BDBDBD").count(),
        9
    );
    let image = correlation_heatmap(
        &names,
        corr.view(),
        "All missing",
        ImageFormat::Png,
        DEFAULT_SIZE,
    )
    .unwrap();
    assert_png_drawn(&image, DEFAULT_SIZE);
}

#[test]
fn heatmap_names_values_and_legend() {
    let columns = penguins();
    let names: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
    let corr = correlation(&columns);
    let svg = svg_of(
        correlation_heatmap(
            &names,
            corr.view(),
            "Correlation",
            ImageFormat::Svg,
            DEFAULT_SIZE,
        )
        .unwrap(),
    );
    let texts = texts(&svg);
    for name in &names {
        assert_eq!(
            texts.iter().filter(|t| *t == name).count(),
            2,
            "{name} on both axes"
        );
    }
    assert_eq!(
        texts.iter().filter(|t| *t == "1.00").count(),
        5,
        "the diagonal"
    );
    for tick in ["-1", "0", "1"] {
        assert!(texts.iter().any(|t| t == tick), "colour bar tick {tick}");
    }
    let image = correlation_heatmap(
        &names,
        corr.view(),
        "Correlation",
        ImageFormat::Png,
        DEFAULT_SIZE,
    )
    .unwrap();
    assert_png_drawn(&image, DEFAULT_SIZE);
}

#[test]
fn heatmap_values_are_left_out_past_twelve_columns() {
    let names: Vec<String> = (0..20).map(|i| format!("c{i}")).collect();
    let corr = Array2::from_shape_fn((20, 20), |(i, j)| if i == j { 1.0 } else { 0.25 });
    let svg = svg_of(
        correlation_heatmap(&names, corr.view(), "", ImageFormat::Svg, DEFAULT_SIZE).unwrap(),
    );
    assert!(!texts(&svg).iter().any(|t| t == "0.25"));
}

#[test]
fn heatmap_shape_errors() {
    let names = strings(&["a", "b"]);
    let not_square = Array2::<f64>::zeros((2, 3));
    assert!(matches!(
        correlation_heatmap(
            &names,
            not_square.view(),
            "",
            ImageFormat::Svg,
            DEFAULT_SIZE
        ),
        Err(ChartError::Mismatch(_))
    ));
    let three = Array2::<f64>::zeros((3, 3));
    assert!(matches!(
        correlation_heatmap(&names, three.view(), "", ImageFormat::Svg, DEFAULT_SIZE),
        Err(ChartError::Mismatch(_))
    ));
    let empty = Array2::<f64>::zeros((0, 0));
    assert!(matches!(
        correlation_heatmap(&[], empty.view(), "", ImageFormat::Svg, DEFAULT_SIZE),
        Err(ChartError::Empty(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// Scatter

#[test]
fn scatter_with_one_cluster_has_one_legend_entry() {
    let points = ndarray::array![[0.0, 1.0], [1.0, 0.5], [2.0, 2.0]];
    let svg = svg_of(
        cluster_scatter(
            points.view(),
            &[0, 0, 0],
            ["PC1 (68.6%)", "PC2 (19.5%)"],
            "One",
            ImageFormat::Svg,
            DEFAULT_SIZE,
        )
        .unwrap(),
    );
    let texts = texts(&svg);
    assert!(texts.contains(&"cluster 0".to_string()));
    assert!(!texts.iter().any(|t| t == "cluster 1"));
    assert!(
        texts.contains(&"PC1 (68.6%)".to_string()) && texts.contains(&"PC2 (19.5%)".to_string())
    );
}

#[test]
fn scatter_colours_clusters_distinctly() {
    let (points, labels) = blobs();
    let svg = svg_of(
        cluster_scatter(
            points.view(),
            &labels,
            ["PC1", "PC2"],
            "",
            ImageFormat::Svg,
            DEFAULT_SIZE,
        )
        .unwrap(),
    );
    for k in 0..3 {
        assert!(texts_contain(&svg, &format!("cluster {k}")));
    }
    let colours: HashSet<_> = (0..20)
        .map(palette::categorical)
        .map(|c| (c.0, c.1, c.2))
        .collect();
    assert_eq!(colours.len(), 20, "20 distinct categorical colours");
    let image = cluster_scatter(
        points.view(),
        &labels,
        ["PC1", "PC2"],
        "Blobs",
        ImageFormat::Png,
        DEFAULT_SIZE,
    )
    .unwrap();
    assert_png_drawn(&image, DEFAULT_SIZE);
}

#[test]
fn scatter_skips_non_finite_points_and_checks_shapes() {
    let points = ndarray::array![[0.0, f64::NAN], [f64::INFINITY, 1.0], [1.0, 1.0]];
    assert!(cluster_scatter(
        points.view(),
        &[0, 1, 1],
        ["x", "y"],
        "",
        ImageFormat::Svg,
        DEFAULT_SIZE
    )
    .is_ok());
    let three = Array2::<f64>::zeros((2, 3));
    assert!(matches!(
        cluster_scatter(
            three.view(),
            &[0, 0],
            ["x", "y"],
            "",
            ImageFormat::Svg,
            DEFAULT_SIZE
        ),
        Err(ChartError::Mismatch(_))
    ));
    let points = Array2::<f64>::zeros((2, 2));
    assert!(matches!(
        cluster_scatter(
            points.view(),
            &[0],
            ["x", "y"],
            "",
            ImageFormat::Svg,
            DEFAULT_SIZE
        ),
        Err(ChartError::Mismatch(_))
    ));
    let none = Array2::<f64>::zeros((0, 2));
    assert!(matches!(
        cluster_scatter(
            none.view(),
            &[],
            ["x", "y"],
            "",
            ImageFormat::Svg,
            DEFAULT_SIZE
        ),
        Err(ChartError::Empty(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// Histograms

/// The plain definition: value v is in bin i when edges[i] <= v < edges[i + 1], or v == max for the
/// last bin.
fn reference_counts(values: &[f64], edges: &[f64]) -> Vec<u64> {
    let bins = edges.len() - 1;
    let mut counts = vec![0; bins];
    for &v in values.iter().filter(|v| v.is_finite()) {
        for i in 0..bins {
            let last = i == bins - 1;
            if edges[i] <= v && (v < edges[i + 1] || (last && v <= edges[i + 1])) {
                counts[i] += 1;
                break;
            }
        }
    }
    counts
}

#[test]
fn binning_matches_the_plain_reference_on_random_data() {
    let mut rng = Rng(42);
    for case in 0..200 {
        let n = 1 + (rng.uniform() * 400.0) as usize;
        let bins = 1 + (rng.uniform() * 40.0) as usize;
        let scale = 10f64.powf(rng.uniform() * 8.0 - 4.0);
        let mut values: Vec<f64> = (0..n).map(|_| rng.normal(0.3, 1.0) * scale).collect();
        if case % 3 == 0 {
            // Values on the edges themselves, and missing ones.
            values.extend([values[0], values[0]]);
            values.push(f64::NAN);
        }
        let Some(Bins { edges, counts }) = histogram(&values, bins) else {
            panic!("finite data has a histogram");
        };
        let finite = values.iter().filter(|v| v.is_finite()).count() as u64;
        assert_eq!(
            counts.iter().sum::<u64>(),
            finite,
            "case {case}: every finite value counted"
        );
        if edges.len() == 2 && counts.len() == 1 && bins > 1 {
            continue; // a constant sample
        }
        assert_eq!(edges.len(), bins + 1);
        assert_eq!(counts, reference_counts(&values, &edges), "case {case}");
        let (low, high) = values
            .iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                (l.min(*v), h.max(*v))
            });
        assert_eq!((edges[0], edges[bins]), (low, high));
    }
}

#[test]
fn binning_matches_numpy_examples() {
    // numpy.histogram(np.arange(11), bins=5) -> ([2, 2, 2, 2, 3], [0, 2, 4, 6, 8, 10])
    let values: Vec<f64> = (0..=10).map(f64::from).collect();
    let bins = histogram(&values, 5).unwrap();
    assert_eq!(bins.counts, [2, 2, 2, 2, 3]);
    assert_eq!(bins.edges, [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
    // numpy.histogram([0.1, 0.2, 0.3], bins=3) -> ([1, 1, 1], linspace(0.1, 0.3, 4))
    let bins = histogram(&[0.1, 0.2, 0.3], 3).unwrap();
    assert_eq!(bins.counts, [1, 1, 1]);
    // A constant column: one bin around the value; NaN skipped.
    let bins = histogram(&[4.0, f64::NAN, 4.0, 4.0], 10).unwrap();
    assert_eq!(bins.counts, [3]);
    assert_eq!(bins.edges, [3.5, 4.5]);
    assert_eq!(histogram(&[f64::NAN, f64::INFINITY], 10), None);
    assert_eq!(histogram(&[1.0, 2.0], 0), None);
}

#[test]
fn histogram_grid_titles_every_column() {
    let mut columns = penguins();
    columns.push(("constant".into(), vec![1.5; 10]));
    columns.push(("empty".into(), vec![f64::NAN; 3]));
    let svg = svg_of(histograms(&columns, 20, ImageFormat::Svg, DEFAULT_SIZE).unwrap());
    let texts = texts(&svg);
    for (name, _) in &columns {
        assert!(texts.contains(name), "{name} titled");
    }
    assert!(texts.iter().any(|t| t == "no finite values"));
    assert!(matches!(
        histograms(&[], 10, ImageFormat::Svg, DEFAULT_SIZE),
        Err(ChartError::Empty(_))
    ));
    assert!(matches!(
        histograms(&columns, 0, ImageFormat::Svg, DEFAULT_SIZE),
        Err(ChartError::InvalidOption(_))
    ));
    let image = histograms(&penguins(), 20, ImageFormat::Png, DEFAULT_SIZE).unwrap();
    assert_png_drawn(&image, DEFAULT_SIZE);
}

// ---------------------------------------------------------------------------------------------
// Panel

fn with_panel<R>(importance: bool, f: impl FnOnce(&Panel<'_>) -> R) -> R {
    let columns = penguins();
    let names: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
    let corr = correlation(&columns);
    let (points, labels) = blobs();
    let (features, scores) = penguin_scores();
    let panel = Panel {
        histograms: &columns,
        correlation: (&names, corr.view()),
        scatter: (points.view(), &labels, ["PC1 (68.6%)", "PC2 (19.5%)"]),
        importance: importance.then_some((features.as_slice(), scores.as_slice())),
        title: "penguins.csv".into(),
    };
    f(&panel)
}

#[test]
fn panel_draws_every_part() {
    for importance in [true, false] {
        let svg = with_panel(importance, |panel| {
            svg_of(plot_panel(panel, ImageFormat::Svg, DEFAULT_PANEL_SIZE).unwrap())
        });
        let texts = texts(&svg);
        for part in [
            "penguins.csv",
            "Distributions",
            "Correlation",
            "Clusters (k-means)",
            "cluster 2",
            "body_mass_g",
        ] {
            assert!(texts.iter().any(|t| t == part), "{part} in the panel");
        }
        assert_eq!(texts.iter().any(|t| t == "Feature importance"), importance);
    }
    let image = with_panel(true, |panel| {
        plot_panel(panel, ImageFormat::Png, DEFAULT_PANEL_SIZE).unwrap()
    });
    assert_png_drawn(&image, DEFAULT_PANEL_SIZE);
}

#[test]
fn panel_reports_the_failing_part() {
    let columns = penguins();
    let names = strings(&["a"]);
    let corr = Array2::<f64>::zeros((2, 2));
    let points = Array2::<f64>::zeros((1, 2));
    let panel = Panel {
        histograms: &columns,
        correlation: (&names, corr.view()),
        scatter: (points.view(), &[0], ["x", "y"]),
        importance: None,
        title: String::new(),
    };
    assert!(matches!(
        plot_panel(&panel, ImageFormat::Svg, DEFAULT_PANEL_SIZE),
        Err(ChartError::Mismatch(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// Pictures to look at: `cargo test -p brisk-report chart::tests::write_pngs -- --ignored`
// writes them to the system's temporary folder.

/// Writes `image` as `name` to the system's temporary folder, for a person to look at.
pub(super) fn save_picture(name: &str, image: Image) {
    let folder = std::env::temp_dir().join("brisk-charts");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join(format!("{name}.{}", image.format().extension()));
    std::fs::write(&path, image.as_bytes()).unwrap();
    println!("{}", path.display());
}

#[test]
#[ignore = "writes PNG files for a person to look at"]
fn write_pngs() {
    let save = save_picture;

    let (names, scores) = penguin_scores();
    let options = ImportanceChart {
        title: "Feature importance for species (ANOVA F)".into(),
        ..ImportanceChart::default()
    };
    save(
        "importance",
        plot_feature_importance(&names, &scores, &options, ImageFormat::Png).unwrap(),
    );

    let mut rng = Rng(5);
    let many: Vec<String> = (0..14)
        .map(|i| match i {
            0 => "a_feature_name_that_is_much_too_long_to_fit_beside_the_bars_of_the_chart"
                .to_string(),
            1 => "missing_score".to_string(),
            2 => "infinite_score".to_string(),
            _ => format!("feature_{i:02}"),
        })
        .collect();
    let many_scores: Vec<f64> = (0..14)
        .map(|i| match i {
            0 => 9000.0,
            1 => f64::NAN,
            2 => f64::INFINITY,
            _ => rng.uniform().powi(3) * 15000.0,
        })
        .collect();
    let options = ImportanceChart {
        top: 15,
        ..ImportanceChart::default()
    };
    save(
        "importance_edge_cases",
        plot_feature_importance(&many, &many_scores, &options, ImageFormat::Png).unwrap(),
    );

    let columns = penguins();
    let column_names: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
    let corr = correlation(&columns);
    save(
        "heatmap",
        correlation_heatmap(
            &column_names,
            corr.view(),
            "Pearson correlation",
            ImageFormat::Png,
            DEFAULT_SIZE,
        )
        .unwrap(),
    );
    let (points, labels) = blobs();
    save(
        "scatter",
        cluster_scatter(
            points.view(),
            &labels,
            ["PC1 (68.6%)", "PC2 (19.5%)"],
            "PCA scores by k-means cluster",
            ImageFormat::Png,
            DEFAULT_SIZE,
        )
        .unwrap(),
    );
    save(
        "histograms",
        histograms(&columns, 20, ImageFormat::Png, DEFAULT_SIZE).unwrap(),
    );

    // Crowded charts at the smallest size.
    let options = ImportanceChart {
        width: MIN_SIZE.0,
        height: MIN_SIZE.1,
        ..ImportanceChart::default()
    };
    save(
        "importance_small",
        plot_feature_importance(&many, &many_scores, &options, ImageFormat::Png).unwrap(),
    );
    let wide: Vec<String> = (0..20)
        .map(|i| format!("sensor_{i:02}_reading_in_units"))
        .collect();
    let corr = Array2::from_shape_fn((20, 20), |(i, j)| {
        if i == j {
            1.0
        } else {
            ((i * 7 + j * 3) % 11) as f64 / 5.0 - 1.0
        }
    });
    save(
        "heatmap_20",
        correlation_heatmap(
            &wide,
            corr.view(),
            "Twenty columns",
            ImageFormat::Png,
            MIN_SIZE,
        )
        .unwrap(),
    );
    let mut rng = Rng(9);
    let labels: Vec<usize> = (0..600).map(|i| i % 12).collect();
    let points = Array2::from_shape_fn((600, 2), |(i, k)| {
        let centre = (labels[i] as f64 * 0.52).sin_cos();
        let centre = if k == 0 {
            centre.0 * 8.0
        } else {
            centre.1 * 8.0
        };
        rng.normal(centre, 0.8)
    });
    save(
        "scatter_12",
        cluster_scatter(
            points.view(),
            &labels,
            ["PC1 (41.0%)", "PC2 (22.3%)"],
            "Twelve clusters",
            ImageFormat::Png,
            MIN_SIZE,
        )
        .unwrap(),
    );
    with_panel(true, |panel| {
        save(
            "panel",
            plot_panel(panel, ImageFormat::Png, DEFAULT_PANEL_SIZE).unwrap(),
        )
    });
    with_panel(true, |panel| {
        save(
            "panel",
            plot_panel(panel, ImageFormat::Svg, DEFAULT_PANEL_SIZE).unwrap(),
        )
    });
    with_panel(false, |panel| {
        save(
            "panel_without_importance",
            plot_panel(panel, ImageFormat::Png, DEFAULT_PANEL_SIZE).unwrap(),
        )
    });
}

#[test]
fn extreme_values_are_drawn_or_refused_clearly() {
    let names = strings(&["a", "b", "c"]);
    let options = ImportanceChart::default();
    for scores in [
        [1e308, 1e-320, 5e-324],
        [-1.0, -2.0, -3.0],
        [0.0, 0.0, 0.0],
        [f64::NEG_INFINITY, f64::NAN, f64::INFINITY],
        [1e15, 1e15 + 0.125, 1e15 + 0.25],
    ] {
        for format in [ImageFormat::Svg, ImageFormat::Png] {
            let result = plot_feature_importance(&names, &scores, &options, format);
            assert!(result.is_ok(), "{scores:?}: {result:?}");
        }
    }
    // A span past the largest float has no axis: an error, not a hang.
    let error = plot_feature_importance(
        &names,
        &[f64::MAX, -f64::MAX, 0.0],
        &options,
        ImageFormat::Svg,
    )
    .unwrap_err();
    assert!(matches!(error, ChartError::OutOfRange(_)), "{error}");
    let points = ndarray::array![[f64::MAX, 0.0], [-f64::MAX, 1.0], [0.0, 1e-300]];
    let error = cluster_scatter(
        points.view(),
        &[0, 1, 2],
        ["x", "y"],
        "",
        ImageFormat::Svg,
        DEFAULT_SIZE,
    )
    .unwrap_err();
    assert!(matches!(error, ChartError::OutOfRange(_)), "{error}");

    let points = ndarray::array![[1e300, -1e-300], [1e300, 1e-300], [1e300, 0.0]];
    let columns = vec![
        ("huge".to_string(), vec![f64::MAX, -f64::MAX, 0.0]),
        ("tiny".to_string(), vec![5e-324, 0.0]),
        ("big constant".to_string(), vec![1e300; 3]),
    ];
    let corr = ndarray::array![[1.0, 7.5], [-7.5, f64::INFINITY]];
    for format in [ImageFormat::Svg, ImageFormat::Png] {
        assert!(cluster_scatter(
            points.view(),
            &[0, 1, 2],
            ["x", "y"],
            "",
            format,
            DEFAULT_SIZE
        )
        .is_ok());
        assert!(histograms(&columns, 10, format, DEFAULT_SIZE).is_ok());
        assert!(correlation_heatmap(&names[..2], corr.view(), "", format, DEFAULT_SIZE).is_ok());
    }
    let svg = svg_of(histograms(&columns, 10, ImageFormat::Svg, DEFAULT_SIZE).unwrap());
    assert!(texts_contain(&svg, "values too far apart to bin"));
}

#[test]
fn the_smallest_svg_canvas_still_draws_every_chart() {
    let size = MIN_SVG_SIZE;
    let (names, scores) = penguin_scores();
    let options = ImportanceChart {
        width: size.0,
        height: size.1,
        ..ImportanceChart::default()
    };
    assert!(plot_feature_importance(&names, &scores, &options, ImageFormat::Svg).is_ok());
    let columns = penguins();
    let corr = correlation(&columns);
    let column_names: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
    assert!(correlation_heatmap(&column_names, corr.view(), "c", ImageFormat::Svg, size).is_ok());
    let (points, labels) = blobs();
    assert!(cluster_scatter(
        points.view(),
        &labels,
        ["PC1", "PC2"],
        "s",
        ImageFormat::Svg,
        size
    )
    .is_ok());
    assert!(histograms(&columns, 10, ImageFormat::Svg, size).is_ok());
    with_panel(true, |panel| {
        assert!(plot_panel(panel, ImageFormat::Svg, size).is_ok())
    });
}
