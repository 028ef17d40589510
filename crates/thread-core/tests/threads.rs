//! The Threads section of API.md, method by method and error by error.
//!
//! Test threads are `Dummy-N` daemon threads, so threads made here are
//! daemon unless a test says otherwise. Every blocking call is bounded:
//! joins go through `join_timeout(LONG)`, channels through `recv_timeout`.
//! Exact `Thread-N` numbering needs a process of its own: see
//! `tests/process.rs`, scenario `naming`.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use thread_core::{current_thread, enumerate, main_thread, Local, Runnable, Thread, ThreadError};

/// The bound on every wait that should end quickly.
const LONG: Duration = Duration::from_secs(10);

fn join(t: &Thread) {
    assert_eq!(t.join_timeout(LONG), Ok(true), "{t:?} did not finish in time");
}

/// The number of a `Thread-N` / `Dummy-N` name.
fn number(name: &str) -> u64 {
    name.rsplit_once('-').and_then(|(_, n)| n.parse().ok()).unwrap_or_else(|| panic!("not numbered: {name}"))
}

#[test]
fn unnamed_threads_are_numbered_in_creation_order() {
    let a = Thread::new(|| {});
    let named = Thread::builder().name("named").target(|| {});
    let b = Thread::new(|| {});
    let c = Thread::builder().target(|| {});
    assert!(a.name().starts_with("Thread-"));
    assert_eq!(named.name(), "named");
    // Other tests create threads at the same time, so only the order is
    // certain here (the exact numbers are checked in a process of its own).
    assert!(number(&a.name()) < number(&b.name()));
    assert!(number(&b.name()) < number(&c.name()));
}

#[test]
fn main_thread_is_main_thread() {
    let main = main_thread();
    assert_eq!(main.name(), "MainThread");
    assert!(main.is_main());
    assert!(!main.is_dummy());
    assert!(!main.is_daemon());
    assert!(main.is_alive());
    assert!(enumerate().contains(&main));
    assert_eq!(main, main_thread());
    // A test runs on a harness thread, not on the main thread.
    assert_ne!(current_thread(), main);
    assert!(format!("{main:?}").starts_with("<_MainThread(MainThread, started"));
}

#[test]
fn foreign_threads_get_dummy_handles() {
    let (tx, rx) = mpsc::channel();
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let os = std::thread::spawn(move || {
        let me = current_thread();
        tx.send(me.clone()).unwrap();
        // The same handle on every call.
        assert_eq!(me, current_thread());
        go_rx.recv_timeout(LONG).unwrap();
    });
    let dummy = rx.recv_timeout(LONG).unwrap();
    assert!(dummy.name().starts_with("Dummy-"), "{}", dummy.name());
    assert!(dummy.is_dummy());
    assert!(dummy.is_daemon());
    assert!(dummy.is_alive());
    assert!(dummy.ident().is_some() && dummy.native_id().is_some());
    assert!(enumerate().contains(&dummy));
    assert!(format!("{dummy:?}").starts_with("<_DummyThread(Dummy-"));
    let err = dummy.join().unwrap_err();
    assert_eq!(err, ThreadError::JoinDummy);
    assert_eq!(err.to_string(), "cannot join a dummy thread");
    assert_eq!(dummy.join_timeout(Duration::from_millis(1)), Err(ThreadError::JoinDummy));
    assert_eq!(dummy.start(), Err(ThreadError::AlreadyStarted));
    go_tx.send(()).unwrap();
    os.join().unwrap();
    // The OS thread has exited: its handle is gone from the registry.
    assert!(!dummy.is_alive());
    assert!(!enumerate().contains(&dummy));
}

#[test]
fn a_dummy_joining_itself_is_refused_as_a_dummy() {
    std::thread::spawn(|| {
        assert_eq!(current_thread().join(), Err(ThreadError::JoinDummy));
    })
    .join()
    .unwrap();
}

