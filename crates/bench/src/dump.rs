//! The thread dump, the deadlock report and the contention profile:
//! `lock_contended_2t_profiled`, `dump_1000_blocked`,
//! `deadlocks_1000_blocked`.

use crate::measure::{compare, compare_fixed, Config, Contender, FixedRun};
use crate::Report;
use std::time::Instant;

/// `lock_contended_2t` with the contention profile on ("ours") and off
/// ("profile_off"), interleaved in one run.
#[cfg(feature = "sync-lock")]
pub(crate) fn contended_2t_profiled(cfg: &Config, report: &Report) {
    let on = |n| {
        thread_core::profile::enable();
        let d = crate::lock::contended_ours(2, n);
        thread_core::profile::disable();
        d
    };
    let off = |n| crate::lock::contended_ours(2, n);
    let contenders = vec![Contender::new("ours", on), Contender::new("profile_off", off)];
    report.results(&compare(cfg, contenders));
    thread_core::profile::reset();
}

#[cfg(not(feature = "sync-lock"))]
pub(crate) fn contended_2t_profiled(_cfg: &Config, report: &Report) {
    report.ours_missing("sync-lock");
}

/// Threads per row, and locks they block on.
const BLOCKED: usize = 1_000;
const LOCKS: usize = 100;

/// ns to spawn and join `BLOCKED` std threads (the rows' peer).
fn std_spawn_1000() -> f64 {
    let t0 = Instant::now();
    let threads: Vec<_> = (0..BLOCKED).map(|_| std::thread::spawn(|| {})).collect();
    for t in threads {
        t.join().unwrap();
    }
    t0.elapsed().as_nanos() as f64
}

/// Runs `row` (one call = one figure in ns) while `BLOCKED` std threads
/// are parked on `LOCKS` locks that this thread holds, against the peer
/// `std_spawn_1000`.
#[cfg(feature = "sync-lock")]
fn with_blocked(cfg: &Config, report: &Report, row: fn() -> usize) {
    use std::sync::Arc;
    let locks: Arc<Vec<sync_lock::Lock>> = Arc::new((0..LOCKS).map(|_| sync_lock::Lock::new()).collect());
    for l in locks.iter() {
        l.acquire();
    }
    let threads: Vec<_> = (0..BLOCKED)
        .map(|i| {
            let locks = locks.clone();
            std::thread::Builder::new()
                .stack_size(64 << 10)
                .spawn(move || {
                    let l = &locks[i % LOCKS];
                    l.acquire();
                    l.release().unwrap();
                })
                .unwrap()
        })
        .collect();
    // Until every thread is parked (each shows in the dump).
    while row_blocked() < BLOCKED {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let ours: FixedRun<'_> = (
        "ours",
        Box::new(|| {
            let t0 = Instant::now();
            let n = row();
            let ns = t0.elapsed().as_nanos() as f64;
            assert!(n >= BLOCKED, "the row saw {n} blocked threads, not {BLOCKED}");
            ns
        }),
    );
    let peer: FixedRun<'_> = ("std_spawn_1000", Box::new(std_spawn_1000));
    report.results(&compare_fixed(cfg.fixed_samples(5, 15), vec![ours, peer]));
    for l in locks.iter() {
        l.release().unwrap();
    }
    for t in threads {
        t.join().unwrap();
    }
}

#[cfg(feature = "sync-lock")]
fn row_blocked() -> usize {
    thread_core::dump().threads().iter().filter(|t| t.blocked.is_some()).count()
}

/// One `dump()` with 1,000 threads blocked on 100 locks.
#[cfg(feature = "sync-lock")]
pub(crate) fn dump_1000_blocked(cfg: &Config, report: &Report) {
    with_blocked(cfg, report, row_blocked);
}

/// One `deadlocks()` over the same threads (there is no cycle: the locks'
/// holder, this thread, is running).
#[cfg(feature = "sync-lock")]
pub(crate) fn deadlocks_1000_blocked(cfg: &Config, report: &Report) {
    with_blocked(cfg, report, || {
        assert!(thread_core::deadlocks().is_empty());
        BLOCKED
    });
}

#[cfg(not(feature = "sync-lock"))]
pub(crate) fn dump_1000_blocked(_cfg: &Config, report: &Report) {
    report.ours_missing("sync-lock");
}

#[cfg(not(feature = "sync-lock"))]
pub(crate) fn deadlocks_1000_blocked(_cfg: &Config, report: &Report) {
    report.ours_missing("sync-lock");
}
