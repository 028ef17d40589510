//! Timer rows: `timers_10k` and `timer_lateness`.
//!
//! The peer, `thread_per_timer`, is Python's design in Rust: each timer is
//! an OS thread (64 KiB stack) that waits on a condvar with a timeout for a
//! "finished" flag; `cancel` sets the flag and notifies; on timeout the
//! thread runs the function.

use crate::measure::{compare_fixed, Config, FixedRun};
use crate::Report;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The stack each peer timer thread gets: small, so 10,000 of them fit.
const PEER_STACK: usize = 64 * 1024;

#[derive(Default)]
struct Finished {
    set: Mutex<bool>,
    cv: Condvar,
}

/// Python's `threading.Timer`, one OS thread per timer.
struct ThreadTimer {
    finished: Arc<Finished>,
    handle: JoinHandle<()>,
}

impl ThreadTimer {
    /// Starts the timer thread: it waits `interval` (from when it runs, as
    /// Python's `run()` does) unless cancelled, then calls `f`.
    fn start(interval: Duration, f: impl FnOnce() + Send + 'static) -> std::io::Result<ThreadTimer> {
        let finished = Arc::new(Finished::default());
        let fin = Arc::clone(&finished);
        let handle = std::thread::Builder::new().stack_size(PEER_STACK).spawn(move || {
            let g = fin.set.lock().unwrap();
            let (g, _) = fin.cv.wait_timeout_while(g, interval, |set| !*set).unwrap();
            let cancelled = *g;
            drop(g);
            if !cancelled {
                f();
            }
        })?;
        Ok(ThreadTimer { finished, handle })
    }

    fn cancel(&self) {
        *self.finished.set.lock().unwrap() = true;
        self.finished.cv.notify_all();
    }

    fn join(self) {
        self.handle.join().unwrap();
    }
}

/// Starts `count` peer timers due in 60 s, cancels them all, joins them
/// all; `None` if the OS refused a thread (after cleaning up).
fn peer_start_cancel_join(count: usize) -> Option<Duration> {
    let fired = Arc::new(AtomicUsize::new(0));
    let t0 = Instant::now();
    let mut timers = Vec::with_capacity(count);
    let mut refused = false;
    for _ in 0..count {
        let fired = Arc::clone(&fired);
        match ThreadTimer::start(Duration::from_secs(60), move || {
            fired.fetch_add(1, Ordering::Relaxed);
        }) {
            Ok(t) => timers.push(t),
            Err(_) => {
                refused = true;
                break;
            }
        }
    }
    for t in &timers {
        t.cancel();
    }
    for t in timers {
        t.join();
    }
    let elapsed = t0.elapsed();
    assert_eq!(fired.load(Ordering::Relaxed), 0, "a cancelled peer timer fired");
    (!refused).then_some(elapsed)
}

#[cfg(feature = "timer")]
fn ours_start_cancel_join(count: usize) -> Duration {
    let fired = Arc::new(AtomicUsize::new(0));
    let t0 = Instant::now();
    let timers: Vec<timer::Timer> = (0..count)
        .map(|_| {
            let fired = Arc::clone(&fired);
            let t = timer::Timer::new(Duration::from_secs(60), move || {
                fired.fetch_add(1, Ordering::Relaxed);
            });
            t.start().expect("timer start");
            t
        })
        .collect();
    for t in &timers {
        // Each wins (60 s to go); the `fired` count below checks it, out of
        // the timed loop's way.
        let _ = t.cancel();
    }
    for t in &timers {
        t.join().expect("timer join");
    }
    let elapsed = t0.elapsed();
    assert_eq!(fired.load(Ordering::Relaxed), 0, "a cancelled timer fired");
    elapsed
}

/// ns to start 10,000 timers due in 60 s, cancel them all and join them all.
pub(crate) fn timers_10k(cfg: &Config, report: &Report) {
    const COUNT: usize = 10_000;
    // Can this machine hold 10,000 peer threads? Try once; scale otherwise.
    let (peer_count, scale) = match peer_start_cancel_join(COUNT) {
        Some(_) => (COUNT, 1.0),
        None => {
            report.note("thread_per_timer: the OS refused 10,000 threads; measured 2,000 and scaled ×5");
            (2_000, 5.0)
        }
    };
    let samples = cfg.fixed_samples(3, 5);
    let mut contenders: Vec<FixedRun<'_>> = Vec::new();
    #[cfg(feature = "timer")]
    contenders.push(("ours", Box::new(|| ours_start_cancel_join(COUNT).as_nanos() as f64)));
    #[cfg(not(feature = "timer"))]
    report.ours_missing("timer");
    contenders.push((
        "thread_per_timer",
        Box::new(move || {
            let d = peer_start_cancel_join(peer_count).expect("the OS refused a thread it gave before");
            d.as_nanos() as f64 * scale
        }),
    ));
    report.results(&compare_fixed(samples, contenders));
}