#[test]
fn daemon_flag_is_inherited_from_the_creator() {
    // The test thread is a dummy: a daemon.
    assert!(current_thread().is_daemon());
    assert!(Thread::new(|| {}).is_daemon());

    let (tx, rx) = mpsc::channel();
    let parent = Thread::builder().daemon(false).target(move || {
        let inherited = Thread::new(|| {});
        let explicit = Thread::builder().daemon(true).target(|| {});
        tx.send((current_thread().is_daemon(), inherited.is_daemon(), explicit.is_daemon())).unwrap();
    });
    assert!(!parent.is_daemon());
    parent.start().unwrap();
    join(&parent);
    assert_eq!(rx.recv_timeout(LONG).unwrap(), (false, false, true));
}

#[test]
fn set_daemon_before_start_and_not_after() {
    let t = Thread::new(|| {});
    assert_eq!(t.set_daemon(false), Ok(()));
    assert!(!t.is_daemon());
    assert_eq!(t.set_daemon(true), Ok(()));
    assert!(t.is_daemon());
    t.start().unwrap();
    let err = t.set_daemon(false).unwrap_err();
    assert_eq!(err, ThreadError::DaemonStatusOfActive);
    assert_eq!(err.to_string(), "cannot set daemon status of active thread");
    join(&t);
    // Still refused once stopped, as in Python (the thread is not "initial").
    assert_eq!(t.set_daemon(false), Err(ThreadError::DaemonStatusOfActive));
    assert!(t.is_daemon());
    assert_eq!(main_thread().set_daemon(true), Err(ThreadError::DaemonStatusOfActive));
}

#[test]
fn racing_starts_run_the_target_once() {
    // Several threads start one Thread at once, many times over: exactly
    // one start wins each time and the target runs once.
    for _ in 0..200 {
        let runs = Arc::new(AtomicUsize::new(0));
        let r = runs.clone();
        let t = Thread::new(move || {
            r.fetch_add(1, Ordering::SeqCst);
        });
        let go = Arc::new(std::sync::Barrier::new(3));
        let starters: Vec<_> = (0..3)
            .map(|_| {
                let (t, go) = (t.clone(), go.clone());
                std::thread::spawn(move || {
                    go.wait();
                    t.start()
                })
            })
            .collect();
        let results: Vec<_> = starters.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
        assert!(results.iter().all(|r| r.is_ok() || *r == Err(ThreadError::AlreadyStarted)));
        join(&t);
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }
}

#[test]
fn set_daemon_racing_start_either_lands_before_it_or_fails() {
    // `set_daemon` and `start` act on one atomic word: an `Ok` from
    // `set_daemon` means the thread started with that flag.
    for i in 0..200 {
        // What the started thread itself saw as its flag.
        let seen = Arc::new(AtomicUsize::new(2));
        let s = seen.clone();
        let t = Thread::builder()
            .daemon(true)
            .target(move || s.store(usize::from(current_thread().is_daemon()), Ordering::SeqCst));
        let go = Arc::new(std::sync::Barrier::new(2));
        let (t2, go2) = (t.clone(), go.clone());
        let setter = std::thread::spawn(move || {
            go2.wait();
            t2.set_daemon(false)
        });
        go.wait();
        if i % 2 == 0 {
            std::thread::yield_now();
        }
        t.start().unwrap();
        let set = setter.join().unwrap();
        match &set {
            Ok(()) => assert!(!t.is_daemon(), "set_daemon(false) returned Ok after the start"),
            Err(e) => {
                assert_eq!(*e, ThreadError::DaemonStatusOfActive);
                assert!(t.is_daemon());
            }
        }
        join(&t);
        assert_eq!(t.is_daemon(), set.is_err(), "the flag changed after the start");
        assert_eq!(seen.load(Ordering::SeqCst), usize::from(t.is_daemon()), "the thread ran with another flag");
    }
}

