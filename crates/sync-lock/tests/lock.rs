//! `Lock`: every method and error, and the cases CPython's
//! `Lib/test/lock_tests.py` (`BaseLockTests`, `LockTests`) checks.

mod common;

use common::{bounded, wait_until, Unsync};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use sync_lock::{Lock, ReleaseError};

#[test]
fn new_is_unlocked_and_const() {
    static L: Lock = Lock::new();
    assert!(!L.locked());
    assert!(!Lock::default().locked());
}

#[test]
fn debug_shows_state() {
    let l = Lock::new();
    assert_eq!(format!("{l:?}"), "Lock { locked: false }");
    l.acquire();
    assert_eq!(format!("{l:?}"), "Lock { locked: true }");
    let g = l.try_lock();
    assert!(g.is_none());
    l.release().unwrap();
    let g = l.lock();
    assert_eq!(format!("{g:?}"), "LockGuard { lock: Lock { locked: true } }");
}

#[test]
fn acquire_release() {
    let l = Lock::new();
    l.acquire();
    assert!(l.locked());
    assert_eq!(l.release(), Ok(()));
    assert!(!l.locked());
}

#[test]
fn release_unlocked_is_an_error() {
    let l = Lock::new();
    let e = l.release().unwrap_err();
    assert_eq!(e, ReleaseError::Unlocked);
    assert_eq!(e.to_string(), "release unlocked lock");
    // Nothing changed: the lock still works.
    assert!(l.try_acquire());
    l.release().unwrap();
    assert!(l.release().is_err());
}

#[test]
fn error_is_send_sync_static() {
    fn check<E: std::error::Error + Send + Sync + 'static>(_: E) {}
    check(ReleaseError::Unlocked);
}

#[test]
fn try_acquire_while_held() {
    let l = Lock::new();
    assert!(l.try_acquire());
    assert!(!l.try_acquire());
    assert!(l.locked());
    l.release().unwrap();
}

#[test]
fn try_acquire_contended_from_other_thread() {
    let l = Arc::new(Lock::new());
    l.acquire();
    let l2 = Arc::clone(&l);
    let got = thread::spawn(move || l2.try_acquire()).join().unwrap();
    assert!(!got);
    l.release().unwrap();
}

#[test]
fn acquire_contended_waits_for_release() {
    // lock_tests: N threads block in acquire() until the lock is released.
    let l = Arc::new(Lock::new());
    let done = Arc::new(AtomicUsize::new(0));
    l.acquire();
    let mut hs = Vec::new();
    for _ in 0..5 {
        let (l, done) = (Arc::clone(&l), Arc::clone(&done));
        hs.push(thread::spawn(move || {
            l.acquire();
            l.release().unwrap();
            done.fetch_add(1, Ordering::SeqCst);
        }));
    }
    thread::sleep(Duration::from_millis(50));
    assert_eq!(done.load(Ordering::SeqCst), 0);
    l.release().unwrap();
    bounded(10, move || {
        for h in hs {
            h.join().unwrap();
        }
    });
    assert_eq!(done.load(Ordering::SeqCst), 5);
    assert!(!l.locked());
}

#[test]
fn release_from_a_different_thread() {
    // LockTests.test_different_thread: a Lock may be released by another thread.
    let l = Arc::new(Lock::new());
    l.acquire();
    let l2 = Arc::clone(&l);
    thread::spawn(move || l2.release().unwrap()).join().unwrap();
    assert!(!l.locked());
    assert!(l.try_acquire());
    l.release().unwrap();
}

#[test]
fn reacquire_blocks_until_another_thread_releases() {
    // LockTests.test_reacquire: acquiring twice blocks until someone releases.
    let l = Arc::new(Lock::new());
    let phase = Arc::new(AtomicUsize::new(0));
    let (l2, p2) = (Arc::clone(&l), Arc::clone(&phase));
    let h = thread::spawn(move || {
        l2.acquire();
        p2.store(1, Ordering::SeqCst);
        l2.acquire();
        p2.store(2, Ordering::SeqCst);
        l2.release().unwrap();
    });
    wait_until(|| phase.load(Ordering::SeqCst) == 1);
    thread::sleep(Duration::from_millis(20));
    assert_eq!(phase.load(Ordering::SeqCst), 1);
    l.release().unwrap();
    bounded(10, move || h.join().unwrap());
    assert_eq!(phase.load(Ordering::SeqCst), 2);
    assert!(!l.locked());
}

