//! Loom models of `Lock` and `RLock`: every interleaving of their atomics
//! and of the wait path they block through (thread-core's `wait`, on the
//! parking layer's model backend).
//!
//! Run: `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release
//! -p sync-lock --test loom`.
#![cfg(loom)]
// The cells below are loom's UnsafeCell in std's Arc (see the import): clippy
// takes that for an Arc of a non-Sync payload; the lock under test is what
// makes sharing it sound, and loom checks exactly that.
#![allow(clippy::arc_with_non_send_sync)]

use loom::cell::UnsafeCell;
// std's Arc, not loom's: a loom Arc held by a thread loom finds deadlocked aborts
// the binary (tokio-rs/loom#291); a planted lost wake-up must fail cleanly.
use loom::thread;
use std::sync::Arc;
use std::time::Duration;
use sync_lock::{Lock, RLock, ReleaseError};
use thread_core::__private::model::fire;
use thread_core::__private::thread_token;
use thread_core::__private::wait::WaitTarget;
use thread_core::dump::Holder;

/// Increments the cell while holding the lock: loom's `UnsafeCell` reports
/// any two increments that overlap or are not ordered by the lock. Once
/// acquired (barging in, or handed over with no holder and then named),
/// the lock names this thread as its holder for the thread dump.
fn bump(lock: &Lock, cell: &UnsafeCell<u32>) {
    lock.acquire();
    assert_eq!(lock.describe().holder, Holder::AcquiredBy { ident: thread_token() as u64 });
    // SAFETY: the lock is held; loom checks it.
    cell.with_mut(|p| unsafe { *p += 1 });
    lock.release().unwrap();
}

/// Main, holding the lock from the start if `held`, and `n` threads each
/// bump the cell once; then every increment is there and the lock is free.
fn bump_from_threads(n: usize, held: bool) {
    let lock = Arc::new(Lock::new());
    let cell = Arc::new(UnsafeCell::new(0u32));
    if held {
        lock.acquire();
    }
    let hs: Vec<_> = (0..n)
        .map(|_| {
            let (lock, cell) = (Arc::clone(&lock), Arc::clone(&cell));
            thread::spawn(move || bump(&lock, &cell))
        })
        .collect();
    if held {
        // SAFETY: the lock is held; loom checks it.
        cell.with_mut(|p| unsafe { *p += 1 });
        lock.release().unwrap();
    } else {
        bump(&lock, &cell);
    }
    for h in hs {
        h.join().unwrap();
    }
    // SAFETY: every thread has been joined.
    assert_eq!(cell.with(|p| unsafe { *p }), n as u32 + 1);
    assert!(!lock.locked());
}

/// Two threads and main increment a non-atomic cell under the lock: no two
/// critical sections overlap, and no increment is lost.
#[test]
fn loom_lock_mutual_exclusion() {
    loom::model(|| bump_from_threads(2, false));
}

/// The lock held while three threads queue for it: releases wake waiters
/// one at a time, some of them fair hand-offs that re-lock the word after
/// the release's swap, possibly after a thread barged in and released in
/// between. Every hand-over must order the critical sections (with the
/// hand-off's re-lock Relaxed instead of Acquire, this model fails).
#[test]
fn loom_lock_handoff_orders_three_waiters() {
    loom::model(|| bump_from_threads(3, true));
}

/// A thread blocked in `acquire` (spinning, setting PARKED, parking) is
/// always woken by the release: loom reports a deadlock otherwise.
#[test]
fn loom_lock_no_lost_wakeup() {
    loom::model(|| {
        let lock = Arc::new(Lock::new());
        lock.acquire();
        let l2 = Arc::clone(&lock);
        let t = thread::spawn(move || {
            l2.acquire();
            l2.release().unwrap();
        });
        lock.release().unwrap();
        t.join().unwrap();
        assert!(!lock.locked());
    });
}

/// `acquire_timeout` racing a release and the clock: either the waiter got
/// the lock (and it is held until it releases) or it timed out and holds
/// nothing; either way the lock ends free and usable.
#[test]
fn loom_lock_acquire_timeout_races_release() {
    loom::model(|| {
        let lock = Arc::new(Lock::new());
        lock.acquire();
        let l2 = Arc::clone(&lock);
        let t = thread::spawn(move || {
            let got = l2.acquire_timeout(Duration::from_secs(1));
            if got {
                assert!(l2.locked());
                l2.release().unwrap();
            }
        });
        let clock = thread::spawn(fire);
        lock.release().unwrap();
        t.join().unwrap();
        clock.join().unwrap();
        assert!(!lock.locked());
        assert!(lock.try_acquire());
    });
}

/// Two threads blocked on a held lock, one with a timeout the clock ends:
/// the one that times out, when another is still parked, must leave the
/// lock's `PARKED` bit set (only the last waiter to leave clears it), or the
/// release takes its fast path and the untimed waiter sleeps for ever (a
/// loom deadlock). This is the wait path's "clear the bit only when the last
/// waiter times out" rule, under every interleaving.
#[test]
fn loom_lock_timeout_keeps_parked_for_others() {
    loom::model(|| {
        let lock = Arc::new(Lock::new());
        lock.acquire();
        let l2 = Arc::clone(&lock);
        let timed = thread::spawn(move || {
            if l2.acquire_timeout(Duration::from_secs(1)) {
                l2.release().unwrap();
            }
        });
        let l3 = Arc::clone(&lock);
        let untimed = thread::spawn(move || {
            l3.acquire();
            l3.release().unwrap();
        });
        let clock = thread::spawn(fire);
        lock.release().unwrap();
        timed.join().unwrap();
        untimed.join().unwrap();
        clock.join().unwrap();
        assert!(!lock.locked());
    });
}

