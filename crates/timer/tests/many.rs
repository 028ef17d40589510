//! 10,000 pending timers run on a handful of OS threads, and cancelling and
//! joining them all is quick. One test in its own binary, so no other test
//! adds threads while it counts them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use timer::Timer;

/// The process's OS threads, from `/proc/self/status`.
#[cfg(target_os = "linux")]
fn os_threads() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("Threads:")).unwrap();
    line["Threads:".len()..].trim().parse().unwrap()
}

#[test]
fn ten_thousand_pending_timers_use_no_thread_each() {
    #[cfg(target_os = "linux")]
    let before = os_threads();
    let ran = Arc::new(AtomicUsize::new(0));
    let begin = Instant::now();
    let timers: Vec<Timer> = (0..10_000u64)
        .map(|i| {
            let ran = ran.clone();
            let t = Timer::new(Duration::from_secs(60) + Duration::from_micros(i), move || {
                ran.fetch_add(1, Ordering::SeqCst);
            });
            t.start().unwrap();
            t
        })
        .collect();
    assert_eq!(thread_core::active_count(), 10_000 + 2, "every pending timer is listed (+ main + this test)");
    #[cfg(target_os = "linux")]
    {
        let during = os_threads();
        // The timer service is the only thread added.
        assert!(during <= before + 2, "{during} OS threads while pending, {before} before");
    }
    for t in &timers {
        assert!(t.cancel());
    }
    for t in &timers {
        assert_eq!(t.join_timeout(Duration::from_secs(10)), Ok(true));
    }
    let took = begin.elapsed();
    assert_eq!(ran.load(Ordering::SeqCst), 0);
    // Loose: "milliseconds", even unoptimised on a busy machine.
    assert!(took < Duration::from_secs(10), "start + cancel + join of 10,000 took {took:?}");
    assert!(thread_core::active_count() <= 2);
}
