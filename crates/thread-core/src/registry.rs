//! The registry: every started, not yet stopped thread — the main thread,
//! the threads this library started (including deferred ones, which have no
//! OS thread yet) and the dummy handles of foreign threads — in the order
//! they were registered. `enumerate()`, `active_count()` and the wait at
//! process exit read it.
//!
//! `current_thread()` is a thread-local lookup: set by the body of every
//! thread this library starts, found for the OS main thread, and made on
//! first use (a `Dummy-N`, daemon) for a thread it did not start; a dummy
//! leaves the registry when its OS thread exits (the thread-local's
//! destructor).

use crate::thread::{lock, Kind, Thread};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex, Once};

struct Registry {
    threads: Mutex<BTreeMap<u64, Thread>>,
    next_seq: AtomicU64,
    main: Thread,
}

/// Python's `_counter`: `Thread-N` and `Dummy-N` share it, counting from 1.
static NAME_COUNTER: AtomicU64 = AtomicU64::new(1);

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    let main = Thread::make(Kind::Main, "MainThread".to_owned(), false, None, None);
    // The registry is nearly always first touched from the main thread
    // (which creates the first thread): record its identity now, so that
    // `main_thread().ident()` is known to every thread. Otherwise it is
    // recorded by the main thread's first `current_thread()`.
    if crate::ident::is_os_main_thread() {
        main.bind_os_thread();
    }
    let reg = Registry { threads: Mutex::new(BTreeMap::new()), next_seq: AtomicU64::new(0), main: main.clone() };
    reg.insert(&main);
    reg
});

impl Registry {
    fn insert(&self, t: &Thread) {
        let seq = self.next_seq.fetch_add(1, Ordering::Relaxed);
        t.inner.seq.store(seq, Ordering::Relaxed);
        lock(&self.threads).insert(seq, t.clone());
    }
}

/// The per-OS-thread slot behind `current_thread()`.
struct Slot(RefCell<Option<Thread>>);

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(t) = self.0.borrow_mut().take() {
            if t.inner.kind == Kind::Dummy {
                t.stop();
            }
        }
    }
}

thread_local! {
    static CURRENT: Slot = const { Slot(RefCell::new(None)) };
}

pub(crate) fn new_name(prefix: &str) -> String {
    format!("{prefix}-{}", NAME_COUNTER.fetch_add(1, Ordering::Relaxed))
}

pub(crate) fn register(t: &Thread) {
    // Installed whatever the daemon flag: cheap after the first time, and
    // it keeps this step independent of the flag.
    install_exit_wait();
    REGISTRY.insert(t);
}

pub(crate) fn unregister(t: &Thread) {
    let seq = t.inner.seq.load(Ordering::Relaxed);
    let mut threads = lock(&REGISTRY.threads);
    if threads.get(&seq).is_some_and(|x| x == t) {
        threads.remove(&seq);
    }
}

pub(crate) fn set_current(t: Thread) {
    CURRENT.with(|slot| *slot.0.borrow_mut() = Some(t));
}

/// The [`Thread`] of the calling thread (Python's `current_thread()`).
///
/// For a thread this library did not start, the first call registers a
/// `Dummy-N` handle: a daemon, listed by [`enumerate`] until its OS thread
/// exits, which cannot be joined.
///
/// # Examples
///
/// ```
/// let t = thread_core::Thread::builder().name("w").target(|| {
///     assert_eq!(thread_core::current_thread().name(), "w");
/// });
/// t.start().unwrap();
/// t.join().unwrap();
/// ```
pub fn current_thread() -> Thread {
    let found = CURRENT.try_with(|slot| slot.0.borrow().clone());
    match found {
        Ok(Some(t)) => t,
        Ok(None) => {
            let t = if crate::ident::is_os_main_thread() {
                let main = REGISTRY.main.clone();
                main.bind_os_thread();
                main
            } else {
                let dummy = Thread::make(Kind::Dummy, new_name("Dummy"), true, None, None);
                dummy.bind_os_thread();
                REGISTRY.insert(&dummy);
                dummy
            };
            set_current(t.clone());
            t
        }
        // The thread-locals of this thread are being destroyed (a
        // destructor, or an exit handler, asked): find it by identity, or
        // give an unregistered dummy.
        Err(_) => {
            if crate::ident::is_os_main_thread() {
                return REGISTRY.main.clone();
            }
            let me = crate::ident::get_ident();
            enumerate().into_iter().find(|t| t.ident() == Some(me)).unwrap_or_else(|| {
                let dummy = Thread::make(Kind::Dummy, new_name("Dummy"), true, None, None);
                dummy.bind_os_thread();
                dummy
            })
        }
    }
}

