//! Semaphore and BoundedSemaphore: every method and error, CPython's
//! `SemaphoreTests` / `BoundedSemaphoreTests` (Lib/test/lock_tests.py) and
//! stress tests. Every blocking call is bounded, so a lost wake-up fails
//! instead of hanging.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};
use sync_semaphore::{BoundedSemaphore, Semaphore, SemaphoreReleaseError};

/// Long enough that a wake-up that is coming always wins.
const LONG: Duration = Duration::from_secs(20);

/// Starts `n` threads of `f(i)`; `finish` collects their results, failing
/// (instead of hanging) if they do not all end within [`LONG`].
struct Bunch<T> {
    rx: mpsc::Receiver<T>,
    n: usize,
}

impl<T: Send + 'static> Bunch<T> {
    fn start(n: usize, f: impl Fn(usize) -> T + Send + Sync + 'static) -> Bunch<T> {
        let f = Arc::new(f);
        let (tx, rx) = mpsc::channel();
        for i in 0..n {
            let (f, tx) = (f.clone(), tx.clone());
            thread::spawn(move || tx.send(f(i)).unwrap());
        }
        Bunch { rx, n }
    }

    fn finish(self) -> Vec<T> {
        (0..self.n).map(|_| self.rx.recv_timeout(LONG).expect("a thread did not finish: lost wake-up?")).collect()
    }
}

/// Waits (bounded) until `cond` holds.
fn eventually(what: &str, cond: impl Fn() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < LONG, "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(1));
    }
}

/// Lets started threads reach their blocking call (and park).
fn settle() {
    thread::sleep(Duration::from_millis(200));
}

#[test]
fn acquire_release() {
    let s = Semaphore::new(1);
    s.acquire();
    s.release();
    let s = Semaphore::new(2);
    s.acquire();
    s.acquire();
    assert_eq!(s.value(), 0);
    s.release();
    s.release();
    assert_eq!(s.value(), 2);
}

#[test]
fn const_static_default_and_debug() {
    static S: Semaphore = Semaphore::new(2);
    static B: BoundedSemaphore = BoundedSemaphore::new(2);
    assert_eq!(format!("{S:?}"), "Semaphore { value: 2 }");
    B.acquire();
    assert_eq!(format!("{B:?}"), "BoundedSemaphore { value: 1, initial_value: 2 }");
    B.release().unwrap();
    assert_eq!(Semaphore::default().value(), 1);
    assert_eq!(BoundedSemaphore::default().initial_value(), 1);
    fn assert_traits<T: Send + Sync + Default + std::fmt::Debug>() {}
    assert_traits::<Semaphore>();
    assert_traits::<BoundedSemaphore>();
    let p = S.permit();
    assert_eq!(format!("{p:?}"), "SemaphorePermit { semaphore: Semaphore { value: 1 } }");
}

#[test]
fn default_value_is_one() {
    let s = Arc::new(Semaphore::default());
    s.acquire();
    let s2 = s.clone();
    let b = Bunch::start(1, move |_| {
        s2.acquire();
        s2.release();
    });
    settle();
    assert!(b.rx.try_recv().is_err(), "acquired a second permit");
    s.release();
    b.finish();
}

#[test]
fn acquire_contended_phases() {
    // CPython's test_acquire_contended: permits handed out in phases.
    let sem = Arc::new(Semaphore::new(7));
    sem.acquire();
    let phase = Arc::new(AtomicUsize::new(0));
    let results = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (s, p, r) = (sem.clone(), phase.clone(), results.clone());
    let b = Bunch::start(10, move |_| {
        s.acquire();
        r.lock().unwrap().push(p.load(SeqCst));
        s.acquire();
        r.lock().unwrap().push(p.load(SeqCst));
    });
    let count = |n: usize| eventually("results", || results.lock().unwrap().len() >= n);
    count(6);
    settle();
    assert_eq!(*results.lock().unwrap(), vec![0; 6]);
    phase.store(1, SeqCst);
    for _ in 0..7 {
        sem.release();
    }
    count(13);
    settle();
    let mut got = results.lock().unwrap().clone();
    got.sort();
    assert_eq!(got, [vec![0; 6], vec![1; 7]].concat());
    phase.store(2, SeqCst);
    sem.release_n(6);
    count(19);
    settle();
    let mut got = results.lock().unwrap().clone();
    got.sort();
    assert_eq!(got, [vec![0; 6], vec![1; 7], vec![2; 6]].concat());
    // Still none left.
    assert!(!sem.try_acquire());
    sem.release();
    b.finish();
}

