//! Lock and RLock rows: `lock_uncontended`, `lock_contended_{2,8}t`,
//! `rlock_reentrant`.

use crate::measure::{compare, timed, Config, Contender};
use crate::Report;
use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

/// One thread, `n` × (acquire + release) through the guard API.
pub(crate) fn uncontended(cfg: &Config, report: &Report) {
    let std_m = std::sync::Mutex::new(());
    let pl_m = parking_lot::Mutex::new(());
    let mut contenders = Vec::new();
    #[cfg(feature = "sync-lock")]
    let ours = sync_lock::Lock::new();
    #[cfg(feature = "sync-lock")]
    contenders.push(Contender::new("ours", |n| {
        timed(n, || {
            drop(black_box(&ours).lock());
        })
    }));
    #[cfg(not(feature = "sync-lock"))]
    report.ours_missing("sync-lock");
    contenders.push(Contender::new("std", |n| {
        timed(n, || {
            drop(black_box(&std_m).lock().unwrap());
        })
    }));
    contenders.push(Contender::new("parking_lot", |n| {
        timed(n, || {
            drop(black_box(&pl_m).lock());
        })
    }));
    report.results(&compare(cfg, contenders));
}

/// A counter behind a lock: the critical section of the contended rows.
trait LockedCounter: Sync + Default {
    fn incr(&self);
    fn get(&self) -> u64;
}

#[derive(Default)]
struct StdCounter(std::sync::Mutex<u64>);
impl LockedCounter for StdCounter {
    fn incr(&self) {
        *self.0.lock().unwrap() += 1;
    }
    fn get(&self) -> u64 {
        *self.0.lock().unwrap()
    }
}

#[derive(Default)]
struct PlCounter(parking_lot::Mutex<u64>);
impl LockedCounter for PlCounter {
    fn incr(&self) {
        *self.0.lock() += 1;
    }
    fn get(&self) -> u64 {
        *self.0.lock()
    }
}

#[cfg(feature = "sync-lock")]
#[derive(Default)]
struct OursCounter {
    lock: sync_lock::Lock,
    value: std::cell::UnsafeCell<u64>,
}
// SAFETY: `value` is only touched while `lock` is held.
#[cfg(feature = "sync-lock")]
unsafe impl Sync for OursCounter {}
#[cfg(feature = "sync-lock")]
impl LockedCounter for OursCounter {
    fn incr(&self) {
        let _g = self.lock.lock();
        // SAFETY: the lock is held, so no other thread touches `value`.
        unsafe { *self.value.get() += 1 };
    }
    fn get(&self) -> u64 {
        let _g = self.lock.lock();
        // SAFETY: the lock is held.
        unsafe { *self.value.get() }
    }
}

/// `threads` threads each increment the counter `n / threads` times; the
/// figure is the wall time over all increments (ns per acquire+release,
/// total). The final count is checked, so a lock that lets two threads in
/// at once fails loudly instead of looking fast.
///
/// With no more threads than CPUs, thread `i` is pinned to the `i`-th CPU
/// the process may use, so every sample measures threads contending from
/// different cores. Unpinned, the scheduler sometimes put both on one core
/// (a different workload: no cache line crosses cores), and the figure of
/// every lock, std's, parking_lot's and ours, jumped between about 4 and
/// 24 ns from sample to sample and run to run. Oversubscribed rows stay
/// unpinned: there the scheduler's placement is part of what is measured.
fn contended<C: LockedCounter>(threads: u64, n: u64) -> Duration {
    let per = n.div_ceil(threads);
    let counter = C::default();
    let start = Barrier::new(threads as usize + 1);
    let cpus = crate::affinity::allowed_cpus();
    let pin = threads as usize <= cpus.len();
    let elapsed = std::thread::scope(|s| {
        for i in 0..threads as usize {
            let (start, counter, cpus) = (&start, &counter, &cpus);
            s.spawn(move || {
                if pin {
                    crate::affinity::pin_current_thread(cpus[i]);
                }
                start.wait();
                for _ in 0..per {
                    counter.incr();
                }
            });
        }
        start.wait();
        let t0 = Instant::now();
        // The scope joins every thread before it returns.
        t0
    })
    .elapsed();
    assert_eq!(counter.get(), per * threads, "lost update: the lock let two threads in");
    // Report as if exactly `n` operations ran.
    Duration::from_secs_f64(elapsed.as_secs_f64() * n as f64 / (per * threads) as f64)
}

/// `contended` with our lock (the profiled row's workload).
#[cfg(feature = "sync-lock")]
pub(crate) fn contended_ours(threads: u64, n: u64) -> Duration {
    contended::<OursCounter>(threads, n)
}

fn contended_row(cfg: &Config, report: &Report, threads: u64) {
    let mut contenders = Vec::new();
    #[cfg(feature = "sync-lock")]
    contenders.push(Contender::new("ours", |n| contended::<OursCounter>(threads, n)));
    #[cfg(not(feature = "sync-lock"))]
    report.ours_missing("sync-lock");
    contenders.push(Contender::new("std", |n| contended::<StdCounter>(threads, n)));
    contenders.push(Contender::new("parking_lot", |n| contended::<PlCounter>(threads, n)));
    report.results(&compare(cfg, contenders));
}

pub(crate) fn contended_2t(cfg: &Config, report: &Report) {
    contended_row(cfg, report, 2);
}

pub(crate) fn contended_8t(cfg: &Config, report: &Report) {
    contended_row(cfg, report, 8);
}

/// One thread, `n` × (acquire, acquire again, release, release): a nested
/// acquire+release, taking both the first-owner path and the re-entry path.
pub(crate) fn rlock_reentrant(cfg: &Config, report: &Report) {
    let pl = parking_lot::ReentrantMutex::new(());
    let mut contenders = Vec::new();
    #[cfg(feature = "sync-lock")]
    let ours = sync_lock::RLock::new();
    #[cfg(feature = "sync-lock")]
    contenders.push(Contender::new("ours", |n| {
        timed(n, || {
            let outer = black_box(&ours).lock();
            let inner = black_box(&ours).lock();
            drop(inner);
            drop(outer);
        })
    }));
    #[cfg(not(feature = "sync-lock"))]
    report.ours_missing("sync-lock");
    contenders.push(Contender::new("parking_lot", |n| {
        timed(n, || {
            let outer = black_box(&pl).lock();
            let inner = black_box(&pl).lock();
            drop(inner);
            drop(outer);
        })
    }));
    report.results(&compare(cfg, contenders));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contended_counts_every_increment() {
        assert!(contended::<StdCounter>(2, 1_000) > Duration::ZERO);
        assert!(contended::<PlCounter>(3, 1_000) > Duration::ZERO);
        #[cfg(feature = "sync-lock")]
        assert!(contended::<OursCounter>(4, 1_000) > Duration::ZERO);
    }
}
