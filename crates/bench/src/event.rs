//! Event rows: `event_is_set`, `event_pingpong`, `event_idle_wait_cpu`.

use crate::measure::{compare, timed, Config, Contender};
use crate::{Padded, Report};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// `n` × `is_set()` on an Event that is not set, against a plain
/// `AtomicBool` acquire load.
pub(crate) fn is_set(cfg: &Config, report: &Report) {
    let flag = AtomicBool::new(false);
    let mut contenders = Vec::new();
    #[cfg(feature = "sync-event")]
    let ours = sync_event::Event::new();
    #[cfg(feature = "sync-event")]
    contenders.push(Contender::new("ours", |n| {
        timed(n, || {
            black_box(black_box(&ours).is_set());
        })
    }));
    #[cfg(not(feature = "sync-event"))]
    report.ours_missing("sync-event");
    contenders.push(Contender::new("atomic_bool", |n| {
        timed(n, || {
            black_box(black_box(&flag).load(Ordering::Acquire));
        })
    }));
    report.results(&compare(cfg, contenders));
}

/// A one-shot flag two threads hand back and forth.
pub(crate) trait Flag: Sync + Default {
    fn set(&self);
    fn wait(&self);
    fn clear(&self);
}

/// The peers' flag: a bool behind a `std::sync::Mutex` with a `Condvar`.
#[derive(Default)]
pub(crate) struct StdFlag {
    set: std::sync::Mutex<bool>,
    cv: std::sync::Condvar,
}

impl Flag for StdFlag {
    fn set(&self) {
        *self.set.lock().unwrap() = true;
        self.cv.notify_all();
    }
    fn wait(&self) {
        let mut g = self.set.lock().unwrap();
        while !*g {
            g = self.cv.wait(g).unwrap();
        }
    }
    fn clear(&self) {
        *self.set.lock().unwrap() = false;
    }
}

/// The same with parking_lot's `Mutex` and `Condvar`.
#[derive(Default)]
pub(crate) struct PlFlag {
    set: parking_lot::Mutex<bool>,
    cv: parking_lot::Condvar,
}

impl Flag for PlFlag {
    fn set(&self) {
        *self.set.lock() = true;
        self.cv.notify_all();
    }
    fn wait(&self) {
        let mut g = self.set.lock();
        while !*g {
            self.cv.wait(&mut g);
        }
    }
    fn clear(&self) {
        *self.set.lock() = false;
    }
}

/// The floor: a bare `AtomicBool` that `wait` spins on with plain loads,
/// never parking; the least a hand-over between two threads costs on this
/// machine (a cache line moving from one core to the other and back).
#[derive(Default)]
pub(crate) struct SpinFlag(AtomicBool);

impl Flag for SpinFlag {
    fn set(&self) {
        // Release: pairs with the Acquire load in `wait`, so what the setter
        // did before `set` is seen by the thread that returns from `wait`.
        self.0.store(true, Ordering::Release);
    }
    fn wait(&self) {
        // Acquire: pairs with the Release store in `set`.
        while !self.0.load(Ordering::Acquire) {
            std::hint::spin_loop();
        }
    }
    fn clear(&self) {
        // Relaxed: only the waiter clears, before it sets the other flag
        // (a Release store), which orders the clear before the next `set`.
        self.0.store(false, Ordering::Relaxed);
    }
}

#[cfg(feature = "sync-event")]
impl Flag for sync_event::Event {
    fn set(&self) {
        sync_event::Event::set(self);
    }
    fn wait(&self) {
        sync_event::Event::wait(self);
    }
    fn clear(&self) {
        sync_event::Event::clear(self);
    }
}

const WARM_ROUNDS: u64 = 16;

