//! `Condition`: every method and error, guided by CPython's
//! `Lib/test/lock_tests.py` `ConditionTests`.

// The test helpers of sync-lock (bounded waits), shared rather than copied.
#[path = "../../sync-lock/tests/common/mod.rs"]
mod common;

use common::{bounded, wait_until};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use sync_condition::{Condition, ConditionError};
use sync_lock::{Lock, RLock, ReleaseError};

const LONG: Duration = Duration::from_secs(30);

fn conditions() -> Vec<(&'static str, Arc<Condition>)> {
    vec![
        ("own", Arc::new(Condition::new())),
        ("rlock", Arc::new(Condition::with_rlock(Arc::new(RLock::new())))),
        ("lock", Arc::new(Condition::with_lock(Arc::new(Lock::new())))),
    ]
}

#[test]
fn acquire_release_on_the_underlying_lock() {
    // ConditionTests.test_acquire
    let c = Condition::new();
    c.acquire();
    c.acquire(); // RLock: re-entrant
    assert!(c.try_acquire());
    assert!(c.acquire_timeout(Duration::from_millis(1)));
    for _ in 0..4 {
        c.release().unwrap();
    }
    assert_eq!(c.release(), Err(ReleaseError::NotOwned));

    let lock = Arc::new(Lock::new());
    let c = Condition::with_lock(Arc::clone(&lock));
    c.acquire();
    assert!(lock.locked());
    assert!(!c.try_acquire());
    assert!(!c.acquire_timeout(Duration::from_millis(10)));
    c.release().unwrap();
    assert_eq!(c.release(), Err(ReleaseError::Unlocked));
    assert!(c.try_lock().is_some());
    assert!(c.try_lock_for(Duration::from_millis(1)).is_some());
    assert!(!lock.locked());
}

#[test]
fn unacquired_wait_and_notify_are_errors() {
    // ConditionTests.test_unacquired_wait / test_unacquired_notify
    for (name, c) in conditions() {
        assert_eq!(c.wait(), Err(ConditionError::WaitUnacquired), "{name}");
        assert_eq!(c.wait_timeout(Duration::ZERO), Err(ConditionError::WaitUnacquired), "{name}");
        assert_eq!(c.wait_for(|| true), Err(ConditionError::WaitUnacquired), "{name}");
        assert_eq!(c.wait_for_timeout(|| true, Duration::ZERO), Err(ConditionError::WaitUnacquired), "{name}");
        assert_eq!(c.notify(1), Err(ConditionError::NotifyUnacquired), "{name}");
        assert_eq!(c.notify_one(), Err(ConditionError::NotifyUnacquired), "{name}");
        assert_eq!(c.notify_all(), Err(ConditionError::NotifyUnacquired), "{name}");
    }
    assert_eq!(ConditionError::WaitUnacquired.to_string(), "cannot wait on un-acquired lock");
    assert_eq!(ConditionError::NotifyUnacquired.to_string(), "cannot notify on un-acquired lock");
    fn is_error<E: std::error::Error + Send + Sync + 'static>(_: E) {}
    is_error(ConditionError::WaitUnacquired);
}

#[test]
fn rlock_held_by_another_thread_is_unacquired_here() {
    let c = Arc::new(Condition::new());
    let g = c.lock();
    let c2 = Arc::clone(&c);
    let (w, n) = thread::spawn(move || (c2.wait_timeout(Duration::ZERO), c2.notify(1))).join().unwrap();
    assert_eq!(w, Err(ConditionError::WaitUnacquired));
    assert_eq!(n, Err(ConditionError::NotifyUnacquired));
    drop(g);
}

#[test]
fn plain_lock_held_by_anyone_counts_as_acquired() {
    // Python checks only that a plain Lock is held.
    let lock = Arc::new(Lock::new());
    let c = Arc::new(Condition::with_lock(Arc::clone(&lock)));
    lock.acquire();
    let c2 = Arc::clone(&c);
    thread::spawn(move || c2.notify(1).unwrap()).join().unwrap();
    lock.release().unwrap();
}

