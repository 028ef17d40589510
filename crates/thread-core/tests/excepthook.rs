//! A panicking target: the excepthook, the error `join` returns, and the
//! other threads going on. The hook is process-wide, so every test here
//! holds `HOOK_LOCK` while it sets one. The default hook's text on stderr
//! is checked in a process of its own (`tests/process.rs`).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use thread_core::{reset_excepthook, set_excepthook, ExceptHookArgs, Thread, ThreadError};

const LONG: Duration = Duration::from_secs(10);

static HOOK_LOCK: Mutex<()> = Mutex::new(());

/// What a recording hook saw: (thread name, message, location) per call.
type Seen = Arc<Mutex<Vec<(String, String, Option<String>)>>>;

/// Serialises the tests and installs a hook that records every call.
fn recording_hook() -> (MutexGuard<'static, ()>, Seen) {
    let guard = HOOK_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let seen: Seen = Arc::default();
    let s = seen.clone();
    set_excepthook(move |args: &ExceptHookArgs| {
        s.lock().unwrap().push((args.thread().name(), args.message().to_owned(), args.location().map(str::to_owned)));
    });
    (guard, seen)
}

#[test]
fn the_hook_runs_once_and_join_carries_the_message() {
    let (_guard, seen) = recording_hook();
    let t = Thread::builder().name("boom").target(|| panic!("it broke"));
    t.start().unwrap();
    let err = t.join_timeout(LONG).unwrap_err();
    assert_eq!(err, ThreadError::Panicked { thread: "boom".into(), message: "it broke".into(), payload: None });
    assert_eq!(err.to_string(), "exception in thread boom: it broke");
    // `join` and `join_timeout` keep returning the error.
    assert_eq!(t.join(), Err(err.clone()));
    assert_eq!(t.join_timeout(Duration::ZERO), Err(err));
    assert!(!t.is_alive());
    assert!(!thread_core::enumerate().contains(&t));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "the hook runs once: {seen:?}");
    assert_eq!(seen[0].0, "boom");
    assert_eq!(seen[0].1, "it broke");
    let at = seen[0].2.as_deref().expect("the location is recorded");
    assert!(at.contains("excepthook.rs"), "{at}");
    reset_excepthook();
}

#[test]
fn formatted_and_foreign_payloads() {
    let (_guard, seen) = recording_hook();
    let n = 42;
    let a = Thread::builder().name("fmt").target(move || panic!("value {n} is wrong"));
    let b = Thread::builder().name("any").target(|| std::panic::panic_any(7_u32));
    a.start().unwrap();
    b.start().unwrap();
    assert!(
        matches!(a.join_timeout(LONG), Err(ThreadError::Panicked { message, .. }) if message == "value 42 is wrong")
    );
    assert!(matches!(b.join_timeout(LONG), Err(ThreadError::Panicked { message, .. }) if message == "Box<dyn Any>"));
    let mut seen: Vec<_> = seen.lock().unwrap().iter().map(|(t, m, _)| (t.clone(), m.clone())).collect();
    seen.sort();
    assert_eq!(
        seen,
        [("any".to_owned(), "Box<dyn Any>".to_owned()), ("fmt".to_owned(), "value 42 is wrong".to_owned())]
    );
    reset_excepthook();
}

