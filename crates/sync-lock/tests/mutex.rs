//! The `lock_api` integration: `Mutex<T>` on `RawLock`, timed and fair.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use sync_lock::{Mutex, MutexGuard, RawLock};

#[test]
fn mutex_counts_without_lost_updates() {
    let m = Arc::new(Mutex::new(0u64));
    let hs: Vec<_> = (0..4)
        .map(|_| {
            let m = Arc::clone(&m);
            thread::spawn(move || {
                for _ in 0..20_000 {
                    *m.lock() += 1;
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    assert_eq!(*m.lock(), 80_000);
}

#[test]
fn try_lock_for_and_until() {
    let m = Arc::new(Mutex::new(()));
    let g = m.lock();
    let m2 = Arc::clone(&m);
    let (a, b, c, took) = thread::spawn(move || {
        let a = m2.try_lock().is_some();
        let t0 = Instant::now();
        let b = m2.try_lock_for(Duration::from_millis(50)).is_some();
        let took = t0.elapsed();
        let c = m2.try_lock_until(Instant::now() + Duration::from_millis(10)).is_some();
        (a, b, c, took)
    })
    .join()
    .unwrap();
    assert!(!a && !b && !c);
    assert!(took >= Duration::from_millis(30) && took < Duration::from_secs(1), "{took:?}");
    drop(g);
    assert!(m.try_lock_until(Instant::now()).is_some());
    assert!(m.try_lock_for(Duration::MAX).is_some());
    // A deadline ahead: a free mutex is taken at once (the wait's bound is
    // only a fallback, so a lost fast path shows as a failed try).
    assert!(m.try_lock_until(Instant::now() + Duration::from_millis(200)).is_some());
    // Held, then released by its holder while the other thread waits.
    let g = m.lock();
    let m2 = Arc::clone(&m);
    let waiter = thread::spawn(move || m2.try_lock_until(Instant::now() + Duration::from_secs(60)).is_some());
    thread::sleep(Duration::from_millis(20));
    drop(g);
    assert!(waiter.join().unwrap());
}

#[test]
fn unlock_fair_hands_over() {
    let m = Arc::new(Mutex::new(0));
    let g = m.lock();
    let m2 = Arc::clone(&m);
    let h = thread::spawn(move || *m2.lock() += 1);
    thread::sleep(Duration::from_millis(30));
    MutexGuard::unlock_fair(g);
    h.join().unwrap();
    assert_eq!(*m.lock(), 1);
}

#[test]
fn raw_lock_basics() {
    let r = RawLock::default();
    assert!(!r.release());
    assert!(!r.release_fair());
    r.acquire();
    assert!(r.is_locked());
    assert!(!r.try_acquire());
    assert!(r.release_fair());
    assert_eq!(format!("{r:?}"), "RawLock { locked: false }");
}

#[test]
fn panic_does_not_poison() {
    let m = Arc::new(Mutex::new(1));
    let m2 = Arc::clone(&m);
    assert!(thread::spawn(move || {
        let _g = m2.lock();
        panic!("boom");
    })
    .join()
    .is_err());
    assert_eq!(*m.lock(), 1);
}

#[test]
fn try_lock_and_is_locked() {
    let m = Mutex::new(5);
    assert!(!m.is_locked());
    {
        let g = m.try_lock().expect("a free mutex is taken at once");
        assert_eq!(*g, 5);
        assert!(m.is_locked());
        assert!(m.try_lock().is_none());
    }
    assert!(!m.is_locked());
    let g = m.lock();
    assert!(m.is_locked());
    drop(g);
    assert!(!m.is_locked());
}