/// The deadlines of the lateness row: 1,000 intervals from 10 ms to
/// 1,009 ms, each millisecond once, started in a scrambled order.
fn lateness_intervals() -> Vec<Duration> {
    (0..1_000u64).map(|i| Duration::from_millis(10 + (i * 7_919) % 1_000)).collect()
}

/// Lateness bookkeeping shared with the timer functions: when each one
/// started, in ns after `base`.
struct Lateness {
    base: Instant,
    started_at: Vec<AtomicU64>,
}

impl Lateness {
    fn new(count: usize) -> Arc<Lateness> {
        Arc::new(Lateness { base: Instant::now(), started_at: (0..count).map(|_| AtomicU64::new(0)).collect() })
    }

    fn mark(&self, i: usize) {
        self.started_at[i].store(self.base.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }

    /// Mean lateness in ns (an early start counts as 0) and the number of
    /// timers that started before their deadline.
    fn mean(&self, deadlines: &[Instant]) -> (f64, usize) {
        let mut sum = 0.0;
        let mut early = 0;
        for (d, s) in deadlines.iter().zip(&self.started_at) {
            let started = self.base + Duration::from_nanos(s.load(Ordering::Relaxed));
            match started.checked_duration_since(*d) {
                Some(late) => sum += late.as_nanos() as f64,
                None => early += 1,
            }
        }
        (sum / deadlines.len() as f64, early)
    }
}

/// Starts the 1,000 lateness timers with `start(interval, f)`, waits for
/// them with `join`, and returns the mean lateness and the early count.
fn lateness_of<T>(start: impl Fn(Duration, Box<dyn FnOnce() + Send>) -> T, join: impl Fn(T)) -> (f64, usize) {
    let intervals = lateness_intervals();
    let book = Lateness::new(intervals.len());
    let mut deadlines = Vec::with_capacity(intervals.len());
    let mut timers = Vec::with_capacity(intervals.len());
    for (i, &interval) in intervals.iter().enumerate() {
        let book = Arc::clone(&book);
        deadlines.push(Instant::now() + interval);
        timers.push(start(interval, Box::new(move || book.mark(i))));
    }
    for t in timers {
        join(t);
    }
    book.mean(&deadlines)
}

fn peer_lateness() -> (f64, usize) {
    lateness_of(|interval, f| ThreadTimer::start(interval, f).expect("spawn a peer timer thread"), ThreadTimer::join)
}

#[cfg(feature = "timer")]
fn ours_lateness() -> (f64, usize) {
    lateness_of(
        |interval, f| {
            let t = timer::Timer::new(interval, f);
            t.start().expect("timer start");
            t
        },
        |t| t.join().expect("timer join"),
    )
}

/// Mean ns between each of 1,000 timers' deadline (measured from just
/// before its `start()`) and its function starting.
pub(crate) fn lateness(cfg: &Config, report: &Report) {
    let samples = cfg.fixed_samples(1, 3);
    let early = Arc::new(AtomicUsize::new(0));
    let mut contenders: Vec<FixedRun<'_>> = Vec::new();
    #[cfg(feature = "timer")]
    {
        let early = Arc::clone(&early);
        contenders.push((
            "ours",
            Box::new(move || {
                let (mean, e) = ours_lateness();
                early.fetch_add(e, Ordering::Relaxed);
                mean
            }),
        ));
    }
    #[cfg(not(feature = "timer"))]
    report.ours_missing("timer");
    contenders.push(("thread_per_timer", Box::new(|| peer_lateness().0)));
    report.results(&compare_fixed(samples, contenders));
    let early = early.load(Ordering::Relaxed);
    if early > 0 {
        report.note(&format!("ours: {early} timer(s) fired BEFORE their deadline (counted as 0 lateness)"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancelled_timers_never_fire() {
        assert!(peer_start_cancel_join(50).is_some());
        #[cfg(feature = "timer")]
        assert!(ours_start_cancel_join(50) > Duration::ZERO);
    }

    #[test]
    fn lateness_intervals_are_spread_and_distinct() {
        let mut ms: Vec<u128> = lateness_intervals().iter().map(Duration::as_millis).collect();
        ms.sort_unstable();
        assert_eq!(ms, (10..1_010).collect::<Vec<u128>>());
    }
}
