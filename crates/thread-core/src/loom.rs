//! Loom models of the parking layer (the model backend, `src/park/model.rs`)
//! and of `Completion`, the start/join protocol of `Thread`.
//!
//! They live in the crate because the parking layer is private to it. Run:
//! `cargo xtask check-models`, or `RUSTFLAGS="--cfg loom"
//! LOOM_MAX_PREEMPTIONS=2 cargo test --release -p thread-core --lib loom_`.
//! Each model checks one invariant with two or
//! three threads, plus a clock thread where a timeout is modelled (the
//! model clock: `park::model::fire`). A lost wake-up shows as a loom
//! deadlock, a wrong outcome as a failed assertion.

use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use loom::thread;
// `std`'s Arc on purpose: a loom Arc still held by a thread that loom finds
// deadlocked aborts the binary during cleanup (tokio-rs/loom#291), hiding
// which model failed.
use crate::clock::Deadline;
use crate::completion::Completion;
use crate::park::{self, model, ParkResult, ParkToken, RequeueOp, UnparkToken};
use std::sync::Arc;
use std::time::Duration;

const DEFAULT_PARK_TOKEN: ParkToken = ParkToken(0);

const KEY_A: usize = 0x1000;
const KEY_B: usize = 0x2000;

/// A timeout that, under the model clock, ends at the next tick.
const SHORT: Duration = Duration::from_millis(1);

/// Runs `f` under `loom::model` and prints how many executions loom
/// explored (shown with `--nocapture`).
fn check(name: &str, f: impl Fn() + Sync + Send + 'static) {
    let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let r = runs.clone();
    loom::model(move || {
        r.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        f();
    });
    println!("{name}: {} executions", runs.load(std::sync::atomic::Ordering::Relaxed));
}

/// Parks on `key` while `flag` is false, with no deadline; loops on
/// spurious returns as a primitive does.
fn park_until_set(key: usize, flag: &AtomicBool) {
    while !flag.load(Ordering::Acquire) {
        // SAFETY: the callbacks only read an atomic; the key is the model's own.
        unsafe {
            park::park(key, || !flag.load(Ordering::Relaxed), || {}, |_, _| {}, DEFAULT_PARK_TOKEN, Deadline::NEVER);
        }
    }
}

/// Parks on `key` once, recording its arrival order (taken under the queue
/// lock, in the validation, right before it is queued); returns its arrival
/// index and the token it was woken with.
fn park_in_order(key: usize, arrived: &AtomicUsize) -> (usize, UnparkToken) {
    let mut me = usize::MAX;
    // SAFETY: the callbacks only touch atomics and a local.
    let r = unsafe {
        park::park(
            key,
            || {
                me = arrived.fetch_add(1, Ordering::Relaxed);
                true
            },
            || {},
            |_, _| {},
            DEFAULT_PARK_TOKEN,
            Deadline::NEVER,
        )
    };
    match r {
        ParkResult::Unparked(token) => (me, token),
        other => panic!("an untimed park that validated must be unparked, got {other:?}"),
    }
}

/// Waits (yielding to the other model threads) until `n` threads arrived.
fn wait_arrived(arrived: &AtomicUsize, n: usize) {
    while arrived.load(Ordering::Relaxed) < n {
        thread::yield_now();
    }
}

/// An unpark that races a park: the validation under the queue lock sees
/// the flag, or the unpark sees the parked thread. Never a sleep for ever.
#[test]
fn loom_park_no_lost_unpark() {
    check("loom_park_no_lost_unpark", || {
        let flag = Arc::new(AtomicBool::new(false));
        let f = flag.clone();
        let waiter = thread::spawn(move || park_until_set(KEY_A, &f));
        flag.store(true, Ordering::Release);
        // SAFETY: the callback neither panics nor parks.
        unsafe {
            park::unpark_one(KEY_A, |_| park::DEFAULT_UNPARK_TOKEN);
        }
        waiter.join().unwrap();
    });
}

/// Threads are unparked oldest first: the k-th unpark wakes the k-th
/// thread to have parked.
#[test]
fn loom_park_fifo_order() {
    check("loom_park_fifo_order", || {
        let arrived = Arc::new(AtomicUsize::new(0));
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let a = arrived.clone();
                thread::spawn(move || {
                    let (me, token) = park_in_order(KEY_A, &a);
                    assert_eq!(token, UnparkToken(me), "woken out of order");
                })
            })
            .collect();
        wait_arrived(&arrived, 2);
        for k in 0..2 {
            // SAFETY: the callback neither panics nor parks.
            let r = unsafe { park::unpark_one(KEY_A, |_| UnparkToken(k)) };
            assert_eq!(r.unparked_threads, 1);
            assert_eq!(r.have_more_threads, k == 0);
        }
        for w in waiters {
            w.join().unwrap();
        }
    });
}

