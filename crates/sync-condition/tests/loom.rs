//! Loom models of `Condition`: its atomics, the lock's, and the parking
//! protocol (park / unpark / requeue, model clock) under every interleaving.
//!
//! Run: `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release
//! -p sync-condition --test loom`.
#![cfg(loom)]

use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
// std's Arc, not loom's: a loom Arc held by a thread loom finds deadlocked aborts
// the binary (tokio-rs/loom#291); a planted lost wake-up must fail cleanly.
use loom::thread;
use std::sync::Arc;
use std::time::Duration;
use sync_condition::Condition;
use sync_lock::Lock;
use thread_core::__private::model::fire_final;

const T: Duration = Duration::from_secs(1);

/// A waiter checking a flag under the lock and a notifier setting it: the
/// waiter always wakes (loom reports a deadlock otherwise).
#[test]
fn loom_condition_no_lost_notify() {
    loom::model(|| {
        let c = Arc::new(Condition::new());
        let flag = Arc::new(AtomicBool::new(false));
        let (c2, f2) = (Arc::clone(&c), Arc::clone(&flag));
        let waiter = thread::spawn(move || {
            let g = c2.lock();
            while !f2.load(Ordering::Relaxed) {
                g.wait();
            }
        });
        {
            let g = c.lock();
            flag.store(true, Ordering::Relaxed);
            g.notify(1);
        }
        waiter.join().unwrap();
    });
}

/// Two waiters, `notify(1)`: exactly one of those already waiting is
/// notified. A waiter counts itself in `ready` while holding the lock and is
/// queued before it lets go, so the notifier, holding the lock, knows how
/// many wait; the clock expires every other wait only after the notify.
#[test]
fn loom_condition_notify_one_wakes_exactly_one() {
    loom::model(|| {
        let c = Arc::new(Condition::new());
        let ready = Arc::new(AtomicUsize::new(0));
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let (c, ready) = (Arc::clone(&c), Arc::clone(&ready));
                thread::spawn(move || {
                    let g = c.lock();
                    ready.fetch_add(1, Ordering::Relaxed);
                    g.wait_timeout(T)
                })
            })
            .collect();
        let waiting = {
            let g = c.lock();
            g.notify(1);
            ready.load(Ordering::Relaxed)
        };
        // Main plays the clock: every wait not yet notified now times out.
        fire_final();
        let notified = waiters.into_iter().map(|w| w.join().unwrap()).filter(|&n| n).count();
        assert_eq!(notified, waiting.min(1));
    });
}

/// `wait_timeout` racing `notify` and the clock: a waiter that reports
/// "notified" was notified; it holds the lock again either way; and the
/// condition's waiter bit is clear once nobody waits (the timed-out last
/// waiter clears it).
#[test]
fn loom_condition_wait_timeout_races_notify() {
    loom::model(|| {
        let c = Arc::new(Condition::new());
        let notified = Arc::new(AtomicBool::new(false));
        let (c2, n2) = (Arc::clone(&c), Arc::clone(&notified));
        let waiter = thread::spawn(move || {
            let g = c2.lock();
            let woke = g.wait_timeout(T);
            assert!(c2.notify(0).is_ok(), "the lock is held again");
            if woke {
                assert!(n2.load(Ordering::Relaxed), "woken without a notify");
            }
        });
        let clock = thread::spawn(fire_final);
        {
            let g = c.lock();
            notified.store(true, Ordering::Relaxed);
            g.notify(1);
        }
        waiter.join().unwrap();
        clock.join().unwrap();
        let dbg = format!("{:?}", *c);
        assert!(dbg.ends_with(" waiters: 0 }"), "{dbg}");
    });
}