#[test]
fn start_twice_is_an_error() {
    let runs = Arc::new(AtomicUsize::new(0));
    let r = runs.clone();
    let t = Thread::new(move || {
        r.fetch_add(1, Ordering::SeqCst);
    });
    t.start().unwrap();
    let err = t.start().unwrap_err();
    assert_eq!(err, ThreadError::AlreadyStarted);
    assert_eq!(err.to_string(), "threads can only be started once");
    join(&t);
    assert_eq!(t.start(), Err(ThreadError::AlreadyStarted));
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    assert_eq!(main_thread().start(), Err(ThreadError::AlreadyStarted));
    assert!(t.start_deferred().is_err());
}

#[test]
fn a_refused_spawn_keeps_the_os_error_as_its_source() {
    use std::error::Error as _;
    // A 1 PiB stack: no OS gives it, so `start` reports the OS's error.
    let t = thread_core::Builder::new().name("too-big").stack_size(1 << 50).target(|| {});
    let err = t.start().unwrap_err();
    let ThreadError::Spawn(io) = &err else { panic!("expected a spawn error, got {err:?}") };
    assert!(err.to_string().starts_with("can't start new thread: "), "{err}");
    assert!(err.to_string().ends_with(&io.to_string()), "{err}");
    let source = err.source().expect("the io::Error is the source");
    let source = source.downcast_ref::<std::io::Error>().expect("an io::Error");
    assert_eq!(source.kind(), io.kind());
    // A clone copies the error's kind and text; the thread never ran.
    assert_eq!(err.clone(), err);
    assert!(!t.is_alive());
    assert!(!enumerate().contains(&t));
}

#[test]
fn start_returns_once_the_thread_runs() {
    for _ in 0..50 {
        let t = Thread::new(|| std::thread::sleep(Duration::from_millis(20)));
        t.start().unwrap();
        // Running and registered by the time `start` returns.
        assert!(t.ident().is_some());
        assert!(t.native_id().is_some());
        join(&t);
    }
}

#[test]
fn join_before_start_is_an_error() {
    let t = Thread::new(|| {});
    let err = t.join().unwrap_err();
    assert_eq!(err, ThreadError::NotStarted);
    assert_eq!(err.to_string(), "cannot join thread before it is started");
    assert_eq!(t.join_timeout(Duration::from_millis(10)), Err(ThreadError::NotStarted));
}

#[test]
fn join_current_is_an_error() {
    let (tx, rx) = mpsc::channel();
    let t = Thread::new(move || {
        let me = current_thread();
        tx.send((me.join(), me.join_timeout(Duration::from_millis(1)))).unwrap();
    });
    t.start().unwrap();
    let (a, b) = rx.recv_timeout(LONG).unwrap();
    assert_eq!(a, Err(ThreadError::JoinCurrent));
    assert_eq!(b, Err(ThreadError::JoinCurrent));
    assert_eq!(ThreadError::JoinCurrent.to_string(), "cannot join current thread");
    join(&t);
}

#[test]
fn join_timeout_false_then_true() {
    let (tx, rx) = mpsc::channel::<()>();
    let t = Thread::new(move || {
        let _ = rx.recv_timeout(LONG);
    });
    t.start().unwrap();
    let timeout = Duration::from_millis(100);
    let begun = Instant::now();
    assert_eq!(t.join_timeout(timeout), Ok(false));
    let waited = begun.elapsed();
    assert!(waited >= timeout.mul_f64(0.6), "returned early: {waited:?}");
    assert!(waited <= timeout * 10, "returned late: {waited:?}");
    assert!(t.is_alive());
    assert_eq!(t.join_timeout(Duration::ZERO), Ok(false));
    tx.send(()).unwrap();
    assert_eq!(t.join_timeout(LONG), Ok(true));
    assert!(!t.is_alive());
    // Joining again returns at once, with any timeout.
    assert_eq!(t.join_timeout(Duration::ZERO), Ok(true));
    assert_eq!(t.join_timeout(thread_core::TIMEOUT_MAX), Ok(true));
    assert_eq!(t.join(), Ok(()));
}

