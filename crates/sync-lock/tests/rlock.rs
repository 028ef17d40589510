//! `RLock`: every method and error, and the cases CPython's
//! `Lib/test/lock_tests.py` (`RLockTests`) checks.

mod common;

use common::{bounded, Unsync};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use sync_lock::{RLock, ReleaseError};

#[test]
fn new_default_const() {
    static R: RLock = RLock::new();
    assert!(!R.locked());
    assert!(!RLock::default().locked());
}

#[test]
fn debug_shows_state() {
    let r = RLock::new();
    assert_eq!(format!("{r:?}"), "RLock { locked: false, count: 0, owned: false }");
    r.acquire();
    r.acquire();
    assert_eq!(format!("{r:?}"), "RLock { locked: true, count: 2, owned: true }");
    let g = r.lock();
    assert_eq!(format!("{g:?}"), "RLockGuard { lock: RLock { locked: true, count: 3, owned: true } }");
    drop(g);
    r.release().unwrap();
    r.release().unwrap();
}

#[test]
fn reacquire_counts() {
    // RLockTests.test_reacquire
    let r = RLock::new();
    for _ in 0..10 {
        r.acquire();
    }
    for i in 0..10 {
        assert!(r.locked());
        assert!(r.is_owned());
        r.release().unwrap_or_else(|e| panic!("release {i}: {e}"));
    }
    assert!(!r.locked());
    assert!(!r.is_owned());
}

#[test]
fn release_unacquired_is_an_error() {
    // RLockTests.test_release_unacquired
    let r = RLock::new();
    let e = r.release().unwrap_err();
    assert_eq!(e, ReleaseError::NotOwned);
    assert_eq!(e.to_string(), "cannot release un-acquired lock");
    r.acquire();
    r.acquire();
    r.release().unwrap();
    r.acquire();
    r.release().unwrap();
    r.release().unwrap();
    assert!(r.release().is_err());
}

#[test]
fn release_by_a_different_thread_is_an_error() {
    // RLockTests.test_different_thread
    let r = Arc::new(RLock::new());
    r.acquire();
    let r2 = Arc::clone(&r);
    let e = thread::spawn(move || {
        assert!(!r2.is_owned());
        r2.release()
    })
    .join()
    .unwrap();
    assert_eq!(e, Err(ReleaseError::NotOwned));
    // Nothing changed.
    assert!(r.is_owned());
    r.release().unwrap();
    assert!(!r.locked());
}

#[test]
fn is_owned() {
    // RLockTests.test__is_owned
    let r = Arc::new(RLock::new());
    assert!(!r.is_owned());
    r.acquire();
    assert!(r.is_owned());
    r.acquire();
    assert!(r.is_owned());
    let r2 = Arc::clone(&r);
    let (owned, got) = thread::spawn(move || (r2.is_owned(), r2.try_acquire())).join().unwrap();
    assert!(!owned);
    assert!(!got);
    r.release().unwrap();
    assert!(r.is_owned());
    r.release().unwrap();
    assert!(!r.is_owned());
}

#[test]
fn try_acquire_and_timeout() {
    let r = Arc::new(RLock::new());
    assert!(r.try_acquire());
    assert!(r.acquire_timeout(Duration::ZERO)); // re-entry never waits
    assert!(r.acquire_timeout(Duration::MAX));
    let r2 = Arc::clone(&r);
    let (got0, got, took) = thread::spawn(move || {
        let got0 = r2.acquire_timeout(Duration::ZERO);
        let t0 = Instant::now();
        let got = r2.acquire_timeout(Duration::from_millis(100));
        (got0, got, t0.elapsed())
    })
    .join()
    .unwrap();
    assert!(!got0 && !got);
    assert!(took >= Duration::from_millis(60) && took <= Duration::from_secs(1), "{took:?}");
    for _ in 0..3 {
        r.release().unwrap();
    }
    assert!(!r.locked());
}

#[test]
fn other_thread_gets_it_after_full_release() {
    let r = Arc::new(RLock::new());
    r.acquire();
    r.acquire();
    let r2 = Arc::clone(&r);
    let h = thread::spawn(move || {
        assert!(r2.acquire_timeout(Duration::from_secs(30)));
        assert!(r2.is_owned());
        r2.release().unwrap();
    });
    thread::sleep(Duration::from_millis(20));
    r.release().unwrap();
    thread::sleep(Duration::from_millis(20));
    assert!(!h.is_finished(), "acquired while still held once");
    r.release().unwrap();
    bounded(10, move || h.join().unwrap());
}

#[test]
fn guards() {
    let r = RLock::new();
    {
        let _a = r.lock();
        let b = r.try_lock().unwrap();
        assert!(std::ptr::eq(b.lock(), &r));
        let _c = r.try_lock_for(Duration::from_millis(1)).unwrap();
        assert!(r.is_owned());
    }
    assert!(!r.locked());
}

#[test]
fn panic_in_guard_releases_and_lock_stays_usable() {
    let r = Arc::new(RLock::new());
    let r2 = Arc::clone(&r);
    let res = thread::spawn(move || {
        let _g = r2.lock();
        let _g2 = r2.lock();
        panic!("boom");
    })
    .join();
    assert!(res.is_err());
    assert!(!r.locked());
    let _g = r.lock();
    assert!(r.is_owned());
}

#[test]
fn foreign_threads_have_distinct_owners() {
    // Threads not created by this library (std::thread) must be told apart.
    let r = Arc::new(RLock::new());
    let inside = Arc::new(AtomicUsize::new(0));
    let hs: Vec<_> = (0..4)
        .map(|_| {
            let (r, inside) = (Arc::clone(&r), Arc::clone(&inside));
            thread::spawn(move || {
                for _ in 0..2000 {
                    let _a = r.lock();
                    let _b = r.lock();
                    assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0);
                    inside.fetch_sub(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    bounded(60, move || {
        for h in hs {
            h.join().unwrap();
        }
    });
}

#[test]
fn stress_nested_no_lost_update() {
    let r = Arc::new(RLock::new());
    let c = Arc::new(Unsync::new());
    let (r2, c2) = (Arc::clone(&r), Arc::clone(&c));
    bounded(120, move || {
        let hs: Vec<_> = (0..4)
            .map(|_| {
                let (r, c) = (Arc::clone(&r2), Arc::clone(&c2));
                thread::spawn(move || {
                    for i in 0..10_000u32 {
                        r.acquire();
                        if i % 2 == 0 {
                            r.acquire();
                        }
                        c.bump();
                        if i % 2 == 0 {
                            r.release().unwrap();
                        }
                        r.release().unwrap();
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
    });
    assert!(!r.locked());
    assert_eq!(c.get(), 40_000);
}
