//! Loom models of `Barrier`: every interleaving of its state word and of
//! the parking layer (the model backend, with the model clock for
//! timeouts).
//!
//! Run: `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release
//! -p threading-barrier --test loom`.

#![cfg(loom)]

use loom::sync::atomic::AtomicUsize;
use loom::sync::Arc;
use loom::thread;
use std::sync::atomic::Ordering::SeqCst;
use std::time::Duration;
use sync_barrier::{Barrier, BrokenBarrierError};
use thread_core::__private::model::fire_final;

/// Two parties, two rounds: in each round the indices are 0 and 1, and the
/// action has run exactly once per round, before anyone is released.
#[test]
fn loom_barrier_indices_distinct_and_action_once() {
    loom::model(|| {
        let actions = Arc::new(AtomicUsize::new(0));
        let a = actions.clone();
        let b = Arc::new(Barrier::builder(2).action(move || _ = a.fetch_add(1, SeqCst)).build());
        let party = |b: Arc<Barrier>, actions: Arc<AtomicUsize>| {
            move || {
                let mut got = [0; 2];
                for (round, slot) in got.iter_mut().enumerate() {
                    *slot = b.wait().unwrap();
                    let ran = actions.load(SeqCst);
                    assert!(ran > round, "released before the action of round {round}");
                    assert!(ran <= round + 2, "action ran twice");
                }
                got
            }
        };
        let t = thread::spawn(party(b.clone(), actions.clone()));
        let mine = party(b.clone(), actions.clone())();
        let theirs = t.join().unwrap();
        assert_eq!([mine[0] + theirs[0], mine[1] + theirs[1]], [1, 1], "indices not distinct");
        assert_eq!(actions.load(SeqCst), 2);
    });
}

/// `abort` while two of three parties wait (or are arriving): both get
/// `BrokenBarrierError`, none is left blocked.
#[test]
fn loom_barrier_abort_breaks_waiters() {
    loom::model(|| {
        let b = Arc::new(Barrier::new(3));
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let b = b.clone();
                thread::spawn(move || b.wait())
            })
            .collect();
        b.abort();
        for w in waiters {
            assert_eq!(w.join().unwrap(), Err(BrokenBarrierError));
        }
        assert!(b.is_broken());
    });
}

/// One of two waiters (of three parties) times out: the barrier breaks and
/// the other, untimed waiter gets `BrokenBarrierError` too.
#[test]
fn loom_barrier_timeout_breaks_waiters() {
    loom::model(|| {
        let b = Arc::new(Barrier::new(3));
        let b1 = b.clone();
        let timed = thread::spawn(move || b1.wait_timeout(Duration::from_secs(1)));
        let b2 = b.clone();
        let untimed = thread::spawn(move || b2.wait());
        // The timeout is the only way out: expire every deadline.
        let clock = thread::spawn(fire_final);
        assert_eq!(timed.join().unwrap(), Err(BrokenBarrierError));
        assert_eq!(untimed.join().unwrap(), Err(BrokenBarrierError));
        clock.join().unwrap();
        assert!(b.is_broken());
    });
}

/// `reset` while a party waits: the waiter gets `BrokenBarrierError`, and
/// then both pass a fresh round with distinct indices.
#[test]
fn loom_barrier_reset_while_waiting() {
    loom::model(|| {
        let b = Arc::new(Barrier::new(2));
        let b2 = b.clone();
        let waiter = thread::spawn(move || {
            let first = b2.wait();
            (first, b2.wait())
        });
        while b.n_waiting() == 0 {
            thread::yield_now();
        }
        b.reset();
        let mine = b.wait().unwrap();
        let (first, second) = waiter.join().unwrap();
        assert_eq!(first, Err(BrokenBarrierError));
        assert_eq!(mine + second.unwrap(), 1);
        assert!(!b.is_broken());
    });
}

/// Three parties, one round with an action: indices 0, 1, 2, the action
/// run once, by the last to arrive, before anyone leaves.
#[test]
fn loom_barrier_three_parties_indices_distinct() {
    loom::model(|| {
        let actions = Arc::new(AtomicUsize::new(0));
        let a = actions.clone();
        let b = Arc::new(Barrier::builder(3).action(move || _ = a.fetch_add(1, SeqCst)).build());
        let party = |b: Arc<Barrier>, actions: Arc<AtomicUsize>| {
            move || {
                let i = b.wait().unwrap();
                assert_eq!(actions.load(SeqCst), 1, "released before the action, or it ran twice");
                1usize << i
            }
        };
        let others: Vec<_> = (0..2).map(|_| thread::spawn(party(b.clone(), actions.clone()))).collect();
        let mut mask = party(b.clone(), actions.clone())();
        for t in others {
            mask |= t.join().unwrap();
        }
        assert_eq!(mask, 0b111, "indices not distinct");
    });
}

/// Leftover state: a barrier aborted and then reset while idle (the reset
/// started a new generation and cleared `BROKEN`): the next round passes.
#[test]
fn loom_barrier_reused_abort_reset_then_round() {
    loom::model(|| {
        let b = Arc::new(Barrier::new(2));
        b.abort();
        b.reset();
        assert!(!b.is_broken());
        let b2 = b.clone();
        let other = thread::spawn(move || b2.wait());
        let mine = b.wait().unwrap();
        assert_eq!(mine + other.join().unwrap().unwrap(), 1, "indices not distinct");
        assert!(!b.is_broken());
    });
}

/// Leftover state: a barrier after a full round (the generation moved on,
/// `PARKED` cleared by the release), then `reset` while a party waits: the
/// waiter gets `BrokenBarrierError` and the barrier is usable again.
#[test]
fn loom_barrier_reused_round_then_reset_while_waiting() {
    loom::model(|| {
        let b = Arc::new(Barrier::new(2));
        let b2 = b.clone();
        let waiter = thread::spawn(move || {
            let first = b2.wait();
            (first, b2.wait())
        });
        assert!(b.wait().is_ok());
        while b.n_waiting() == 0 {
            thread::yield_now();
        }
        b.reset();
        let (first, second) = waiter.join().unwrap();
        assert!(first.is_ok());
        assert_eq!(second, Err(BrokenBarrierError));
        assert!(!b.is_broken());
        assert_eq!(b.n_waiting(), 0);
    });
}