/// Two conditions on one plain lock, one notified with `notify_all` (a
/// requeue onto the lock), the other with `notify(1)`: both waiters wake,
/// each on its own condition.
#[test]
fn loom_condition_two_conditions_one_lock() {
    loom::model(|| {
        let lock = Arc::new(Lock::new());
        let a = Arc::new(Condition::with_lock(Arc::clone(&lock)));
        let b = Arc::new(Condition::with_lock(Arc::clone(&lock)));
        let fa = Arc::new(AtomicBool::new(false));
        let fb = Arc::new(AtomicBool::new(false));
        let spawn_waiter = |c: &Arc<Condition>, f: &Arc<AtomicBool>| {
            let (c, f) = (Arc::clone(c), Arc::clone(f));
            thread::spawn(move || {
                let g = c.lock();
                while !f.load(Ordering::Relaxed) {
                    g.wait();
                }
            })
        };
        let wa = spawn_waiter(&a, &fa);
        let wb = spawn_waiter(&b, &fb);
        {
            let g = a.lock();
            fa.store(true, Ordering::Relaxed);
            g.notify_all();
        }
        {
            let g = b.lock();
            fb.store(true, Ordering::Relaxed);
            g.notify(1);
        }
        wa.join().unwrap();
        wb.join().unwrap();
        assert!(!lock.locked());
    });
}

/// `notify_all` with two waiters: they are moved onto the lock's queue
/// (or one is woken to take a free lock) and both wake as the lock is
/// released; loom reports a deadlock if one is stranded.
#[test]
fn loom_condition_notify_all_requeue_wakes_all() {
    loom::model(|| {
        let c = Arc::new(Condition::new());
        let flag = Arc::new(AtomicBool::new(false));
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let (c, flag) = (Arc::clone(&c), Arc::clone(&flag));
                thread::spawn(move || {
                    let g = c.lock();
                    while !flag.load(Ordering::Relaxed) {
                        g.wait();
                    }
                })
            })
            .collect();
        {
            let g = c.lock();
            flag.store(true, Ordering::Relaxed);
            g.notify_all();
        }
        for w in waiters {
            w.join().unwrap();
        }
    });
}

/// Leftover state: a condition (and its lock) after a `notify_all` that
/// released a waiter (requeued onto the lock, or woken to take it): the same
/// waiter waits again and a `notify(1)` still wakes it.
#[test]
fn loom_condition_reused_after_notify_all_then_notify() {
    loom::model(|| {
        let c = Arc::new(Condition::new());
        let round = Arc::new(AtomicUsize::new(0));
        let (c2, r2) = (Arc::clone(&c), Arc::clone(&round));
        let waiter = thread::spawn(move || {
            let g = c2.lock();
            for want in 1..=2 {
                while r2.load(Ordering::Relaxed) < want {
                    g.wait();
                }
            }
        });
        {
            let g = c.lock();
            round.store(1, Ordering::Relaxed);
            g.notify_all();
        }
        {
            let g = c.lock();
            round.store(2, Ordering::Relaxed);
            g.notify(1);
        }
        waiter.join().unwrap();
    });
}

/// A plain lock released by another thread (Python allows it) while
/// `notify_all` runs: the requeue may find the lock free, wake one waiter
/// to take it and queue the other on the lock, which it must then mark as
/// having waiters, or the first waiter's release wakes nobody (a loom
/// deadlock). Both waiters return.
#[test]
fn loom_condition_notify_all_while_another_thread_releases_the_lock() {
    loom::model(|| {
        let lock = Arc::new(Lock::new());
        let c = Arc::new(Condition::with_lock(Arc::clone(&lock)));
        let flag = Arc::new(AtomicBool::new(false));
        let ready = Arc::new(AtomicUsize::new(0));
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let (c, flag, ready) = (Arc::clone(&c), Arc::clone(&flag), Arc::clone(&ready));
                thread::spawn(move || {
                    let g = c.lock();
                    ready.fetch_add(1, Ordering::Relaxed);
                    while !flag.load(Ordering::Relaxed) {
                        g.wait();
                    }
                })
            })
            .collect();
        // Holding the lock with both counted: both are queued and waiting.
        loop {
            lock.acquire();
            if ready.load(Ordering::Relaxed) == 2 {
                break;
            }
            lock.release().unwrap();
            thread::yield_now();
        }
        flag.store(true, Ordering::Relaxed);
        let l2 = Arc::clone(&lock);
        let releaser = thread::spawn(move || l2.release().unwrap());
        if c.notify_all().is_err() {
            // The release came first: notify as an owner.
            lock.acquire();
            c.notify_all().unwrap();
            lock.release().unwrap();
        }
        releaser.join().unwrap();
        for w in waiters {
            w.join().unwrap();
        }
    });
}