/// A lock acquired by one thread and released by another wakes a third
/// thread blocked on it.
#[test]
fn loom_lock_release_by_other_thread() {
    loom::model(|| {
        let lock = Arc::new(Lock::new());
        lock.acquire();
        let l1 = Arc::clone(&lock);
        let releaser = thread::spawn(move || l1.release());
        let l2 = Arc::clone(&lock);
        let waiter = thread::spawn(move || {
            l2.acquire();
            l2.release()
        });
        assert_eq!(releaser.join().unwrap(), Ok(()));
        assert_eq!(waiter.join().unwrap(), Ok(()));
        assert!(!lock.locked());
    });
}

/// Two racing releases of one acquisition, with a thread parked on the
/// lock: exactly one succeeds, the other reports "release unlocked lock",
/// and the parked thread still gets the lock.
#[test]
fn loom_lock_racing_releases_one_wins() {
    loom::model(|| {
        let lock = Arc::new(Lock::new());
        lock.acquire();
        let l1 = Arc::clone(&lock);
        let waiter = thread::spawn(move || {
            l1.acquire();
            // Hold it until main has seen both releases.
        });
        let l2 = Arc::clone(&lock);
        let other = thread::spawn(move || l2.release());
        let mine = lock.release();
        let theirs = other.join().unwrap();
        waiter.join().unwrap();
        // The waiter holds it now; one release took the first acquisition,
        // the other either failed or released the waiter's (which Python
        // allows: any thread may release a Lock).
        let oks = [mine, theirs].iter().filter(|r| r.is_ok()).count();
        if oks == 1 {
            assert!(lock.locked());
            assert_eq!([mine, theirs].iter().find(|r| r.is_err()).unwrap(), &Err(ReleaseError::Unlocked));
            lock.release().unwrap();
        } else {
            assert_eq!(oks, 2);
        }
        assert!(!lock.locked());
    });
}

/// The owner re-enters and the lock stays held until the last release:
/// another thread's critical section never overlaps any of the owner's.
#[test]
fn loom_rlock_reentry_count() {
    loom::model(|| {
        let lock = Arc::new(RLock::new());
        let cell = Arc::new(UnsafeCell::new(0u32));
        let (l2, c2) = (Arc::clone(&lock), Arc::clone(&cell));
        let t = thread::spawn(move || {
            l2.acquire();
            // SAFETY: the lock is owned; loom checks it.
            c2.with_mut(|p| unsafe { *p += 1 });
            l2.release().unwrap();
        });
        lock.acquire();
        lock.acquire();
        // SAFETY: owned.
        cell.with_mut(|p| unsafe { *p += 1 });
        lock.release().unwrap();
        assert!(lock.is_owned());
        // SAFETY: still owned (one level left).
        cell.with_mut(|p| unsafe { *p += 1 });
        lock.release().unwrap();
        assert!(!lock.is_owned());
        t.join().unwrap();
        // SAFETY: joined.
        assert_eq!(cell.with(|p| unsafe { *p }), 3);
        assert!(!lock.locked());
    });
}

/// A thread that does not own the RLock can never release it, whatever the
/// owner is doing at that moment.
#[test]
fn loom_rlock_ownership_errors() {
    loom::model(|| {
        let lock = Arc::new(RLock::new());
        let l2 = Arc::clone(&lock);
        let t = thread::spawn(move || l2.release());
        lock.acquire();
        lock.acquire();
        assert_eq!(lock.release(), Ok(()));
        assert_eq!(lock.release(), Ok(()));
        assert_eq!(t.join().unwrap(), Err(ReleaseError::NotOwned));
        assert_eq!(lock.release(), Err(ReleaseError::NotOwned));
        assert!(!lock.locked());
    });
}

/// Leftover state: a lock after a contended hand-off (a thread parked on
/// it, the release woke it, `PARKED` perhaps left set for nobody): a second
/// contended round still excludes, orders and wakes.
#[test]
fn loom_lock_reused_after_handoff_then_contend() {
    loom::model(|| {
        let lock = Arc::new(Lock::new());
        let cell = Arc::new(UnsafeCell::new(0u32));
        lock.acquire();
        let (l2, c2) = (Arc::clone(&lock), Arc::clone(&cell));
        let other = thread::spawn(move || {
            bump(&l2, &c2);
            bump(&l2, &c2);
        });
        // SAFETY: the lock is held; loom checks it.
        cell.with_mut(|p| unsafe { *p += 1 });
        lock.release().unwrap();
        bump(&lock, &cell);
        other.join().unwrap();
        // SAFETY: every thread has been joined.
        assert_eq!(cell.with(|p| unsafe { *p }), 4);
        assert!(!lock.locked());
    });
}