#[test]
fn try_acquire() {
    let s = Semaphore::new(2);
    assert!(s.try_acquire());
    assert!(s.try_acquire());
    assert!(!s.try_acquire());
    s.release();
    assert!(s.try_acquire());
}

#[test]
fn try_acquire_contended() {
    let s = Arc::new(Semaphore::new(4));
    s.acquire();
    let s2 = s.clone();
    let mut results: Vec<bool> = Bunch::start(5, move |_| [s2.try_acquire(), s2.try_acquire()]).finish().concat();
    results.sort();
    assert_eq!(results, [vec![false; 7], vec![true; 3]].concat());
}

#[test]
fn acquire_timeout() {
    let s = Semaphore::new(2);
    assert!(s.acquire_timeout(Duration::from_millis(5)));
    assert!(s.acquire_timeout(Duration::from_millis(5)));
    assert!(!s.acquire_timeout(Duration::from_millis(5)));
    assert!(!s.acquire_timeout(Duration::ZERO));
    s.release();
    assert!(s.acquire_timeout(Duration::ZERO));
    let t = Instant::now();
    assert!(!s.acquire_timeout(Duration::from_millis(500)));
    let dt = t.elapsed();
    assert!(dt >= Duration::from_millis(300) && dt <= Duration::from_secs(5), "{dt:?}");
}

#[test]
fn acquire_timeout_woken_by_release_and_huge_timeout() {
    let s = Arc::new(Semaphore::new(0));
    let s2 = s.clone();
    let b = Bunch::start(2, move |i| if i == 0 { s2.acquire_timeout(Duration::MAX) } else { s2.acquire_timeout(LONG) });
    settle();
    s.release_n(2);
    assert_eq!(b.finish(), vec![true, true]);
    assert_eq!(s.value(), 0);
}

#[test]
fn permit_guards() {
    // CPython's test_with, with a panic in place of the exception.
    let s = Semaphore::new(2);
    let with = |fail: bool| {
        let _p = s.permit();
        assert!(s.try_acquire());
        s.release();
        let _q = s.permit();
        assert!(!s.try_acquire());
        if fail {
            panic!("inside the permits");
        }
    };
    with(false);
    assert!(s.try_acquire());
    s.release();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| with(true)));
    assert!(r.is_err());
    assert_eq!(s.value(), 2);
    let p = s.try_permit().unwrap();
    let q = s.try_permit_for(Duration::from_millis(5)).unwrap();
    assert!(s.try_permit().is_none());
    assert!(s.try_permit_for(Duration::from_millis(5)).is_none());
    drop((p, q));
    assert_eq!(s.value(), 2);
}

#[test]
fn unbounded_release_adds_permits() {
    let s = Semaphore::new(1);
    s.release();
    s.acquire();
    s.acquire();
    s.release();
    s.release_n(0);
    assert_eq!(s.value(), 1);
    s.release_n(5);
    assert_eq!(s.value(), 6);
}

