//! Behaviour of `Timer`: every method and error, as a Python user sees it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use thread_core::{current_thread, enumerate, ThreadError};
use timer::Timer;

/// Long enough that a wake-up must have won.
const LONG: Duration = Duration::from_secs(10);

fn counter() -> (Arc<AtomicUsize>, impl FnOnce() + Send + 'static) {
    let n = Arc::new(AtomicUsize::new(0));
    let m = n.clone();
    (n, move || {
        m.fetch_add(1, Ordering::SeqCst);
    })
}

#[test]
fn fires_after_interval_not_before() {
    let interval = Duration::from_millis(100);
    let (tx, rx) = mpsc::channel();
    let t = Timer::new(interval, move || tx.send(Instant::now()).unwrap());
    let started = Instant::now();
    t.start().unwrap();
    let fired = rx.recv_timeout(LONG).expect("the timer fired");
    let waited = fired - started;
    assert!(waited >= interval, "fired early: {waited:?}");
    assert!(waited <= interval * 10, "fired far too late: {waited:?}");
    assert_eq!(t.join_timeout(LONG), Ok(true));
    assert!(!t.is_alive());
}

#[test]
fn many_spread_deadlines_never_fire_early() {
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    let timers: Vec<Timer> = (0..50u64)
        .map(|i| {
            let tx = tx.clone();
            let interval = Duration::from_millis(5 + (i * 7) % 60);
            let t = Timer::new(interval, move || tx.send((interval, Instant::now())).unwrap());
            t.start().unwrap();
            t
        })
        .collect();
    for _ in 0..50 {
        let (interval, at) = rx.recv_timeout(LONG).expect("every timer fires");
        // Each was started after `start`, so this bound is loose on the early side.
        assert!(at - start >= interval, "fired early");
    }
    for t in timers {
        assert_eq!(t.join_timeout(LONG), Ok(true));
    }
}

#[test]
fn current_thread_inside_is_the_timer() {
    let (tx, rx) = mpsc::channel();
    let t = Timer::builder().name("t1").interval(Duration::from_millis(1)).function(move || {
        let me = current_thread();
        tx.send((me.name(), me.ident(), me)).unwrap();
    });
    t.start().unwrap();
    let (name, ident, me) = rx.recv_timeout(LONG).unwrap();
    assert_eq!(name, "t1");
    assert!(ident.is_some());
    assert_eq!(me, t.thread());
    t.join().unwrap();
    assert_eq!(t.thread().ident(), ident);
}

#[test]
fn default_name_is_thread_n() {
    let t = Timer::new(Duration::ZERO, || {});
    let name = t.name();
    let n: u64 = name.strip_prefix("Thread-").expect("Thread-N").parse().expect("a number");
    assert!(n >= 1);
}

#[test]
fn rename_is_seen_by_the_function() {
    let (tx, rx) = mpsc::channel();
    let t = Timer::new(Duration::from_millis(20), move || tx.send(current_thread().name()).unwrap());
    t.set_name("t2");
    t.start().unwrap();
    assert_eq!(rx.recv_timeout(LONG).unwrap(), "t2");
    t.join().unwrap();
}

#[test]
fn listed_and_alive_while_pending_without_os_thread() {
    let (n, f) = counter();
    let t = Timer::new(Duration::from_secs(60), f);
    assert!(!t.is_alive());
    assert!(!enumerate().contains(&t.thread()));
    t.start().unwrap();
    assert!(t.is_alive());
    assert!(enumerate().contains(&t.thread()));
    assert_eq!(t.thread().ident(), None);
    assert_eq!(t.thread().native_id(), None);
    assert!(t.cancel());
    assert!(!t.is_alive());
    assert!(!enumerate().contains(&t.thread()));
    t.join().unwrap();
    assert_eq!(n.load(Ordering::SeqCst), 0);
}

