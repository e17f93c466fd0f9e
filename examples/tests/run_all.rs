//! Runs every example program with `--quick` and checks that it exits with status 0 and prints
//! something; fails as well when `src/bin` holds a program this list does not know, or the list
//! names one that is gone, so that a new example cannot be forgotten.

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

/// Every example, with the path Cargo built it at.
macro_rules! examples {
    ($($name:ident),* $(,)?) => {
        const EXAMPLES: &[(&str, &str)] = &[
            $((stringify!($name), env!(concat!("CARGO_BIN_EXE_", stringify!($name))))),*
        ];
    };
}

examples![
    b2_indexing,
    b3_row_normalize,
    b4_method_chain,
    b5_strides,
    b6_left_join_count,
    b7_out_of_core_groupby,
    c1_vectorised_statistics,
    c2_cleaning_pipeline,
    c3_feature_importance_plot,
    c4_covariance_speedup,
    c5_chunked_statistics,
    c6_kmeans_core,
    c7_column_vs_row_code,
    d1_amdahl,
    d3_memory_layout,
    e3_profile_pipeline,
    nb1_arrays_and_dtypes,
    nb2_views_and_masks,
    nb3_broadcasting,
    nb4_loops_vs_vectorised,
    nb5_softmax,
    nb6_linear_algebra,
    nb7_inplace_and_strides,
    nb8_case_study,
];

#[test]
fn the_list_names_every_program_in_src_bin() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("src/bin")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = EXAMPLES.iter().map(|(name, _)| name.to_string()).collect();
    listed.sort();
    let unknown: Vec<&String> = on_disk.iter().filter(|n| !listed.contains(n)).collect();
    let missing: Vec<&String> = listed.iter().filter(|n| !on_disk.contains(n)).collect();
    assert!(
        unknown.is_empty() && missing.is_empty(),
        "add these programs to the list in tests/run_all.rs (and to README.md): {unknown:?}; \
         remove these from the list: {missing:?}"
    );
}

#[test]
fn every_example_runs_quickly_and_passes_its_checks() {
    let queue = Mutex::new(EXAMPLES.iter());
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let Some(&(name, exe)) = queue.lock().unwrap().next() else {
                    break;
                };
                let start = Instant::now();
                let output = Command::new(exe)
                    .arg("--quick")
                    .output()
                    .expect("the example starts");
                let seconds = start.elapsed().as_secs_f64();
                let stdout = String::from_utf8_lossy(&output.stdout);
                eprintln!("{name}: {} in {seconds:.2} s", output.status);
                if !output.status.success() || stdout.trim().is_empty() {
                    let stderr = String::from_utf8_lossy(&output.stderr);
                    let report = format!(
                        "{name}: {}\n--- stdout\n{stdout}--- stderr\n{stderr}",
                        output.status
                    );
                    failures.lock().unwrap().push(report);
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} example(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