#[test]
fn release_n_wakes_exactly_n() {
    let s = Arc::new(Semaphore::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let (s2, d2) = (s.clone(), done.clone());
    let b = Bunch::start(5, move |_| {
        assert!(s2.acquire_timeout(LONG));
        d2.fetch_add(1, SeqCst);
    });
    settle();
    s.release_n(0);
    settle();
    assert_eq!(done.load(SeqCst), 0);
    s.release_n(3);
    eventually("3 acquired", || done.load(SeqCst) == 3);
    settle();
    assert_eq!(done.load(SeqCst), 3);
    s.release_n(2);
    b.finish();
    assert_eq!(s.value(), 0);
}

#[test]
fn bounded_release_unacquired_is_an_error() {
    let s = BoundedSemaphore::default();
    assert!(s.release().is_err());
    s.acquire();
    s.release().unwrap();
    let e = s.release().unwrap_err();
    assert_eq!(e.to_string(), "Semaphore released too many times");
    assert_eq!(s.value(), 1);
}

#[test]
fn bounded_release_n_past_the_bound_changes_nothing() {
    let s = BoundedSemaphore::new(3);
    s.acquire();
    s.acquire();
    assert!(s.release_n(3).is_err());
    assert_eq!(s.value(), 1);
    assert!(s.release_n(0).is_ok());
    s.release_n(2).unwrap();
    assert_eq!(s.value(), 3);
    assert!(s.release_n(1).is_err());
    fn assert_error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
    assert_error(&s.release().unwrap_err());
    let _: SemaphoreReleaseError = s.release().unwrap_err();
}

#[test]
fn bounded_permit_after_manual_release_adds_nothing() {
    let s = BoundedSemaphore::new(1);
    let p = s.permit();
    s.release().unwrap();
    drop(p);
    assert_eq!(s.value(), 1);
    let p = s.try_permit_for(Duration::ZERO).unwrap();
    assert!(s.try_permit().is_none());
    assert!(s.try_permit_for(Duration::from_millis(5)).is_none());
    drop(p);
    assert_eq!(s.value(), 1);
}

#[test]
#[should_panic(expected = "semaphore initial value too large")]
fn initial_value_too_large_panics() {
    let _ = Semaphore::new(usize::MAX);
}

#[test]
#[should_panic(expected = "semaphore value overflow")]
fn release_overflow_panics() {
    let s = Semaphore::new(usize::MAX / 2);
    s.release();
}

#[test]
fn stress_count_never_exceeded() {
    const THREADS: usize = 6;
    const OPS: usize = 5_000;
    const PERMITS: usize = 3;
    let s = Arc::new(Semaphore::new(PERMITS));
    let inside = Arc::new(AtomicUsize::new(0));
    let max = Arc::new(AtomicUsize::new(0));
    let (s2, i2, m2) = (s.clone(), inside.clone(), max.clone());
    Bunch::start(THREADS, move |t| {
        for k in 0..OPS {
            let got = match (t + k) % 3 {
                0 => {
                    s2.acquire();
                    true
                }
                1 => s2.acquire_timeout(LONG),
                _ => {
                    while !s2.try_acquire() {
                        thread::yield_now();
                    }
                    true
                }
            };
            assert!(got);
            let now = i2.fetch_add(1, SeqCst) + 1;
            m2.fetch_max(now, SeqCst);
            assert!(now <= PERMITS, "{now} threads inside");
            i2.fetch_sub(1, SeqCst);
            s2.release();
        }
    })
    .finish();
    assert_eq!(s.value(), PERMITS);
    assert!(max.load(SeqCst) <= PERMITS);
}

#[test]
fn stress_bounded_no_permit_lost() {
    // Producers release one permit at a time (bounded at 4), consumers take
    // them; every permit released is taken exactly once.
    const EACH: usize = 5_000;
    let s = Arc::new(BoundedSemaphore::new(4));
    for _ in 0..4 {
        s.acquire();
    }
    let taken = Arc::new(AtomicUsize::new(0));
    let (s2, t2) = (s.clone(), taken.clone());
    Bunch::start(4, move |i| {
        for _ in 0..EACH {
            if i % 2 == 0 {
                while s2.release().is_err() {
                    thread::yield_now();
                }
            } else {
                assert!(s2.acquire_timeout(LONG), "a permit was lost");
                t2.fetch_add(1, SeqCst);
            }
        }
    })
    .finish();
    assert_eq!(taken.load(SeqCst), 2 * EACH);
    assert_eq!(s.value(), 0);
}

#[test]
fn bounded_try_acquire_permits_and_debug() {
    let s = BoundedSemaphore::new(3);
    assert_eq!(s.initial_value(), 3);
    assert!(s.try_acquire());
    assert!(s.try_acquire());
    let p = s.try_permit().expect("one permit left");
    assert_eq!(
        format!("{p:?}"),
        "BoundedSemaphorePermit { semaphore: BoundedSemaphore { value: 0, initial_value: 3 } }"
    );
    assert!(!s.try_acquire());
    assert!(s.try_permit().is_none());
    drop(p);
    assert_eq!(s.value(), 1);
    assert_eq!(s.initial_value(), 3, "the initial value stays as it was");
    s.release_n(2).unwrap();
    let e = s.release().unwrap_err();
    assert_eq!(format!("{e:?}"), "SemaphoreReleaseError(\"Semaphore released too many times\")");
}
