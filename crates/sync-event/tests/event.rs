//! Event: every method, CPython's `EventTests` (Lib/test/lock_tests.py) and
//! stress tests. Every blocking call is bounded, so a lost wake-up fails
//! instead of hanging.

use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use sync_event::Event;

/// Long enough that a wake-up that is coming always wins.
const LONG: Duration = Duration::from_secs(20);

/// Runs `n` threads of `f(i)` and returns their results, failing (instead
/// of hanging) if they do not all finish within [`LONG`].
fn bunch<T: Send + 'static>(n: usize, f: impl Fn(usize) -> T + Send + Sync + 'static) -> Vec<T> {
    let f = Arc::new(f);
    let (tx, rx) = mpsc::channel();
    for i in 0..n {
        let (f, tx) = (f.clone(), tx.clone());
        thread::spawn(move || tx.send(f(i)).unwrap());
    }
    (0..n).map(|_| rx.recv_timeout(LONG).expect("a thread did not finish: lost wake-up?")).collect()
}

/// Lets started threads reach their blocking call (and park).
fn settle() {
    thread::sleep(Duration::from_millis(200));
}

#[test]
fn is_set_set_clear() {
    let e = Event::new();
    assert!(!e.is_set());
    e.set();
    assert!(e.is_set());
    e.set();
    assert!(e.is_set());
    e.clear();
    assert!(!e.is_set());
    e.clear();
    assert!(!e.is_set());
}

#[test]
fn const_static_default_and_debug() {
    static E: Event = Event::new();
    assert!(!E.is_set());
    assert_eq!(format!("{E:?}"), "Event { is_set: false }");
    E.set();
    assert_eq!(format!("{E:?}"), "Event { is_set: true }");
    let d = Event::default();
    assert!(!d.is_set());
    fn assert_traits<T: Send + Sync + Default + std::fmt::Debug>() {}
    assert_traits::<Event>();
}

#[test]
fn wait_returns_at_once_when_set() {
    let e = Event::new();
    e.set();
    assert!(e.wait());
    assert!(e.wait_timeout(Duration::ZERO));
    assert!(e.wait_timeout(Duration::MAX));
}

fn check_notify(e: &Arc<Event>) {
    const N: usize = 5;
    let (started_tx, started_rx) = mpsc::channel();
    let e2 = e.clone();
    let results = thread::spawn(move || {
        bunch(N, move |_| {
            started_tx.send(()).unwrap();
            (e2.wait(), e2.wait_timeout(LONG))
        })
    });
    for _ in 0..N {
        started_rx.recv_timeout(LONG).unwrap();
    }
    settle();
    assert!(!results.is_finished());
    e.set();
    assert_eq!(results.join().unwrap(), vec![(true, true); N]);
}

#[test]
fn set_wakes_all_waiters() {
    let e = Arc::new(Event::new());
    check_notify(&e);
    // Again, after an explicit clear.
    e.set();
    e.clear();
    check_notify(&e);
}

#[test]
fn wait_timeout_times_out_then_sees_set() {
    let e = Arc::new(Event::new());
    let e2 = e.clone();
    let results = bunch(5, move |_| {
        let first = e2.wait_timeout(Duration::ZERO);
        let t = Instant::now();
        let r = e2.wait_timeout(Duration::from_millis(500));
        (first, r, t.elapsed())
    });
    for (first, r, dt) in results {
        assert!(!first);
        assert!(!r);
        assert!(dt >= Duration::from_millis(300), "returned early: {dt:?}");
        assert!(dt <= Duration::from_secs(5), "returned late: {dt:?}");
    }
    e.set();
    let e2 = e.clone();
    let results = bunch(5, move |_| (e2.wait_timeout(Duration::ZERO), e2.wait_timeout(Duration::from_millis(500))));
    assert_eq!(results, vec![(true, true); 5]);
}

#[test]
fn woken_waiter_returns_true_even_if_cleared_at_once() {
    // CPython bpo-13502.
    let e = Arc::new(Event::new());
    let e2 = e.clone();
    let results = thread::spawn(move || bunch(5, move |_| e2.wait_timeout(LONG)));
    settle();
    e.set();
    e.clear();
    assert_eq!(results.join().unwrap(), vec![true; 5]);
    assert!(!e.is_set());
}

#[test]
fn untimed_wait_is_woken_by_set_then_clear() {
    let e = Arc::new(Event::new());
    let e2 = e.clone();
    let results = thread::spawn(move || bunch(3, move |_| e2.wait()));
    settle();
    e.set();
    e.clear();
    assert_eq!(results.join().unwrap(), vec![true; 3]);
}

#[test]
fn waiter_after_clear_waits_for_the_next_set() {
    let e = Arc::new(Event::new());
    e.set();
    e.clear();
    let e2 = e.clone();
    let t = thread::spawn(move || e2.wait_timeout(Duration::from_millis(300)));
    assert!(!t.join().unwrap());
    let e2 = e.clone();
    let t = thread::spawn(move || e2.wait_timeout(LONG));
    settle();
    e.set();
    assert!(t.join().unwrap());
}

#[test]
fn untimed_wait_blocks_until_set() {
    let e = Arc::new(Event::new());
    let e2 = e.clone();
    // Nobody clears: a `wait` that has returned must find the flag set.
    let t = thread::spawn(move || bunch(1, move |_| (e2.wait(), e2.is_set())));
    settle();
    assert!(!t.is_finished(), "wait returned before any set");
    e.set();
    assert_eq!(t.join().unwrap(), vec![(true, true)]);
}

#[test]
fn huge_timeout_is_forever() {
    let e = Arc::new(Event::new());
    let e2 = e.clone();
    let t = thread::spawn(move || e2.wait_timeout(Duration::MAX));
    settle();
    e.set();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || tx.send(t.join().unwrap()).unwrap());
    assert!(rx.recv_timeout(LONG).unwrap());
}

#[test]
fn stress_ring_of_three_no_lost_wakeup() {
    // Three threads hand a token around a ring of events, 10,000 laps.
    const LAPS: usize = 10_000;
    let events: Arc<[Event; 3]> = Arc::new([Event::new(), Event::new(), Event::new()]);
    let ev = events.clone();
    let done = bunch(3, move |i| {
        let (mine, next) = (&ev[i], &ev[(i + 1) % 3]);
        for lap in 0..LAPS {
            if i == 0 && lap == 0 {
                next.set();
                continue;
            }
            assert!(mine.wait_timeout(LONG), "lost wake-up at lap {lap} in thread {i}");
            mine.clear();
            next.set();
        }
        if i == 0 {
            assert!(mine.wait_timeout(LONG));
        }
        i
    });
    assert_eq!(done.len(), 3);
}

#[test]
fn stress_many_waiters_many_rounds() {
    // Each round: 4 waiters wait, the main thread sets; every waiter must
    // see every round.
    const ROUNDS: usize = 2_000;
    let go = Arc::new([Event::new(), Event::new()]);
    let back = Arc::new(std::sync::Barrier::new(5));
    let (g, b) = (go.clone(), back.clone());
    let waiters = thread::spawn(move || {
        bunch(4, move |_| {
            for round in 0..ROUNDS {
                assert!(g[round % 2].wait_timeout(LONG), "round {round} lost");
                b.wait();
            }
        })
    });
    for round in 0..ROUNDS {
        go[(round + 1) % 2].clear();
        go[round % 2].set();
        back.wait();
    }
    waiters.join().unwrap();
}