#[test]
fn join_with_the_longest_timeout_waits() {
    let t = Thread::new(|| std::thread::sleep(Duration::from_millis(30)));
    t.start().unwrap();
    assert_eq!(t.join_timeout(Duration::MAX), Ok(true));
}

#[test]
fn many_joiners_all_return() {
    let (tx, rx) = mpsc::channel::<()>();
    let t = Thread::new(move || {
        let _ = rx.recv_timeout(LONG);
    });
    t.start().unwrap();
    let joiners: Vec<Thread> = (0..4)
        .map(|_| {
            let t = t.clone();
            let j = Thread::new(move || assert_eq!(t.join_timeout(LONG), Ok(true)));
            j.start().unwrap();
            j
        })
        .collect();
    std::thread::sleep(Duration::from_millis(20));
    tx.send(()).unwrap();
    for j in &joiners {
        join(j);
    }
}

#[test]
fn is_alive_from_start_until_the_target_returns() {
    let (tx, rx) = mpsc::channel::<()>();
    let t = Thread::new(move || {
        let _ = rx.recv_timeout(LONG);
    });
    assert!(!t.is_alive());
    assert!(!t.is_started());
    t.start().unwrap();
    assert!(t.is_alive());
    assert!(t.is_started());
    tx.send(()).unwrap();
    join(&t);
    assert!(!t.is_alive());
    assert!(t.is_started());
}

#[test]
fn set_name_is_seen_at_once_by_the_thread() {
    let (tx, rx) = mpsc::channel();
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let t = Thread::builder().name("before").target(move || {
        let me = current_thread();
        tx.send(me.name()).unwrap();
        me.set_name("renamed");
        tx.send(current_thread().name()).unwrap();
        tx.send(os_name()).unwrap();
        // Renamed from outside while it waits.
        go_rx.recv_timeout(LONG).unwrap();
        tx.send(current_thread().name()).unwrap();
    });
    t.start().unwrap();
    assert_eq!(rx.recv_timeout(LONG).unwrap(), "before");
    assert_eq!(rx.recv_timeout(LONG).unwrap(), "renamed");
    let os = rx.recv_timeout(LONG).unwrap();
    if cfg!(target_os = "linux") {
        assert_eq!(os, "renamed");
    }
    t.set_name("outside");
    go_tx.send(()).unwrap();
    assert_eq!(rx.recv_timeout(LONG).unwrap(), "outside");
    assert_eq!(t.name(), "outside");
    assert_eq!(&*t.name_arc(), "outside");
    join(&t);
}

#[test]
fn the_os_thread_is_named_after_the_thread() {
    let (tx, rx) = mpsc::channel();
    let t = Thread::builder().name("a-rather-long-thread-name").target(move || {
        tx.send((os_name(), std::thread::current().name().map(str::to_owned))).unwrap();
    });
    t.start().unwrap();
    let (os, std_name) = rx.recv_timeout(LONG).unwrap();
    // Linux keeps 15 bytes of it; std keeps the whole name.
    if cfg!(target_os = "linux") {
        assert_eq!(os, "a-rather-long-t");
    }
    assert_eq!(std_name.as_deref(), Some("a-rather-long-thread-name"));
    join(&t);
}

/// The kernel's name of the calling thread.
fn os_name() -> String {
    std::fs::read_to_string(format!("/proc/self/task/{}/comm", thread_core::get_native_id()))
        .map(|s| s.trim_end().to_owned())
        .unwrap_or_default()
}

#[test]
fn ident_and_native_id_are_none_before_start() {
    let (tx, rx) = mpsc::channel();
    let t = Thread::new(move || tx.send((thread_core::get_ident(), thread_core::get_native_id())).unwrap());
    assert_eq!(t.ident(), None);
    assert_eq!(t.native_id(), None);
    t.start().unwrap();
    let (ident, native) = rx.recv_timeout(LONG).unwrap();
    assert_eq!(t.ident(), Some(ident));
    assert_eq!(t.native_id(), Some(native));
    assert_ne!(native, thread_core::get_native_id());
    join(&t);
    // Kept after the thread stops, as in Python.
    assert_eq!(t.ident(), Some(ident));
}