/// The main thread, named `MainThread` (Python's `main_thread()`).
///
/// # Examples
///
/// ```
/// let main = thread_core::main_thread();
/// assert_eq!(main.name(), "MainThread");
/// assert!(main.is_alive());
/// ```
pub fn main_thread() -> Thread {
    REGISTRY.main.clone()
}

/// Every alive thread — the main thread, threads started by this library
/// (a pending `Timer` included), and foreign threads that called
/// [`current_thread`] — in the order they started (Python's
/// `enumerate()`). A thread whose `join()` has returned is never listed.
///
/// # Examples
///
/// ```
/// let all = thread_core::enumerate();
/// assert!(all.contains(&thread_core::main_thread()));
/// ```
pub fn enumerate() -> Vec<Thread> {
    lock(&REGISTRY.threads).values().cloned().collect()
}

/// How many threads [`enumerate`] would list (Python's `active_count()`).
///
/// # Examples
///
/// ```
/// assert!(thread_core::active_count() >= 1);
/// ```
pub fn active_count() -> usize {
    lock(&REGISTRY.threads).len()
}

/// Waits until every non-daemon thread but the calling one has stopped,
/// including threads started while it waits (Python's
/// `threading._shutdown()`).
///
/// It runs by itself when the process exits — `main` returning, a call to
/// `std::process::exit`, or a panic out of `main` — so a program needs no
/// call for Python's rule "the process waits for its non-daemon threads".
/// At exit, as in Python, the main thread is first marked stopped (a thread
/// joining `main_thread()` returns, `enumerate()` no longer lists it), then
/// the wait begins. Call it to wait earlier; the main thread then stays
/// alive. Only one thread should wait this way: two non-daemon threads that
/// both call it wait for each other.
///
/// A non-daemon thread must not call `std::process::exit` once the process
/// is exiting (after `main` has returned, or another thread called `exit`):
/// `std` makes every later caller of `exit` wait for ever, and the exit
/// waits for that thread, so the process hangs. (Python's `os._exit` would
/// end the process there.) Let such a thread return, or make it a daemon.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use std::sync::Arc;
///
/// let done = Arc::new(AtomicBool::new(false));
/// let d = done.clone();
/// let t = thread_core::Thread::builder().daemon(false).target(move || d.store(true, Ordering::SeqCst));
/// t.start().unwrap();
/// thread_core::shutdown();
/// assert!(done.load(Ordering::SeqCst));
/// ```
pub fn shutdown() {
    let me = crate::ident::get_ident();
    loop {
        let pending: Vec<Thread> = enumerate()
            .into_iter()
            .filter(|t| t.inner.kind == Kind::Normal && !t.is_daemon() && t.ident() != Some(me))
            .collect();
        if pending.is_empty() {
            return;
        }
        for t in pending {
            t.wait_finished();
        }
    }
}

/// The exit wait, run by `exit()` (after `main` returns, on
/// `std::process::exit`, after a panic out of `main`).
///
/// As Python's `threading._shutdown`: when the main thread exits, it first
/// stops itself (so a thread joining `main_thread()` returns instead of
/// holding the exit up for ever), then waits for the non-daemon threads.
extern "C" fn on_process_exit() {
    // A panic must not cross the C boundary.
    let _ = std::panic::catch_unwind(|| {
        if crate::ident::is_os_main_thread() {
            REGISTRY.main.stop();
        }
        shutdown();
    });
}

fn install_exit_wait() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: `on_process_exit` is an `extern "C" fn()` that never
        // unwinds, as atexit requires.
        unsafe {
            libc::atexit(on_process_exit);
        }
    });
}

impl Thread {
    /// Marks the thread stopped, removes it from the registry and wakes its
    /// joiners (in that order: a joined thread is never listed).
    pub(crate) fn stop(&self) {
        unregister(self);
        self.mark_stopped();
    }
}
