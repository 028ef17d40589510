//! Loom models of `Semaphore` and `BoundedSemaphore`: every interleaving of
//! the counter word and of the parking layer (the model backend, with the
//! model clock for timeouts).
//!
//! Run: `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release
//! -p sync-semaphore --test loom`.

#![cfg(loom)]

use loom::sync::atomic::AtomicUsize;
use loom::sync::Arc;
use loom::thread;
use std::sync::atomic::Ordering::SeqCst;
use std::time::Duration;
use sync_semaphore::{BoundedSemaphore, Semaphore};
use thread_core::__private::model::fire;

/// With one permit, never two threads hold it at once, also when a thread
/// takes the permit again right after releasing it to a parked waiter.
#[test]
fn loom_semaphore_count_never_exceeded() {
    loom::model(|| {
        let s = Arc::new(Semaphore::new(1));
        let inside = Arc::new(AtomicUsize::new(0));
        let worker = |s: Arc<Semaphore>, inside: Arc<AtomicUsize>, times: usize| {
            move || {
                for _ in 0..times {
                    let _p = s.permit();
                    assert_eq!(inside.fetch_add(1, SeqCst), 0, "two holders at once");
                    inside.fetch_sub(1, SeqCst);
                }
            }
        };
        let t = thread::spawn(worker(s.clone(), inside.clone(), 1));
        worker(s.clone(), inside.clone(), 2)();
        t.join().unwrap();
        assert_eq!(s.value(), 1);
    });
}

/// Two waiters on an empty semaphore, two separate releases: both waiters
/// get a permit (no wake-up is lost when releases race parks).
#[test]
fn loom_semaphore_no_permit_lost() {
    loom::model(|| {
        let s = Arc::new(Semaphore::new(0));
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let s = s.clone();
                thread::spawn(move || s.acquire())
            })
            .collect();
        s.release();
        s.release();
        for w in waiters {
            w.join().unwrap();
        }
        assert_eq!(s.value(), 0);
    });
}

/// `acquire_timeout` racing a `release` and the clock: the permit ends
/// either with the waiter (`true`) or in the semaphore (`false`), never
/// lost, never doubled.
#[test]
fn loom_semaphore_acquire_timeout_races_release() {
    loom::model(|| {
        let s = Arc::new(Semaphore::new(0));
        let s2 = s.clone();
        let waiter = thread::spawn(move || s2.acquire_timeout(Duration::from_secs(1)));
        let clock = thread::spawn(fire);
        s.release();
        let got = waiter.join().unwrap();
        clock.join().unwrap();
        assert_eq!(s.value(), if got { 0 } else { 1 });
    });
}

/// Two racing releases of a bounded semaphore with one permit out: exactly
/// one succeeds, the other is an error, and the value ends at the bound.
#[test]
fn loom_bounded_semaphore_release_error() {
    loom::model(|| {
        let s = Arc::new(BoundedSemaphore::new(1));
        s.acquire();
        let s2 = s.clone();
        let t = thread::spawn(move || s2.release().is_ok());
        let mine = s.release().is_ok();
        let theirs = t.join().unwrap();
        assert!(mine != theirs, "exactly one release may succeed");
        assert_eq!(s.value(), 1);
    });
}

/// Leftover state: a semaphore after an acquire/release cycle in which a
/// waiter parked (the `PARKED` bit may be left set, or cleared, by the
/// first cycle's release): the second cycle's waiter still gets its permit.
#[test]
fn loom_semaphore_reused_cycle_then_wait() {
    loom::model(|| {
        let s = Arc::new(Semaphore::new(0));
        let s2 = s.clone();
        let waiter = thread::spawn(move || {
            s2.acquire();
            s2.acquire();
        });
        s.release();
        s.release();
        waiter.join().unwrap();
        assert_eq!(s.value(), 0);
    });
}