/// `n` round trips: the main thread sets `a` and waits for `b`; the partner
/// waits for `a`, clears it and sets `b`. Timed after a few warm rounds (so
/// the partner's start-up is not in the figure) until the last `b` arrives.
pub(crate) fn round_trips<F: Flag>(n: u64) -> Duration {
    let a = Padded(F::default());
    let b = Padded(F::default());
    std::thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..n + WARM_ROUNDS {
                a.wait();
                a.clear();
                b.set();
            }
        });
        for _ in 0..WARM_ROUNDS {
            a.set();
            b.wait();
            b.clear();
        }
        let t0 = Instant::now();
        for _ in 0..n {
            a.set();
            b.wait();
            b.clear();
        }
        t0.elapsed()
    })
}

pub(crate) fn pingpong(cfg: &Config, report: &Report) {
    let mut contenders = Vec::new();
    #[cfg(feature = "sync-event")]
    contenders.push(Contender::new("ours", round_trips::<sync_event::Event>));
    #[cfg(not(feature = "sync-event"))]
    report.ours_missing("sync-event");
    contenders.push(Contender::new("std_condvar", round_trips::<StdFlag>));
    contenders.push(Contender::new("parking_lot_condvar", round_trips::<PlFlag>));
    contenders.push(Contender::new("spin_floor", round_trips::<SpinFlag>));
    report.results(&compare(cfg, contenders));
}

/// CPU time (user + system) the calling thread has used, in ns, from
/// `getrusage(RUSAGE_THREAD)`.
#[cfg(feature = "sync-event")]
fn thread_cpu_ns() -> u64 {
    // SAFETY: an all-zero `rusage` is a valid value of the plain C struct.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `ru` is a valid, writable rusage; RUSAGE_THREAD is defined on Linux.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut ru) };
    assert_eq!(rc, 0, "getrusage(RUSAGE_THREAD) failed");
    let tv = |t: libc::timeval| t.tv_sec as u64 * 1_000_000_000 + t.tv_usec as u64 * 1_000;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// The CPU time a fresh thread uses while it waits 1 s on an Event that is
/// never set (the median of a few waits, one after the other).
pub(crate) fn idle_wait_cpu(cfg: &Config, report: &Report) {
    #[cfg(feature = "sync-event")]
    {
        use crate::measure::median;
        let samples = cfg.fixed_samples(3, 5);
        let mut figures: Vec<f64> = (0..samples)
            .map(|_| {
                std::thread::spawn(|| {
                    let ev = sync_event::Event::new();
                    let c0 = thread_cpu_ns();
                    let t0 = Instant::now();
                    let was_set = ev.wait_timeout(Duration::from_secs(1));
                    let waited = t0.elapsed();
                    let c1 = thread_cpu_ns();
                    assert!(!was_set, "an Event nobody set reported set");
                    assert!(waited >= Duration::from_millis(990), "wait_timeout(1 s) returned after {waited:?}");
                    (c1 - c0) as f64
                })
                .join()
                .unwrap()
            })
            .collect();
        report.result("ours", median(&mut figures));
    }
    #[cfg(not(feature = "sync-event"))]
    {
        let _ = cfg;
        report.ours_missing("sync-event");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_finish() {
        assert!(round_trips::<StdFlag>(50) > Duration::ZERO);
        assert!(round_trips::<PlFlag>(50) > Duration::ZERO);
        assert!(round_trips::<SpinFlag>(50) > Duration::ZERO);
        #[cfg(feature = "sync-event")]
        assert!(round_trips::<sync_event::Event>(50) > Duration::ZERO);
    }

    #[cfg(feature = "sync-event")]
    #[test]
    fn thread_cpu_time_grows_with_work() {
        // Spin until 5 ms of CPU time have been counted: on a loaded machine
        // a fixed wall time may hold far less CPU time, so the wall clock
        // only bounds the wait (a clock that never moves fails).
        let c0 = thread_cpu_ns();
        let t0 = Instant::now();
        while thread_cpu_ns() - c0 < 5_000_000 {
            assert!(t0.elapsed() < Duration::from_secs(30), "30 s of spinning counted under 5 ms of CPU time");
            std::hint::spin_loop();
        }
    }
}