/// A timed park racing an unpark and the clock: exactly one of them wins
/// — the park returns `Unparked` exactly when the unpark reports waking
/// it — and a timed-out thread's `timed_out` runs once, with the right key
/// and `was_last` true exactly when no other thread is queued on the key.
#[test]
fn loom_park_timed_races_unpark() {
    check("loom_park_timed_races_unpark", || {
        let flag = Arc::new(AtomicBool::new(false));
        // Whether the untimed waiter (token 2) is in the queue: set under the
        // queue lock by its validation, cleared under it by the unparker.
        let other_queued = Arc::new(AtomicBool::new(false));

        let (f, q) = (flag.clone(), other_queued.clone());
        let timed = thread::spawn(move || {
            let calls = AtomicUsize::new(0);
            // SAFETY: the callbacks only touch atomics.
            let r = unsafe {
                park::park(
                    KEY_A,
                    || !f.load(Ordering::Relaxed),
                    || {},
                    |key, was_last| {
                        calls.fetch_add(1, Ordering::Relaxed);
                        assert_eq!(key, KEY_A);
                        assert_eq!(was_last, !q.load(Ordering::Relaxed), "wrong was_last_thread");
                    },
                    ParkToken(1),
                    Deadline::after(SHORT),
                )
            };
            assert_eq!(calls.load(Ordering::Relaxed), usize::from(r == ParkResult::TimedOut));
            matches!(r, ParkResult::Unparked(_))
        });

        let (f, q) = (flag.clone(), other_queued.clone());
        let untimed = thread::spawn(move || {
            // SAFETY: the callbacks only touch atomics.
            let r = unsafe {
                park::park(
                    KEY_A,
                    || {
                        let park = !f.load(Ordering::Relaxed);
                        q.store(park, Ordering::Relaxed);
                        park
                    },
                    || {},
                    |_, _| unreachable!("no deadline"),
                    ParkToken(2),
                    Deadline::NEVER,
                )
            };
            matches!(r, ParkResult::Unparked(_))
        });

        let clock = thread::spawn(model::fire);

        flag.store(true, Ordering::Relaxed);
        let woke_timed = AtomicBool::new(false);
        // SAFETY: the filter and callback only touch atomics.
        let r = unsafe {
            park::unpark_filter(
                KEY_A,
                |token| {
                    if token == ParkToken(2) {
                        other_queued.store(false, Ordering::Relaxed);
                    } else {
                        woke_timed.store(true, Ordering::Relaxed);
                    }
                    park::FilterOp::Unpark
                },
                |_| park::DEFAULT_UNPARK_TOKEN,
            )
        };
        let timed_unparked = timed.join().unwrap();
        let untimed_unparked = untimed.join().unwrap();
        clock.join().unwrap();
        assert_eq!(timed_unparked, woke_timed.load(Ordering::Relaxed), "exactly one of unpark and timeout wins");
        assert_eq!(r.unparked_threads, usize::from(timed_unparked) + usize::from(untimed_unparked));
        assert!(!r.have_more_threads);
    });
}

/// `unpark_requeue` wakes the oldest waiter and moves the rest to the
/// target key, where a later unpark finds them; `have_more_threads` is as
/// parking_lot_core reports it.
#[test]
fn loom_park_requeue() {
    check("loom_park_requeue", || {
        let arrived = Arc::new(AtomicUsize::new(0));
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let a = arrived.clone();
                thread::spawn(move || {
                    let (me, token) = park_in_order(KEY_A, &a);
                    assert_eq!(token, UnparkToken(me), "the woken one must be the oldest");
                })
            })
            .collect();
        wait_arrived(&arrived, 2);
        // SAFETY: the callbacks neither panic nor park.
        let r = unsafe {
            park::unpark_requeue(
                KEY_A,
                KEY_B,
                || RequeueOp::UnparkOneRequeueRest,
                |op, r| {
                    assert_eq!(op, RequeueOp::UnparkOneRequeueRest);
                    assert_eq!((r.unparked_threads, r.requeued_threads, r.have_more_threads), (1, 1, false));
                    UnparkToken(0)
                },
            )
        };
        assert_eq!((r.unparked_threads, r.requeued_threads, r.have_more_threads), (1, 1, false));
        // Nothing is left on the source key; the other waiter is on the target.
        // SAFETY: the callbacks neither panic nor park.
        unsafe {
            assert_eq!(park::unpark_one(KEY_A, |_| UnparkToken(9)).unparked_threads, 0);
            let r = park::unpark_one(KEY_B, |_| UnparkToken(1));
            assert_eq!((r.unparked_threads, r.have_more_threads), (1, false));
        }
        for w in waiters {
            w.join().unwrap();
        }
    });
}

