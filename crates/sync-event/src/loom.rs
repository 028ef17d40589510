//! Loom models of `Event`: every interleaving of its atomic word and of the
//! parking layer (the model backend, with the model clock for timeouts).
//!
//! They live in the crate, as tokio keeps its models, because one of them
//! reads the event's parked bit. Run: `cargo xtask check-models`, or
//! `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release -p
//! sync-event --lib loom_`.

use crate::Event;
use loom::sync::atomic::AtomicBool;
use loom::sync::Arc;
use loom::thread;
use std::sync::atomic::Ordering::SeqCst;
use std::time::Duration;
use thread_core::__private::model::fire;

/// A `set` racing a `wait` is never lost: the waiter returns `true` and
/// the model never deadlocks.
#[test]
fn loom_event_no_lost_wakeup() {
    loom::model(|| {
        let e = Arc::new(Event::new());
        let e2 = e.clone();
        let waiter = thread::spawn(move || e2.wait());
        e.set();
        assert!(waiter.join().unwrap());
        assert!(e.is_set());
    });
}

/// A waiter that was waiting when `set` ran returns `true` even though
/// `clear` follows at once (CPython bpo-13502); a waiter that starts after
/// the `clear` is not woken by that `set` (here: it must time out).
#[test]
fn loom_event_set_then_clear_still_wakes() {
    loom::model(|| {
        let e = Arc::new(Event::new());
        let e2 = e.clone();
        let waiter = thread::spawn(move || e2.wait());
        // Set and clear only once the waiter has announced itself (so its
        // wait has begun); it may still be before, in, or past its park.
        while !e.has_parked_waiters() {
            thread::yield_now();
        }
        e.set();
        e.clear();
        assert!(waiter.join().unwrap());
        assert!(!e.is_set());
    });
}

/// `wait_timeout` racing `set` and the clock: it always returns, and never
/// returns `true` before the `set` has begun.
#[test]
fn loom_event_wait_timeout_races_set() {
    loom::model(|| {
        let e = Arc::new(Event::new());
        let setting = Arc::new(AtomicBool::new(false));
        let (e2, s2) = (e.clone(), setting.clone());
        let waiter = thread::spawn(move || {
            let got = e2.wait_timeout(Duration::from_secs(1));
            // No spurious `true`: the setter had at least begun.
            assert!(!got || s2.load(SeqCst));
        });
        let clock = thread::spawn(fire);
        setting.store(true, SeqCst);
        e.set();
        waiter.join().unwrap();
        clock.join().unwrap();
        assert!(e.wait_timeout(Duration::ZERO));
    });
}

/// A timed-out waiter leaves no stale `PARKED` bit that would hide a later
/// waiter: after one waiter times out, a second untimed one is still woken.
#[test]
fn loom_event_timeout_then_wait_is_woken() {
    loom::model(|| {
        let e = Arc::new(Event::new());
        let e2 = e.clone();
        let waiter = thread::spawn(move || {
            let first = e2.wait_timeout(Duration::from_secs(1));
            let second = e2.wait();
            (first, second)
        });
        let clock = thread::spawn(fire);
        e.set();
        let (_, second) = waiter.join().unwrap();
        clock.join().unwrap();
        assert!(second);
    });
}

/// One `set` wakes every waiter: two untimed waiters both return `true`.
#[test]
fn loom_event_set_wakes_every_waiter() {
    loom::model(|| {
        let e = Arc::new(Event::new());
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let e = e.clone();
                thread::spawn(move || e.wait())
            })
            .collect();
        e.set();
        for w in waiters {
            assert!(w.join().unwrap());
        }
    });
}

/// Leftover state: an event already set and cleared once (generation 1).
/// A waiter there when `set` runs returns `true` although `clear` follows
/// at once (bpo-13502): every `set` must move the generation on, not only
/// a fresh event's first.
#[test]
fn loom_event_reused_set_clear_then_wait() {
    loom::model(|| {
        let e = Arc::new(Event::new());
        e.set();
        e.clear();
        set_clear_while_waiting(e);
    });
}

/// Leftover state: the generation at its largest value, so the next `set`
/// wraps it to 0. The wrap is harmless: a waiter there when `set` runs
/// still returns `true` although `clear` follows at once.
#[test]
fn loom_event_generation_wraps_set_clear_then_wait() {
    loom::model(|| {
        set_clear_while_waiting(Arc::new(Event::with_generation(usize::MAX)));
    });
}

/// A waiter on `e` (clear) that has announced itself, then `set` and
/// `clear` at once: the waiter returns `true`, the flag ends clear.
fn set_clear_while_waiting(e: Arc<Event>) {
    assert!(!e.is_set());
    let e2 = e.clone();
    let waiter = thread::spawn(move || e2.wait());
    while !e.has_parked_waiters() {
        thread::yield_now();
    }
    e.set();
    e.clear();
    assert!(waiter.join().unwrap());
    assert!(!e.is_set());
}