#[test]
fn get_ident_matches_current_thread() {
    let me = current_thread();
    assert_eq!(me.ident(), Some(thread_core::get_ident()));
    assert_eq!(me.native_id(), Some(thread_core::get_native_id()));
}

#[test]
fn runnables_run_once() {
    struct Count(Arc<AtomicUsize>);
    impl Runnable for Count {
        fn run(self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let n = Arc::new(AtomicUsize::new(0));
    let a = Thread::from_runnable(Count(n.clone()));
    let b = Thread::builder().name("runner").daemon(true).runnable(Count(n.clone()));
    assert_eq!(b.name(), "runner");
    a.start().unwrap();
    b.start().unwrap();
    join(&a);
    join(&b);
    assert_eq!(n.load(Ordering::SeqCst), 2);
}

#[test]
fn stack_size_is_honoured() {
    let t = Thread::builder().stack_size(4 << 20).target(|| {
        // Enough stack for a 2 MiB local array.
        let big = [1u8; 2 << 20];
        assert_eq!(std::hint::black_box(&big).iter().map(|&b| b as usize).sum::<usize>(), 2 << 20);
    });
    t.start().unwrap();
    join(&t);
}

#[test]
// `Thread` hashes by identity (the handle's address), which no mutation
// changes: the interior mutability clippy sees cannot move a key.
#[allow(clippy::mutable_key_type)]
fn handles_are_clone_eq_hash_debug() {
    let t = Thread::builder().name("worker").daemon(true).target(|| {});
    let u = Thread::builder().name("worker").daemon(true).target(|| {});
    let c = t.clone();
    assert_eq!(t, c);
    assert_ne!(t, u, "equality is identity, not name");
    let set: HashSet<Thread> = [t.clone(), c.clone(), u.clone()].into_iter().collect();
    assert_eq!(set.len(), 2);

    assert_eq!(format!("{t:?}"), "<Thread(worker, initial daemon)>");
    let n = Thread::builder().name("plain").daemon(false).target(|| {});
    assert_eq!(format!("{n:?}"), "<Thread(plain, initial)>");
    t.start().unwrap();
    join(&t);
    let ident = t.ident().unwrap();
    assert_eq!(format!("{c:?}"), format!("<Thread(worker, stopped daemon {ident})>"));
}

#[test]
fn debug_of_a_running_thread() {
    let (tx, rx) = mpsc::channel::<()>();
    let t = Thread::builder().name("worker").target(move || {
        let _ = rx.recv_timeout(LONG);
    });
    t.start().unwrap();
    assert_eq!(format!("{t:?}"), format!("<Thread(worker, started daemon {})>", t.ident().unwrap()));
    tx.send(()).unwrap();
    join(&t);
}

#[test]
fn enumerate_lists_running_threads_only() {
    let (tx, rx) = mpsc::channel::<()>();
    let t = Thread::new(move || {
        let _ = rx.recv_timeout(LONG);
    });
    assert!(!enumerate().contains(&t));
    t.start().unwrap();
    assert!(enumerate().contains(&t));
    assert!(thread_core::active_count() >= 2);
    tx.send(()).unwrap();
    join(&t);
    assert!(!enumerate().contains(&t));
}

#[test]
fn a_joined_thread_is_never_listed() {
    for _ in 0..200 {
        let t = Thread::new(|| {});
        t.start().unwrap();
        join(&t);
        assert!(!enumerate().contains(&t));
        assert!(!t.is_alive());
    }
}

#[test]
fn enumerate_is_in_start_order() {
    let (tx, rx) = mpsc::channel::<()>();
    let rx = Arc::new(std::sync::Mutex::new(rx));
    let threads: Vec<Thread> = (0..3)
        .map(|_| {
            let rx = rx.clone();
            let t = Thread::new(move || {
                let _ = rx.lock().unwrap().recv_timeout(LONG);
            });
            t.start().unwrap();
            t
        })
        .collect();
    let listed: Vec<Thread> = enumerate().into_iter().filter(|t| threads.contains(t)).collect();
    assert_eq!(listed, threads);
    assert_eq!(enumerate()[0], main_thread());
    for _ in 0..3 {
        tx.send(()).unwrap();
    }
    for t in &threads {
        join(t);
    }
}

#[test]
fn deferred_start_launch() {
    let ran = Arc::new(AtomicBool::new(false));
    let r = ran.clone();
    let t = Thread::new(move || r.store(true, Ordering::SeqCst));
    let pending = t.start_deferred().unwrap();
    assert_eq!(pending.thread(), &t);
    assert!(t.is_alive());
    assert!(enumerate().contains(&t));
    assert_eq!(t.ident(), None, "no OS thread yet");
    assert_eq!(t.start(), Err(ThreadError::AlreadyStarted));
    assert_eq!(t.join_timeout(Duration::from_millis(20)), Ok(false));
    pending.launch().unwrap();
    join(&t);
    assert!(ran.load(Ordering::SeqCst));
    assert!(t.ident().is_some());
    assert!(!enumerate().contains(&t));
}

#[test]
fn deferred_start_abandon_and_drop() {
    let ran = Arc::new(AtomicBool::new(false));
    let r = ran.clone();
    let t = Thread::new(move || r.store(true, Ordering::SeqCst));
    t.start_deferred().unwrap().abandon();
    assert!(!t.is_alive());
    assert!(!enumerate().contains(&t));
    assert_eq!(t.join(), Ok(()));

    let r = ran.clone();
    let u = Thread::new(move || r.store(true, Ordering::SeqCst));
    // A joiner that waits across the abandon.
    let pending = u.start_deferred().unwrap();
    let waiter = {
        let u = u.clone();
        let w = Thread::new(move || assert_eq!(u.join_timeout(LONG), Ok(true)));
        w.start().unwrap();
        w
    };
    drop(pending);
    join(&waiter);
    assert!(!u.is_alive());
    assert!(!ran.load(Ordering::SeqCst), "an abandoned target never runs");
}

#[test]
fn local_values_are_per_thread_and_lazy() {
    let made = Arc::new(AtomicUsize::new(0));
    let m = made.clone();
    let local = Arc::new(Local::new(move || {
        m.fetch_add(1, Ordering::SeqCst);
        RefCell::new(Vec::<u32>::new())
    }));
    assert_eq!(local.try_get(), None);
    assert_eq!(made.load(Ordering::SeqCst), 0, "lazy: nothing made yet");
    local.get().borrow_mut().push(1);
    let threads: Vec<Thread> = (0..3)
        .map(|i| {
            let local = local.clone();
            let t = Thread::new(move || {
                assert!(local.get().borrow().is_empty());
                local.get().borrow_mut().push(10 + i);
                assert_eq!(*local.get().borrow(), [10 + i]);
            });
            t.start().unwrap();
            t
        })
        .collect();
    for t in &threads {
        join(t);
    }
    // A thread that never calls `get` makes no value.
    let idle = Thread::new(|| {});
    idle.start().unwrap();
    join(&idle);
    assert_eq!(made.load(Ordering::SeqCst), 4);
    assert_eq!(*local.get().borrow(), [1]);
}

#[test]
fn local_gives_a_new_thread_a_fresh_value() {
    // Thread indices are recycled when threads exit; a later thread must
    // still start from `init`, as in Python.
    let local = Arc::new(Local::new(|| Cell::new(0)));
    for i in 1..=20 {
        let l = local.clone();
        let seen = std::thread::spawn(move || {
            let before = l.get().get();
            l.get().set(i);
            before
        })
        .join()
        .unwrap();
        assert_eq!(seen, 0, "thread {i} saw an exited thread's value");
    }
}

#[test]
fn local_default_and_reentrant_init() {
    let d: Local<Cell<u64>> = Local::default();
    assert_eq!(d.get().get(), 0);
    d.get().set(5);
    assert_eq!(d.try_get().map(Cell::get), Some(5));
    assert!(format!("{d:?}").contains('5'));

    // An `init` that reads another `Local` works; values are dropped with it.
    let drops = Arc::new(AtomicUsize::new(0));
    struct Noisy(Arc<AtomicUsize>);
    impl Drop for Noisy {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let dr = drops.clone();
    let l = Arc::new(Local::new(move || Noisy(dr.clone())));
    for _ in 0..3 {
        let l = l.clone();
        std::thread::spawn(move || {
            l.get();
        })
        .join()
        .unwrap();
    }
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    drop(l);
    assert_eq!(drops.load(Ordering::SeqCst), 3);
}

#[test]
fn a_dummy_first_seen_in_a_tls_destructor_still_leaves_the_registry() {
    struct AskOnDrop(mpsc::Sender<Thread>);
    impl Drop for AskOnDrop {
        fn drop(&mut self) {
            let _ = self.0.send(current_thread());
        }
    }
    thread_local!(static ASK: RefCell<Option<AskOnDrop>> = const { RefCell::new(None) });
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || ASK.with(|a| *a.borrow_mut() = Some(AskOnDrop(tx)))).join().unwrap();
    let dummy = rx.recv_timeout(LONG).unwrap();
    assert!(dummy.is_dummy());
    assert!(!enumerate().contains(&dummy), "{dummy:?} outlived its OS thread in the registry");
    assert!(!dummy.is_alive());
}

#[test]
fn current_thread_in_a_tls_destructor_of_a_library_thread() {
    struct AskOnDrop(mpsc::Sender<String>);
    impl Drop for AskOnDrop {
        fn drop(&mut self) {
            let _ = self.0.send(current_thread().name());
        }
    }
    thread_local!(static ASK: RefCell<Option<AskOnDrop>> = const { RefCell::new(None) });
    let (tx, rx) = mpsc::channel();
    let t = Thread::builder().name("library").target(move || ASK.with(|a| *a.borrow_mut() = Some(AskOnDrop(tx))));
    t.start().unwrap();
    join(&t);
    // Python's answer once a thread has left `_active`: a dummy. It must not
    // hang or panic.
    let name = rx.recv_timeout(LONG).unwrap();
    assert!(name == "library" || name.starts_with("Dummy-"), "{name}");
}

#[test]
fn names_are_unique_under_concurrent_creation() {
    let makers: Vec<Thread> = (0..4)
        .map(|_| {
            let t = Thread::new(|| {
                let names: Vec<String> = (0..50).map(|_| Thread::new(|| {}).name()).collect();
                assert!(names.windows(2).all(|w| number(&w[0]) < number(&w[1])), "{names:?}");
                NAMES.lock().unwrap().extend(names);
            });
            t.start().unwrap();
            t
        })
        .collect();
    for t in &makers {
        join(t);
    }
    let all = NAMES.lock().unwrap();
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), 200);
}

static NAMES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

#[test]
fn enumerate_under_churn_never_lists_a_joined_thread() {
    let stop = Arc::new(AtomicBool::new(false));
    let churners: Vec<Thread> = (0..2)
        .map(|_| {
            let stop = stop.clone();
            let t = Thread::new(move || {
                while !stop.load(Ordering::Relaxed) {
                    let t = Thread::new(|| {});
                    t.start().unwrap();
                    assert_eq!(t.join_timeout(LONG), Ok(true));
                    assert!(!enumerate().contains(&t));
                }
            });
            t.start().unwrap();
            t
        })
        .collect();
    let begun = Instant::now();
    while begun.elapsed() < Duration::from_millis(300) {
        for t in enumerate() {
            // Listed means started; a listed library thread is alive or
            // stopping right now, never one stopped long ago.
            assert!(t.is_started());
        }
    }
    stop.store(true, Ordering::Relaxed);
    for t in &churners {
        join(t);
    }
}
