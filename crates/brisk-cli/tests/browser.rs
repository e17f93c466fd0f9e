//! The report renders in a real browser: headless Chromium prints the page to a PNG, which must
//! show the page's header band and plenty of drawn, coloured content; and the page of a wide
//! table (Car, 70 columns) is no wider than a 1280 px laptop screen or a 390 px phone, measured
//! by a script in a wrapper page that frames it.
//!
//! Chromium is looked up as `$BRISK_CHROMIUM`, `chromium`, `chromium-browser` or
//! `google-chrome`. Without one the test says so and passes, unless `BRISK_REQUIRE_BROWSER=1`
//! (as `.ci/run` sets after installing Debian's chromium). `BRISK_SCREENSHOT_DIR` keeps a copy of
//! the screenshot there.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::succeeds;

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("BRISK_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Chromium, or `None` after saying the test is skipped; a missing browser fails the test when
/// `BRISK_REQUIRE_BROWSER=1`.
fn chromium_or_skip() -> Option<PathBuf> {
    let browser = chromium();
    if browser.is_none() {
        assert!(
            std::env::var_os("BRISK_REQUIRE_BROWSER").is_none_or(|v| v != "1"),
            "BRISK_REQUIRE_BROWSER=1 but no chromium was found"
        );
        eprintln!("skipped: no chromium on PATH (install Debian's chromium to run this test)");
    }
    browser
}

/// Runs Chromium headless on `page`, writing `shot`, with the network shut: the page must need
/// nothing from outside.
fn screenshot(browser: &Path, page: &Path, shot: &Path, profile: &Path) {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--window-size=1280,2400",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            panic!("chromium did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_report_renders_in_headless_chromium() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    succeeds(&["report", "-o", page.to_str().unwrap()]);
    let shot = dir.path().join("report.png");
    screenshot(&browser, &page, &shot, &dir.path().join("profile"));
    assert!(shot.is_file(), "chromium wrote no screenshot");
    if let Some(keep) = std::env::var_os("BRISK_SCREENSHOT_DIR") {
        std::fs::copy(&shot, Path::new(&keep).join("report.png")).unwrap();
    }

    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let (width, height) = (info.width as usize, info.height as usize);
    assert!(width >= 1200 && height >= 2000, "{width}×{height}");
    let pixel = |x: usize, y: usize| {
        let at = (y * width + x) * channels;
        [pixels[at], pixels[at + 1], pixels[at + 2]]
    };
    // The header band is dark ink (#1d2330): the style sheet was applied.
    let [r, g, b] = pixel(5, 5);
    assert!(r < 60 && g < 60 && b < 80, "header pixel {r},{g},{b}");
    // Not blank: much of the page is neither the white of the sections nor the grey background,
    // and the charts bring many colours.
    let mut colours = std::collections::HashSet::new();
    let mut inked = 0usize;
    for y in (0..height).step_by(2) {
        for x in (0..width).step_by(2) {
            let p = pixel(x, y);
            colours.insert(p);
            if p.iter().any(|&c| c < 200) {
                inked += 1;
            }
        }
    }
    let sampled = height.div_ceil(2) * width.div_ceil(2);
    let share = inked as f64 / sampled as f64;
    eprintln!(
        "screenshot {width}×{height}: {:.1}% inked, {} colours",
        share * 100.0,
        colours.len()
    );
    assert!(
        share > 0.03,
        "the page looks blank: {:.2}% inked",
        share * 100.0
    );
    assert!(colours.len() > 200, "only {} colours", colours.len());
}

/// Loads `page` in an iframe `width` pixels wide and returns the page's scroll width and the
/// frame's inner width, as a script in the wrapper measures them once the page has loaded. The
/// page itself holds no script: only the wrapper, written next to it, does.
fn widths(browser: &Path, page: &Path, width: u32, profile: &Path) -> (u32, u32) {
    let wrapper = page.with_file_name(format!("frame-{width}.html"));
    let name = page.file_name().unwrap().to_str().unwrap();
    std::fs::write(
        &wrapper,
        format!(
            "<!DOCTYPE html><html><head><title>loading</title></head><body style=\"margin:0\">\
             <iframe id=\"f\" src=\"{name}\" style=\"width:{width}px;height:900px;border:0\">\
             </iframe><script>document.getElementById('f').addEventListener('load', function () {{\
             var d = this.contentDocument.documentElement;\
             document.title = 'W=' + d.scrollWidth + ';V=' + this.contentWindow.innerWidth; }});\
             </script></body></html>"
        ),
    )
    .unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--hide-scrollbars",
            "--allow-file-access-from-files",
            "--virtual-time-budget=20000",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--window-size=1400,1000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", wrapper.display()))
        .stderr(Stdio::null())
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout);
    let title = dom
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or_default();
    let number = |key: &str| -> u32 {
        let rest = title.split(key).nth(1).unwrap_or_default();
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits
            .parse()
            .unwrap_or_else(|_| panic!("no {key} in the title {title:?}"))
    };
    (number("W="), number("V="))
}

#[test]
fn a_wide_table_does_not_overflow_a_phone_or_a_laptop_screen() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    // Car: 70 columns (57 numeric), every section full.
    let data = common::golden_dir().join("profile/inputs/Car.csv.gz");
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("car.html");
    succeeds(&[
        "report",
        data.to_str().unwrap(),
        "--target",
        "choice",
        "-o",
        page.to_str().unwrap(),
    ]);
    for width in [1280, 390] {
        let (scroll, inner) = widths(&browser, &page, width, &dir.path().join("profile"));
        eprintln!("{width} px: the page is {scroll} px wide in a {inner} px frame");
        assert_eq!(inner, width, "the frame's width");
        assert!(
            scroll <= inner,
            "at {width} px the page overflows: {scroll} px"
        );
    }
}
