//! The profiler's counts on a known allocation pattern, through the counting allocator installed
//! as this test binary's global allocator.

use brisk_profile::{
    block, enabled, hints, session, set_enabled, snapshot, take_report, CountingAllocator, Report,
};

#[global_allocator]
static GLOBAL: CountingAllocator<std::alloc::System> = CountingAllocator(std::alloc::System);

/// One test only: the counters and the stage list are process-wide.
#[test]
fn stages_count_a_known_allocation_pattern() {
    set_enabled(true);
    {
        let _outer = block("outer");
        {
            let _inner = block("inner");
            // Ten separate 1 MiB buffers, alive together: at least 10 MiB of peak, 10 allocations.
            let buffers: Vec<Vec<u8>> = (0..10).map(|_| vec![1u8; 1 << 20]).collect();
            assert_eq!(buffers.len(), 10);
        }
        // A snapshot measures the open outer block up to now, without ending it.
        let so_far = snapshot();
        assert_eq!(so_far.stages.len(), 2);
        assert!(so_far.stages[0].peak_bytes >= 10 << 20, "{so_far:?}");
        assert!(so_far.stages[0].allocations >= 10, "{so_far:?}");
        {
            let _small = block("small");
            let one: Vec<u64> = (0..16).collect();
            assert_eq!(one.len(), 16);
        }
    }
    {
        let _second = block("second");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    set_enabled(false);
    let report = take_report();
    let names: Vec<&str> = report.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["outer", "inner", "small", "second"]);
    let depths: Vec<usize> = report.stages.iter().map(|s| s.depth).collect();
    assert_eq!(depths, [0, 1, 1, 0]);
    let inner = &report.stages[1];
    assert!(inner.peak_bytes >= 10 << 20, "{inner:?}");
    assert!(inner.peak_bytes < 12 << 20, "{inner:?}");
    assert!((11..=20).contains(&inner.allocations), "{inner:?}");
    // The outer block saw the inner one's peak; the small block did not.
    assert!(report.stages[0].peak_bytes >= inner.peak_bytes);
    assert!(report.stages[2].peak_bytes < 1 << 16);
    assert!(report.stages[3].wall_seconds >= 0.02);
    let total = report.stages[0].wall_seconds + report.stages[3].wall_seconds;
    assert!((report.total_seconds - total).abs() < 1e-12);
    let advice = hints(&report);
    assert_eq!(advice.len(), 2);
    assert!(advice[0].fraction >= advice[1].fraction);
    assert!(advice[0].to_string().starts_with("halving `"));
    let json = serde_json::to_value(&report).unwrap();
    assert!(json["stages"][0].get("peak_bytes").is_some());
    assert!(json["stages"][0].get("depth").is_none());

    sessions_profile_one_run_and_leave_the_state_as_it_was();
}

fn names(report: &Report) -> Vec<(&str, usize)> {
    report
        .stages
        .iter()
        .map(|s| (s.name.as_str(), s.depth))
        .collect()
}

/// Called from the one test: the state is process-wide.
fn sessions_profile_one_run_and_leave_the_state_as_it_was() {
    // Profiling off: the session turns it on, shows its own stages and leaves none behind.
    {
        let run = session();
        assert!(enabled());
        drop(block("run"));
        assert_eq!(names(&run.snapshot()), [("run", 0)]);
    }
    assert!(!enabled());
    assert!(take_report().stages.is_empty());
    // Profiling on: the session's stages stay in the caller's record, under its open block; a
    // stage that ended before the session is not part of the session's snapshot.
    set_enabled(true);
    drop(block("before"));
    {
        let _caller = block("caller");
        let run = session();
        drop(block("run"));
        assert_eq!(names(&run.snapshot()), [("caller", 0), ("run", 1)]);
    }
    assert!(enabled());
    set_enabled(false);
    let record = take_report();
    assert_eq!(names(&record), [("before", 0), ("caller", 0), ("run", 1)]);
}