#[test]
fn listed_while_running_then_gone_after_join() {
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let (in_tx, in_rx) = mpsc::channel::<()>();
    let t = Timer::new(Duration::ZERO, move || {
        in_tx.send(()).unwrap();
        go_rx.recv_timeout(LONG).unwrap();
    });
    t.start().unwrap();
    in_rx.recv_timeout(LONG).unwrap();
    assert!(t.is_alive());
    assert!(enumerate().contains(&t.thread()));
    assert!(t.thread().ident().is_some());
    assert!(!t.cancel(), "too late: the function is running");
    go_tx.send(()).unwrap();
    t.join().unwrap();
    assert!(!enumerate().contains(&t.thread()));
}

#[test]
fn cancel_before_fire_keeps_function_from_running() {
    let (n, f) = counter();
    let t = Timer::new(Duration::from_millis(50), f);
    t.start().unwrap();
    assert!(t.cancel());
    assert_eq!(t.join_timeout(LONG), Ok(true));
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(n.load(Ordering::SeqCst), 0);
}

#[test]
fn cancel_after_fire_returns_false() {
    let (n, f) = counter();
    let t = Timer::new(Duration::ZERO, f);
    t.start().unwrap();
    t.join().unwrap();
    assert_eq!(n.load(Ordering::SeqCst), 1);
    assert!(!t.cancel());
}

#[test]
fn cancel_twice_second_is_false() {
    let t = Timer::new(Duration::from_secs(60), || {});
    t.start().unwrap();
    assert!(t.cancel());
    assert!(!t.cancel());
    t.join().unwrap();
}

#[test]
fn cancel_before_start_then_start_stops_at_once() {
    let (n, f) = counter();
    let t = Timer::new(Duration::ZERO, f);
    assert!(t.cancel());
    t.start().unwrap();
    assert!(!t.is_alive());
    assert_eq!(t.join_timeout(LONG), Ok(true));
    assert_eq!(n.load(Ordering::SeqCst), 0);
}

#[test]
fn cancel_racing_fire_runs_at_most_once_and_agrees() {
    for i in 0..200u64 {
        let (n, f) = counter();
        let t = Timer::new(Duration::from_micros(i * 5), f);
        t.start().unwrap();
        if i % 3 == 0 {
            std::thread::yield_now();
        }
        let kept = t.cancel();
        assert_eq!(t.join_timeout(LONG), Ok(true));
        assert_eq!(n.load(Ordering::SeqCst), usize::from(!kept), "round {i}");
    }
}

#[test]
fn start_twice_is_an_error() {
    let t = Timer::new(Duration::from_secs(60), || {});
    t.start().unwrap();
    let e = t.start().unwrap_err();
    assert_eq!(e, ThreadError::AlreadyStarted);
    assert_eq!(e.to_string(), "threads can only be started once");
    assert!(t.cancel(), "a timer 60 s from firing is cancelled in time");
}

#[test]
fn join_before_start_is_an_error() {
    let t = Timer::new(Duration::ZERO, || {});
    assert_eq!(t.join(), Err(ThreadError::NotStarted));
    assert_eq!(t.join_timeout(Duration::from_millis(1)), Err(ThreadError::NotStarted));
}

#[test]
fn join_from_inside_is_an_error() {
    let (tx, rx) = mpsc::channel();
    let slot: Arc<std::sync::Mutex<Option<Timer>>> = Arc::default();
    let s = slot.clone();
    let t = Timer::new(Duration::from_millis(5), move || {
        let me = s.lock().unwrap().clone().unwrap();
        tx.send(me.join()).unwrap();
    });
    *slot.lock().unwrap() = Some(t.clone());
    t.start().unwrap();
    assert_eq!(rx.recv_timeout(LONG).unwrap(), Err(ThreadError::JoinCurrent));
    t.join().unwrap();
}