#[test]
fn racing_releases_exactly_one_wins() {
    for _ in 0..200 {
        let l = Arc::new(Lock::new());
        l.acquire();
        let hs: Vec<_> = (0..2)
            .map(|_| {
                let l = Arc::clone(&l);
                thread::spawn(move || l.release().is_ok())
            })
            .collect();
        let ok = hs.into_iter().map(|h| h.join().unwrap()).filter(|&b| b).count();
        assert_eq!(ok, 1);
        assert!(!l.locked());
    }
}

#[test]
fn acquire_timeout_times_out_within_loose_bounds() {
    let l = Arc::new(Lock::new());
    l.acquire();
    let l2 = Arc::clone(&l);
    let (got, took) = thread::spawn(move || {
        let t0 = Instant::now();
        let got = l2.acquire_timeout(Duration::from_millis(100));
        (got, t0.elapsed())
    })
    .join()
    .unwrap();
    assert!(!got);
    assert!(took >= Duration::from_millis(60), "{took:?}");
    assert!(took <= Duration::from_millis(1000), "{took:?}");
    // LockTests.test_state_after_timeout: still held by us, not by the timed-out thread.
    assert!(l.locked());
    l.release().unwrap();
    assert!(!l.locked());
    assert!(l.try_acquire());
    l.release().unwrap();
}

#[test]
fn acquire_timeout_zero_tries_once() {
    let l = Lock::new();
    assert!(l.acquire_timeout(Duration::ZERO));
    let t0 = Instant::now();
    assert!(!l.acquire_timeout(Duration::ZERO));
    assert!(t0.elapsed() < Duration::from_secs(1));
    l.release().unwrap();
}

#[test]
fn acquire_timeout_succeeds_when_released_in_time() {
    let l = Arc::new(Lock::new());
    l.acquire();
    let l2 = Arc::clone(&l);
    let h = thread::spawn(move || l2.acquire_timeout(Duration::from_secs(20)));
    thread::sleep(Duration::from_millis(30));
    l.release().unwrap();
    assert!(h.join().unwrap());
    assert!(l.locked());
    l.release().unwrap();
}

#[test]
fn acquire_timeout_max_never_overflows() {
    let l = Arc::new(Lock::new());
    assert!(l.acquire_timeout(Duration::MAX));
    let l2 = Arc::clone(&l);
    let h = thread::spawn(move || {
        assert!(l2.acquire_timeout(Duration::MAX));
        l2.release().unwrap();
    });
    thread::sleep(Duration::from_millis(20));
    l.release().unwrap();
    bounded(10, move || h.join().unwrap());
    assert!(l.try_lock_for(Duration::MAX).is_some());
    assert!(l.try_lock_for(Duration::from_secs(u64::MAX)).is_some());
}

#[test]
fn guards() {
    let l = Lock::new();
    {
        let g = l.lock();
        assert!(l.locked());
        assert!(std::ptr::eq(g.lock(), &l));
        assert!(l.try_lock().is_none());
        assert!(l.try_lock_for(Duration::from_millis(10)).is_none());
    }
    assert!(!l.locked());
    let g = l.try_lock().unwrap();
    drop(g);
    let g = l.try_lock_for(Duration::from_millis(10)).unwrap();
    drop(g);
    assert!(!l.locked());
}

#[test]
fn guard_of_a_lock_released_by_another_thread_does_nothing_on_drop() {
    let l = Arc::new(Lock::new());
    let g = l.lock();
    let l2 = Arc::clone(&l);
    thread::spawn(move || l2.release().unwrap()).join().unwrap();
    drop(g);
    assert!(!l.locked());
}