/// Starts `n` waiters that each wait once (through the guard) and count
/// themselves woken; returns once all of them are queued.
fn start_waiters(c: &Arc<Condition>, n: usize, woken: &Arc<AtomicUsize>) -> Vec<thread::JoinHandle<()>> {
    let ready = Arc::new(AtomicUsize::new(0));
    let hs = (0..n)
        .map(|_| {
            let (c, woken, ready) = (Arc::clone(c), Arc::clone(woken), Arc::clone(&ready));
            thread::spawn(move || {
                let g = c.lock();
                ready.fetch_add(1, Ordering::SeqCst);
                assert!(g.wait_timeout(LONG), "timed out instead of notified");
                woken.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    // A waiter increments `ready` while holding the lock and is queued
    // before it lets the lock go: once we hold the lock and see them all,
    // they all wait.
    wait_until(|| {
        let _g = c.lock();
        ready.load(Ordering::SeqCst) == n
    });
    hs
}

fn check_notify(c: &Arc<Condition>) {
    // ConditionTests._check_notify: notify(1), notify(3), notify_all.
    let woken = Arc::new(AtomicUsize::new(0));
    let hs = start_waiters(c, 5, &woken);
    thread::sleep(Duration::from_millis(10));
    assert_eq!(woken.load(Ordering::SeqCst), 0);
    c.lock().notify(1);
    wait_until(|| woken.load(Ordering::SeqCst) >= 1);
    thread::sleep(Duration::from_millis(30));
    assert_eq!(woken.load(Ordering::SeqCst), 1);
    c.lock().notify(3);
    wait_until(|| woken.load(Ordering::SeqCst) >= 4);
    thread::sleep(Duration::from_millis(30));
    assert_eq!(woken.load(Ordering::SeqCst), 4);
    c.lock().notify_all();
    wait_until(|| woken.load(Ordering::SeqCst) >= 5);
    bounded(10, move || {
        for h in hs {
            h.join().unwrap();
        }
    });
    // A second round on the same condition.
    let hs = start_waiters(c, 3, &woken);
    c.acquire();
    c.notify_all().unwrap();
    c.release().unwrap();
    bounded(10, move || {
        for h in hs {
            h.join().unwrap();
        }
    });
    assert_eq!(woken.load(Ordering::SeqCst), 8);
}

#[test]
fn notify_one_wakes_exactly_one_waiter_at_a_time() {
    for (name, c) in conditions() {
        let woken = Arc::new(AtomicUsize::new(0));
        let hs = start_waiters(&c, 3, &woken);
        // Through the guard.
        c.lock().notify_one();
        wait_until(|| woken.load(Ordering::SeqCst) >= 1);
        thread::sleep(Duration::from_millis(30));
        assert_eq!(woken.load(Ordering::SeqCst), 1, "{name}");
        // Python-style, on the condition.
        c.acquire();
        c.notify_one().unwrap();
        c.release().unwrap();
        wait_until(|| woken.load(Ordering::SeqCst) >= 2);
        thread::sleep(Duration::from_millis(30));
        assert_eq!(woken.load(Ordering::SeqCst), 2, "{name}");
        c.lock().notify_one();
        bounded(10, move || {
            for h in hs {
                h.join().unwrap();
            }
        });
        assert_eq!(woken.load(Ordering::SeqCst), 3, "{name}");
        // Nobody waits: nothing happens, and nothing is kept for later.
        c.lock().notify_one();
        let g = c.lock();
        assert!(!g.wait_timeout(Duration::from_millis(20)), "{name}");
    }
}

#[test]
fn notify_counts() {
    for (_, c) in conditions() {
        check_notify(&c);
    }
}

#[test]
fn notify_more_than_waiting_and_zero() {
    let c = Arc::new(Condition::new());
    let woken = Arc::new(AtomicUsize::new(0));
    let hs = start_waiters(&c, 2, &woken);
    c.lock().notify(0);
    thread::sleep(Duration::from_millis(20));
    assert_eq!(woken.load(Ordering::SeqCst), 0);
    c.lock().notify(10);
    bounded(10, move || {
        for h in hs {
            h.join().unwrap();
        }
    });
    assert_eq!(woken.load(Ordering::SeqCst), 2);
    c.lock().notify(1); // nobody waits: nothing happens
    c.lock().notify_all();
}

#[test]
fn waiters_are_woken_in_fifo_order() {
    let c = Arc::new(Condition::new());
    let order = Arc::new(Mutex::new(Vec::new()));
    let mut hs = Vec::new();
    for i in 0..4 {
        let (c2, order2) = (Arc::clone(&c), Arc::clone(&order));
        let queued = Arc::new(AtomicBool::new(false));
        let q2 = Arc::clone(&queued);
        hs.push(thread::spawn(move || {
            let g = c2.lock();
            q2.store(true, Ordering::SeqCst);
            assert!(g.wait_timeout(LONG));
            order2.lock().unwrap().push(i);
        }));
        // Wait until waiter i is queued before starting i + 1.
        wait_until(|| {
            let _g = c.lock();
            queued.load(Ordering::SeqCst)
        });
    }
    for n in 1..=4 {
        c.lock().notify(1);
        wait_until(|| order.lock().unwrap().len() == n);
    }
    for h in hs {
        h.join().unwrap();
    }
    assert_eq!(*order.lock().unwrap(), [0, 1, 2, 3]);
}

#[test]
fn wait_timeout_times_out_and_holds_the_lock_again() {
    // ConditionTests.test_timeout
    for (name, c) in conditions() {
        let g = c.lock();
        let t0 = Instant::now();
        assert!(!g.wait_timeout(Duration::from_millis(100)), "{name}");
        let took = t0.elapsed();
        assert!(took >= Duration::from_millis(60) && took <= Duration::from_secs(1), "{name}: {took:?}");
        // Still ours: another thread cannot take it.
        let c2 = Arc::clone(&c);
        assert!(!thread::spawn(move || c2.try_acquire()).join().unwrap(), "{name}");
        assert!(!g.wait_timeout(Duration::ZERO), "{name}");
        drop(g);
        c.acquire();
        assert_eq!(c.wait_timeout(Duration::from_millis(20)), Ok(false), "{name}");
        c.release().unwrap();
    }
}

#[test]
fn wait_timeout_max_and_huge_do_not_overflow() {
    let c = Arc::new(Condition::new());
    let c2 = Arc::clone(&c);
    let notified = Arc::new(AtomicBool::new(false));
    let n2 = Arc::clone(&notified);
    let h = thread::spawn(move || {
        let g = c2.lock();
        n2.store(true, Ordering::SeqCst);
        g.wait_timeout(Duration::MAX)
    });
    wait_until(|| {
        let _g = c.lock();
        notified.load(Ordering::SeqCst)
    });
    c.lock().notify(1);
    let mut got = None;
    bounded(10, {
        let (tx, rx) = std::sync::mpsc::channel();
        got.replace(rx);
        move || tx.send(h.join().unwrap()).unwrap()
    });
    assert!(got.unwrap().recv().unwrap());
}

#[test]
fn wait_releases_an_rlock_fully_and_restores_its_depth() {
    let r = Arc::new(RLock::new());
    let c = Arc::new(Condition::with_rlock(Arc::clone(&r)));
    r.acquire();
    r.acquire();
    let g = c.lock(); // depth 3
    let (c2, r2) = (Arc::clone(&c), Arc::clone(&r));
    let other = thread::spawn(move || {
        // Possible only if the waiter released all three levels.
        assert!(r2.acquire_timeout(LONG));
        c2.notify(1).unwrap();
        r2.release().unwrap();
    });
    assert!(g.wait_timeout(LONG));
    assert!(r.is_owned());
    assert!(format!("{r:?}").contains("count: 3"), "{r:?}");
    drop(g);
    r.release().unwrap();
    r.release().unwrap();
    assert_eq!(r.release(), Err(ReleaseError::NotOwned));
    other.join().unwrap();
}

#[test]
fn python_style_wait_and_notify() {
    let c = Arc::new(Condition::new());
    let flag = Arc::new(AtomicBool::new(false));
    let (c2, f2) = (Arc::clone(&c), Arc::clone(&flag));
    let h = thread::spawn(move || {
        c2.acquire();
        let r = c2.wait_for(|| f2.load(Ordering::SeqCst));
        c2.release().unwrap();
        r
    });
    thread::sleep(Duration::from_millis(20));
    c.acquire();
    flag.store(true, Ordering::SeqCst);
    c.notify(1).unwrap();
    c.release().unwrap();
    assert_eq!(h.join().unwrap(), Ok(true));

    let (c2, f2) = (Arc::clone(&c), Arc::new(AtomicBool::new(false)));
    let h = thread::spawn(move || {
        c2.acquire();
        let r = c2.wait();
        c2.release().unwrap();
        (r, f2)
    });
    wait_until(|| {
        let _g = c.lock();
        format!("{c:?}").contains("waiters: 1 }")
    });
    c.acquire();
    c.notify_all().unwrap();
    c.release().unwrap();
    assert_eq!(h.join().unwrap().0, Ok(true));
}

#[test]
fn wait_for_returns_when_the_predicate_holds() {
    // ConditionTests.test_waitfor
    let c = Arc::new(Condition::new());
    let state = Arc::new(AtomicUsize::new(0));
    let (c2, s2) = (Arc::clone(&c), Arc::clone(&state));
    let h = thread::spawn(move || {
        let g = c2.lock();
        let mut calls = 0;
        g.wait_for(|| {
            calls += 1;
            s2.load(Ordering::SeqCst) == 4
        });
        assert_eq!(s2.load(Ordering::SeqCst), 4);
        calls
    });
    for _ in 0..4 {
        thread::sleep(Duration::from_millis(10));
        let g = c.lock();
        state.fetch_add(1, Ordering::SeqCst);
        g.notify(1);
    }
    let calls = h.join().unwrap();
    assert!((2..=5).contains(&calls), "{calls}");
}

#[test]
fn wait_for_timeout_returns_the_last_value() {
    // ConditionTests.test_waitfor_timeout
    let c = Condition::new();
    let g = c.lock();
    let t0 = Instant::now();
    let mut calls = 0;
    assert!(!g.wait_for_timeout(
        || {
            calls += 1;
            false
        },
        Duration::from_millis(100)
    ));
    let took = t0.elapsed();
    assert!(took >= Duration::from_millis(60) && took <= Duration::from_secs(1), "{took:?}");
    assert!(calls >= 2, "{calls}");
    assert!(g.wait_for_timeout(|| true, Duration::ZERO));
    assert!(!g.wait_for_timeout(|| false, Duration::ZERO));
}

#[test]
fn wait_for_timeout_sees_a_late_true() {
    let c = Arc::new(Condition::new());
    let flag = Arc::new(AtomicBool::new(false));
    let (c2, f2) = (Arc::clone(&c), Arc::clone(&flag));
    let h = thread::spawn(move || c2.lock().wait_for_timeout(|| f2.load(Ordering::SeqCst), LONG));
    thread::sleep(Duration::from_millis(20));
    {
        let g = c.lock();
        flag.store(true, Ordering::SeqCst);
        g.notify_all();
    }
    assert!(h.join().unwrap());
}

#[test]
fn two_conditions_share_one_lock() {
    // A bounded buffer: not_empty / not_full on one lock.
    let lock = Arc::new(Lock::new());
    let not_empty = Arc::new(Condition::with_lock(Arc::clone(&lock)));
    let not_full = Arc::new(Condition::with_lock(Arc::clone(&lock)));
    let buf = Arc::new(Mutex::new(std::collections::VecDeque::new()));
    const N: usize = 5_000;
    let (ne, nf, b) = (Arc::clone(&not_empty), Arc::clone(&not_full), Arc::clone(&buf));
    let producer = thread::spawn(move || {
        for i in 0..N {
            let g = nf.lock();
            assert!(g.wait_for_timeout(|| b.lock().unwrap().len() < 4, LONG));
            b.lock().unwrap().push_back(i);
            ne.notify(1).unwrap();
        }
    });
    let (ne, nf, b) = (Arc::clone(&not_empty), Arc::clone(&not_full), Arc::clone(&buf));
    let consumer = thread::spawn(move || {
        let mut got = Vec::with_capacity(N);
        while got.len() < N {
            let g = ne.lock();
            assert!(g.wait_for_timeout(|| !b.lock().unwrap().is_empty(), LONG));
            got.push(b.lock().unwrap().pop_front().unwrap());
            nf.notify(1).unwrap();
        }
        got
    });
    bounded(120, move || {
        producer.join().unwrap();
        let got = consumer.join().unwrap();
        assert_eq!(got, (0..N).collect::<Vec<_>>());
    });
    assert!(!lock.locked());
}

#[test]
fn stress_notify_one_no_lost_wakeup() {
    // Several consumers, one producer, notify(1) per item: every item is
    // consumed (a lost notify would leave a consumer waiting forever).
    let c = Arc::new(Condition::new());
    let items = Arc::new(AtomicUsize::new(0));
    let consumed = Arc::new(AtomicUsize::new(0));
    const PER: usize = 2_000;
    const CONSUMERS: usize = 3;
    let hs: Vec<_> = (0..CONSUMERS)
        .map(|_| {
            let (c, items, consumed) = (Arc::clone(&c), Arc::clone(&items), Arc::clone(&consumed));
            thread::spawn(move || {
                for _ in 0..PER {
                    let g = c.lock();
                    assert!(g.wait_for_timeout(|| items.load(Ordering::SeqCst) > 0, LONG));
                    items.fetch_sub(1, Ordering::SeqCst);
                    consumed.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for _ in 0..PER * CONSUMERS {
        let g = c.lock();
        items.fetch_add(1, Ordering::SeqCst);
        g.notify(1);
    }
    bounded(120, move || {
        for h in hs {
            h.join().unwrap();
        }
    });
    assert_eq!(consumed.load(Ordering::SeqCst), PER * CONSUMERS);
}

#[test]
fn ping_pong_hands_the_turn_back_and_forth_without_a_lost_wakeup() {
    // Python's idiom, `while turn != me: cond.wait()`, two threads, plain
    // waits with no timeout: each notify comes within microseconds of the
    // wait, while the waiter may still be spinning before its sleep, so an
    // unpark that came before the sleep must not be lost. Also with
    // notify_all (the requeue path) on every other round.
    const ROUNDS: usize = 10_000;
    for (name, c) in conditions() {
        let turn = Arc::new(AtomicUsize::new(0));
        let play = |me: usize| {
            let (c, turn) = (Arc::clone(&c), Arc::clone(&turn));
            move || {
                let g = c.lock();
                for round in 0..ROUNDS {
                    while turn.load(Ordering::Relaxed) != me {
                        g.wait();
                    }
                    turn.store(1 - me, Ordering::Relaxed);
                    if round % 2 == 0 {
                        g.notify(1);
                    } else {
                        g.notify_all();
                    }
                }
            }
        };
        let other = thread::spawn(play(1));
        bounded(120, play(0));
        bounded(120, move || other.join().unwrap());
        assert!(c.try_acquire(), "{name}: the lock is free at the end");
        c.release().unwrap();
    }
}

#[test]
fn notify_all_races_timeouts_without_losing_anyone() {
    // Waiters with short timeouts and notify_all (requeue onto the lock):
    // every waiter returns, with the lock, and those that report "notified"
    // were woken by a notify_all.
    for _ in 0..20 {
        let c = Arc::new(Condition::new());
        let hs: Vec<_> = (0..4)
            .map(|i| {
                let c = Arc::clone(&c);
                thread::spawn(move || {
                    let g = c.lock();
                    let notified = g.wait_timeout(Duration::from_millis(1 + i));
                    assert!(c.is_owned_by_me());
                    notified
                })
            })
            .collect();
        thread::sleep(Duration::from_millis(2));
        {
            let g = c.lock();
            g.notify_all();
            thread::sleep(Duration::from_millis(3)); // hold it while deadlines pass
        }
        bounded(20, move || {
            for h in hs {
                h.join().unwrap();
            }
        });
    }
}

trait OwnedByMe {
    fn is_owned_by_me(&self) -> bool;
}

impl OwnedByMe for Condition {
    fn is_owned_by_me(&self) -> bool {
        // notify succeeds only for the owner of the Condition's RLock.
        self.notify(0).is_ok()
    }
}

#[test]
fn panic_in_guard_releases_and_condition_stays_usable() {
    let c = Arc::new(Condition::new());
    let c2 = Arc::clone(&c);
    assert!(thread::spawn(move || {
        let _g = c2.lock();
        panic!("boom");
    })
    .join()
    .is_err());
    let g = c.lock();
    assert!(!g.wait_timeout(Duration::from_millis(1)));
}

#[test]
fn debug_and_default() {
    let c = Condition::default();
    assert_eq!(format!("{c:?}"), "Condition { lock: RLock { locked: false, count: 0, owned: false }, waiters: 0 }");
    let g = c.lock();
    assert!(format!("{g:?}").starts_with("ConditionGuard { condition: Condition { lock: RLock { locked: true"));
    assert!(std::ptr::eq(g.condition(), &c));
    let c = Condition::with_lock(Arc::new(Lock::new()));
    assert_eq!(format!("{c:?}"), "Condition { lock: Lock { locked: false }, waiters: 0 }");
}

#[test]
#[should_panic(expected = "cannot wait on un-acquired lock")]
fn guard_wait_after_releasing_by_hand_panics() {
    let c = Condition::new();
    let g = c.lock();
    c.release().unwrap();
    let _ = g.wait_timeout(Duration::from_millis(1)); // panics: returns nothing
}

#[test]
fn notified_waiter_whose_timeout_passes_on_the_lock_reports_notified() {
    // notify_all moves the waiter onto the lock's queue; its deadline
    // passes there while the notifier still holds the lock. It was
    // notified, so it returns true (as CPython's does), and it is no longer
    // counted as waiting.
    let c = Arc::new(Condition::new());
    let (tx, rx) = std::sync::mpsc::channel();
    let c2 = Arc::clone(&c);
    let waiter = thread::spawn(move || {
        let g = c2.lock();
        tx.send(()).unwrap();
        g.wait_timeout(Duration::from_millis(300))
    });
    rx.recv_timeout(LONG).unwrap();
    {
        // Ours only once the waiter is queued and has let the lock go.
        let g = c.lock();
        g.notify_all();
        thread::sleep(Duration::from_secs(1)); // past the waiter's deadline
    }
    bounded(30, move || assert!(waiter.join().unwrap(), "a notified waiter reported a timeout"));
    assert!(format!("{c:?}").contains("waiters: 0"), "{c:?}");
}