#[test]
fn other_threads_go_on() {
    let (_guard, seen) = recording_hook();
    let (tx, rx) = std::sync::mpsc::channel();
    let steady = Thread::builder().name("steady").target(move || {
        for i in 0..5 {
            std::thread::sleep(Duration::from_millis(5));
            tx.send(i).unwrap();
        }
    });
    steady.start().unwrap();
    let failing: Vec<Thread> = (0..4)
        .map(|i| {
            let t = Thread::builder().name(format!("fail-{i}")).target(move || panic!("failure {i}"));
            t.start().unwrap();
            t
        })
        .collect();
    for t in &failing {
        assert!(matches!(t.join_timeout(LONG), Err(ThreadError::Panicked { .. })));
    }
    assert_eq!(steady.join_timeout(LONG), Ok(true));
    assert_eq!(rx.try_iter().collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
    assert_eq!(seen.lock().unwrap().len(), 4);
    reset_excepthook();
}

#[test]
fn the_panicked_name_is_the_name_at_the_time() {
    let (_guard, _seen) = recording_hook();
    let t = Thread::builder().name("old").target(|| panic!("x"));
    t.start().unwrap();
    assert!(t.join_timeout(LONG).is_err());
    t.set_name("new");
    assert!(matches!(t.join(), Err(ThreadError::Panicked { thread, .. }) if thread == "old"));
    reset_excepthook();
}

#[test]
fn a_panicking_hook_does_not_stop_the_thread_from_stopping() {
    let _guard = HOOK_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    set_excepthook(|_| panic!("the hook itself failed"));
    let t = Thread::builder().name("double").target(|| panic!("first"));
    t.start().unwrap();
    assert!(matches!(t.join_timeout(LONG), Err(ThreadError::Panicked { message, .. }) if message == "first"));
    assert!(!t.is_alive());
    reset_excepthook();
}

#[test]
fn a_panic_payload_whose_drop_panics_still_stops_the_thread() {
    struct Nasty;
    impl Drop for Nasty {
        fn drop(&mut self) {
            panic!("dropping the payload panicked");
        }
    }
    let (_guard, seen) = recording_hook();
    let t = Thread::builder().name("nasty").target(|| std::panic::panic_any(Nasty));
    t.start().unwrap();
    let joined = t.join_timeout(LONG);
    assert!(matches!(joined, Err(ThreadError::Panicked { .. })));
    // The payload is now the joiner's, as with std's `JoinHandle`: dropping
    // it would panic here.
    std::mem::forget(joined);
    assert!(!thread_core::enumerate().contains(&t));
    assert_eq!(seen.lock().unwrap().len(), 1);

    // Never joined, the thread keeps the payload until its last handle
    // goes; that drop's panic is contained, wherever it happens.
    let u = Thread::builder().name("nasty-unjoined").target(|| std::panic::panic_any(Nasty));
    u.start().unwrap();
    let begun = std::time::Instant::now();
    while u.is_alive() {
        assert!(begun.elapsed() < LONG, "the thread did not stop");
        std::thread::sleep(Duration::from_millis(1));
    }
    drop(u);
    assert_eq!(seen.lock().unwrap().len(), 2);
    reset_excepthook();
}

#[test]
fn the_first_join_gets_the_payload_to_resume_the_panic() {
    #[derive(Debug, PartialEq)]
    struct Custom(u32);
    let (_guard, seen) = recording_hook();
    let t = Thread::builder().name("payload").target(|| std::panic::panic_any(Custom(7)));
    let other_handle = t.clone();
    t.start().unwrap();
    let first = other_handle.join_timeout(LONG).unwrap_err();
    assert_eq!(first.to_string(), "exception in thread payload: Box<dyn Any>");
    // A clone cannot copy a `dyn Any`: it has the message only.
    assert!(first.clone().into_panic().is_none());
    let payload = first.into_panic().expect("the first join gets the payload");
    // Later joins, on any handle, get the name and the message only.
    let later = t.join().unwrap_err();
    assert!(matches!(&later, ThreadError::Panicked { thread, payload: None, .. } if thread == "payload"));
    assert!(later.into_panic().is_none());
    assert!(t.join_timeout(Duration::ZERO).unwrap_err().into_panic().is_none());
    // The payload resumes the panic as std's `JoinHandle::join` lets one do.
    let resumed =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || std::panic::resume_unwind(payload))).unwrap_err();
    assert_eq!(resumed.downcast_ref::<Custom>(), Some(&Custom(7)));
    // The excepthook saw the panic once, as before.
    assert_eq!(seen.lock().unwrap().len(), 1);
    reset_excepthook();
}

#[test]
fn errors_without_a_panic_have_no_payload() {
    let t = Thread::new(|| {});
    assert_eq!(t.join().unwrap_err().into_panic().map(|_| ()), None);
    t.start().unwrap();
    assert_eq!(t.join_timeout(LONG), Ok(true));
    assert!(t.start().unwrap_err().into_panic().is_none());
}

#[test]
fn the_hook_can_replace_itself() {
    let (_guard, seen) = recording_hook();
    // A hook that installs another one must not deadlock.
    let s = seen.clone();
    set_excepthook(move |args| {
        s.lock().unwrap().push(("first".into(), args.message().into(), None));
        set_excepthook(|_| {});
    });
    for _ in 0..2 {
        let t = Thread::new(|| panic!("again"));
        t.start().unwrap();
        assert!(t.join_timeout(LONG).is_err());
    }
    assert_eq!(seen.lock().unwrap().len(), 1);
    reset_excepthook();
}

#[test]
fn a_caught_panic_inside_a_target_is_not_reported() {
    let (_guard, seen) = recording_hook();
    let t = Thread::new(|| {
        let caught = std::panic::catch_unwind(|| panic!("handled"));
        assert!(caught.is_err());
    });
    t.start().unwrap();
    assert_eq!(t.join_timeout(LONG), Ok(true));
    assert!(seen.lock().unwrap().is_empty());
    reset_excepthook();
}