#[test]
fn join_timeout_pending_then_done() {
    let t = Timer::new(Duration::from_millis(200), || {});
    t.start().unwrap();
    let before = Instant::now();
    assert_eq!(t.join_timeout(Duration::from_millis(50)), Ok(false));
    assert!(before.elapsed() >= Duration::from_millis(30));
    assert_eq!(t.join_timeout(LONG), Ok(true));
}

#[test]
fn panicking_function_is_reported_by_join() {
    thread_core::set_excepthook(|_| {});
    let t = Timer::builder().name("boom").function(|| panic!("kaput"));
    t.start().unwrap();
    match t.join() {
        Err(ThreadError::Panicked { thread, message, payload }) => {
            assert_eq!(thread, "boom");
            assert_eq!(message, "kaput");
            let payload = payload.expect("the first join gets the payload").into_inner();
            assert_eq!(payload.downcast_ref::<&str>(), Some(&"kaput"));
        }
        other => panic!("expected a panic error, got {other:?}"),
    }
    thread_core::reset_excepthook();
}

#[test]
fn daemon_flag_set_and_errors_once_started() {
    let t = Timer::new(Duration::from_secs(60), || {});
    // Python's rule: the creating thread's flag (a test thread is a daemon
    // dummy, or the main thread with `--test-threads=1`).
    assert_eq!(t.is_daemon(), current_thread().is_daemon());
    t.set_daemon(false).unwrap();
    assert!(!t.is_daemon());
    t.set_daemon(true).unwrap();
    t.start().unwrap();
    assert_eq!(t.set_daemon(false), Err(ThreadError::DaemonStatusOfActive));
    assert!(t.is_daemon());
    assert!(t.cancel(), "a timer 60 s from firing is cancelled in time");
    let b = Timer::builder().daemon(false).function(|| {});
    assert!(!b.is_daemon());
}

#[test]
fn huge_interval_never_fires_and_cancels() {
    let (n, f) = counter();
    let t = Timer::new(Duration::MAX, f);
    t.start().unwrap();
    assert_eq!(t.join_timeout(Duration::from_millis(20)), Ok(false));
    assert!(t.cancel());
    t.join().unwrap();
    assert_eq!(n.load(Ordering::SeqCst), 0);
}

#[test]
fn earlier_timer_started_later_fires_first() {
    let (tx, rx) = mpsc::channel();
    let tx2 = tx.clone();
    let late = Timer::new(Duration::from_millis(400), move || tx.send("late").unwrap());
    let early = Timer::new(Duration::from_millis(20), move || tx2.send("early").unwrap());
    late.start().unwrap();
    early.start().unwrap();
    let first_at = Instant::now();
    assert_eq!(rx.recv_timeout(LONG).unwrap(), "early");
    // The service, parked until `late`, was woken for `early`.
    assert!(first_at.elapsed() < Duration::from_millis(200));
    assert_eq!(rx.recv_timeout(LONG).unwrap(), "late");
    late.join().unwrap();
    early.join().unwrap();
}

#[test]
fn debug_shows_state() {
    let t = Timer::builder().name("t1").interval(Duration::from_secs(60)).daemon(true).function(|| {});
    assert_eq!(format!("{t:?}"), r#"Timer { name: "t1", interval: 60s, state: "initial", daemon: true }"#);
    t.start().unwrap();
    assert!(format!("{t:?}").contains(r#"state: "pending""#));
    assert!(t.cancel(), "a timer 60 s from firing is cancelled in time");
    assert!(format!("{t:?}").contains(r#"state: "cancelled""#));
}

#[test]
fn timer_is_send_sync_clone() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug>() {}
    check::<Timer>();
    check::<ThreadError>();
}

#[test]
fn cancel_from_another_thread() {
    let (n, f) = counter();
    let t = Timer::new(Duration::from_millis(300), f);
    t.start().unwrap();
    let t2 = t.clone();
    let h = std::thread::spawn(move || t2.cancel());
    assert!(h.join().unwrap());
    t.join().unwrap();
    assert_eq!(n.load(Ordering::SeqCst), 0);
}