/// A waiter that times out after it was requeued is told the key it was
/// parked on at that moment (the target key), as in parking_lot_core.
#[test]
fn loom_park_requeue_then_timeout() {
    check("loom_park_requeue_then_timeout", || {
        let queued = Arc::new(AtomicBool::new(false));
        let moved = Arc::new(AtomicBool::new(false));
        let (q, m) = (queued.clone(), moved.clone());
        let waiter = thread::spawn(move || {
            // SAFETY: the callbacks only touch atomics.
            unsafe {
                park::park(
                    KEY_A,
                    || {
                        q.store(true, Ordering::Relaxed);
                        true
                    },
                    || {},
                    |key, was_last| {
                        let expected = if m.load(Ordering::Relaxed) { KEY_B } else { KEY_A };
                        assert_eq!(key, expected, "timed_out must get the current key");
                        assert!(was_last);
                    },
                    DEFAULT_PARK_TOKEN,
                    Deadline::after(SHORT),
                )
            }
        });
        // The deadline is the only way out: `fire_final` expires it even if
        // the clock runs before the waiter has computed it.
        let clock = thread::spawn(model::fire_final);
        while !queued.load(Ordering::Relaxed) {
            thread::yield_now();
        }
        // SAFETY: the callbacks only touch atomics.
        let r = unsafe {
            park::unpark_requeue(
                KEY_A,
                KEY_B,
                || RequeueOp::RequeueAll,
                |_, r| {
                    if r.requeued_threads == 1 {
                        moved.store(true, Ordering::Relaxed);
                    }
                    park::DEFAULT_UNPARK_TOKEN
                },
            )
        };
        assert!(!r.have_more_threads);
        // Nothing wakes it but its deadline (after the requeue or before).
        assert_eq!(waiter.join().unwrap(), ParkResult::TimedOut);
        clock.join().unwrap();
    });
}

/// The start/join protocol: `complete()` racing two waiters (one parking
/// while the other has already parked); every waiter returns, and sees what
/// the completing thread wrote before completing.
#[test]
fn loom_completion_no_lost_wakeup() {
    check("loom_completion_no_lost_wakeup", || {
        let done = Arc::new(Completion::new());
        let data = Arc::new(AtomicUsize::new(0));
        let (d, x) = (done.clone(), data.clone());
        let finisher = thread::spawn(move || {
            x.store(42, Ordering::Relaxed);
            d.complete();
        });
        let (d, x) = (done.clone(), data.clone());
        let joiner = thread::spawn(move || {
            d.wait();
            assert_eq!(x.load(Ordering::Relaxed), 42);
        });
        done.wait();
        assert!(done.is_complete());
        assert_eq!(data.load(Ordering::Relaxed), 42);
        finisher.join().unwrap();
        joiner.join().unwrap();
    });
}

/// A timed wait racing `complete()` and the clock: `true` means complete
/// (and the data visible); a waiter that timed out, even as the last
/// parked one, leaves the flag so that an untimed waiter is still woken.
#[test]
fn loom_completion_timed_wait() {
    check("loom_completion_timed_wait", || {
        let done = Arc::new(Completion::new());
        let data = Arc::new(AtomicUsize::new(0));
        let (d, x) = (done.clone(), data.clone());
        let timed = thread::spawn(move || {
            if d.wait_until(Deadline::after(SHORT)) {
                assert_eq!(x.load(Ordering::Relaxed), 7);
            }
        });
        let d = done.clone();
        let untimed = thread::spawn(move || d.wait());
        let clock = thread::spawn(model::fire);
        data.store(7, Ordering::Relaxed);
        done.complete();
        timed.join().unwrap();
        untimed.join().unwrap();
        clock.join().unwrap();
    });
}

/// A wait target that knows whether its waiter is still in its wait: the
/// dump may read it only then.
struct Watched {
    waiting: AtomicBool,
}

impl crate::wait::WaitTarget for Watched {
    fn describe(&self) -> crate::dump::Target {
        assert!(self.waiting.load(Ordering::SeqCst), "the dump read a target whose wait was over");
        crate::dump::Target::new(crate::dump::Kind::Event, 0x10, Some("watched"), crate::dump::Holder::Unknown)
    }

    fn label(&self) -> (crate::dump::Kind, Option<&'static str>) {
        (crate::dump::Kind::Event, Some("watched"))
    }
}

/// A dump taken while a thread waits (through a `Waiter`, recorded) and is
/// woken: the dumper sees the wait whole (target, operation, call site) or
/// not at all, never reads the target after the wait is over, and once the
/// waiter has returned its record is gone. Some execution must see it.
#[test]
fn loom_dump_during_wait_and_wake() {
    static SEEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    check("loom_dump_during_wait_and_wake", || {
        let done = Arc::new(Completion::new());
        let target = Arc::new(Watched { waiting: AtomicBool::new(true) });
        let site = std::panic::Location::caller();
        let (d, t) = (done.clone(), target.clone());
        let waiter = thread::spawn(move || {
            d.wait_until_as(Deadline::NEVER, Some(crate::wait::WaitAs::new(&*t, "wait", site)));
            t.waiting.store(false, Ordering::SeqCst);
        });
        let dumper = thread::spawn(move || {
            for seen in crate::wait::record::snapshot(true) {
                let w = seen.wait.expect("a blocked-only snapshot lists waits");
                assert_eq!((w.op, w.site, w.target.name.as_deref()), ("wait", site, Some("watched")));
                SEEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        });
        done.complete();
        waiter.join().unwrap();
        dumper.join().unwrap();
        assert!(crate::wait::record::snapshot(true).is_empty(), "a wait that returned is still recorded");
    });
    assert!(SEEN.load(std::sync::atomic::Ordering::Relaxed) > 0, "no execution saw the waiter blocked");
}