#[test]
fn panic_in_guard_releases_and_lock_stays_usable() {
    let l = Arc::new(Lock::new());
    let l2 = Arc::clone(&l);
    let r = thread::spawn(move || {
        let _g = l2.lock();
        panic!("boom");
    })
    .join();
    assert!(r.is_err());
    assert!(!l.locked());
    let _g = l.lock();
}

fn stress(threads: usize, per_thread: u64, op: impl Fn(&Lock, &Unsync) + Send + Sync + 'static) {
    let l = Arc::new(Lock::new());
    let c = Arc::new(Unsync::new());
    let op = Arc::new(op);
    bounded(120, {
        let (l, c) = (Arc::clone(&l), Arc::clone(&c));
        move || {
            let hs: Vec<_> = (0..threads)
                .map(|_| {
                    let (l, c, op) = (Arc::clone(&l), Arc::clone(&c), Arc::clone(&op));
                    thread::spawn(move || {
                        for _ in 0..per_thread {
                            op(&l, &c);
                        }
                    })
                })
                .collect();
            for h in hs {
                h.join().unwrap();
            }
        }
    });
    assert!(!l.locked());
    assert_eq!(c.get(), threads as u64 * per_thread);
}

#[test]
fn stress_acquire_release_no_lost_update() {
    stress(8, 20_000, |l, c| {
        l.acquire();
        c.bump();
        l.release().unwrap();
    });
}

#[test]
fn stress_guards_no_lost_update() {
    stress(4, 20_000, |l, c| {
        let _g = l.lock();
        c.bump();
    });
}

#[test]
fn stress_mixed_try_and_timeout_no_lost_update() {
    stress(4, 10_000, |l, c| {
        if l.try_acquire() || l.acquire_timeout(Duration::from_micros(50)) {
            c.bump();
            l.release().unwrap();
        } else {
            l.acquire();
            c.bump();
            l.release().unwrap();
        }
    });
}

#[test]
fn no_waiter_starves() {
    // Two threads hammer the lock; a third must still get it within seconds
    // (the fair hand-off), not only when the others stop.
    let l = Arc::new(Lock::new());
    let stop = Arc::new(AtomicBool::new(false));
    let hammers: Vec<_> = (0..2)
        .map(|_| {
            let (l, stop) = (Arc::clone(&l), Arc::clone(&stop));
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let _g = l.lock();
                    std::hint::spin_loop();
                }
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(20));
    let l2 = Arc::clone(&l);
    let got = thread::spawn(move || {
        for _ in 0..100 {
            let _g = l2.lock();
        }
    });
    let t0 = Instant::now();
    while !got.is_finished() && t0.elapsed() < Duration::from_secs(20) {
        thread::sleep(Duration::from_millis(5));
    }
    let finished = got.is_finished();
    stop.store(true, Ordering::Relaxed);
    for h in hammers {
        h.join().unwrap();
    }
    assert!(finished, "a waiter starved");
    got.join().unwrap();
}

#[test]
fn many_timed_waiters_then_release() {
    // Waiters that time out must not strand the ones still waiting (the
    // PARKED bit is only cleared by the last one).
    let l = Arc::new(Lock::new());
    l.acquire();
    let short: Vec<_> = (0..3)
        .map(|_| {
            let l = Arc::clone(&l);
            thread::spawn(move || l.acquire_timeout(Duration::from_millis(20)))
        })
        .collect();
    let long: Vec<_> = (0..3)
        .map(|_| {
            let l = Arc::clone(&l);
            thread::spawn(move || {
                let got = l.acquire_timeout(Duration::from_secs(30));
                if got {
                    l.release().unwrap();
                }
                got
            })
        })
        .collect();
    for h in short {
        assert!(!h.join().unwrap());
    }
    l.release().unwrap();
    bounded(20, move || {
        for h in long {
            assert!(h.join().unwrap());
        }
    });
}
