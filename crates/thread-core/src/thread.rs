//! `Thread`: Python's `threading.Thread` — a handle to a thread that has a
//! name, a daemon flag, a life (initial → started → stopped) and a place in
//! the registry that `enumerate()` reads.
//!
//! # Life of a thread
//!
//! | state     | how it gets there                         | `is_alive` | listed |
//! |-----------|-------------------------------------------|------------|--------|
//! | `INITIAL` | `Thread::new`, `Builder::target`          | false      | no     |
//! | `STARTED` | `start()` (or `start_deferred()`)         | true       | yes    |
//! | `STOPPED` | the target returned or panicked; or a deferred start was abandoned | false | no |
//!
//! The state and the daemon flag share one atomic word (`Inner::state`:
//! the life in the low two bits, `DAEMON` above), so `set_daemon` and
//! `start` are ordered: a `set_daemon` that returns `Ok` changed the flag
//! of a thread that had not started, and one that races a start either
//! lands before it or fails.
//!
//! This module is the type and its accessors, the layer below the registry
//! (`crate::registry`), the excepthook and the thread's life
//! (`crate::lifecycle`: `start`, the OS thread's body, `join`); it imports
//! none of them. Renaming the calling thread's OS thread lives here too.

use crate::completion::Completion;
use crate::target::{Holder, Kind as DumpKind, Target as DumpTarget, WaitTarget};
use std::any::Any;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Locks a std mutex, ignoring poisoning: the registry's data stays
/// consistent across a panic because no code panics while holding it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

// The life only moves forward and each step only sets bits (0b00 → 0b01 →
// 0b11), so `start` and `stop` are one `fetch_or` each.
const INITIAL: u8 = 0;
const STARTED: u8 = 0b01;
const STOPPED: u8 = 0b11;
/// The bits of `Inner::state` that hold the life.
const LIFE: u8 = 0b11;
/// The bit of `Inner::state` that holds the daemon flag.
const DAEMON: u8 = 0b100;

/// What kind of thread a handle stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Made by `Thread::new` / `Builder`: started and joined by this library.
    Normal,
    /// The process's main thread (`MainThread`).
    Main,
    /// A thread this library did not start (`Dummy-N`): daemon, not joinable.
    Dummy,
}

pub(crate) type Target = Box<dyn FnOnce() + Send + 'static>;

pub(crate) struct Inner {
    pub(crate) kind: Kind,
    name: Mutex<Arc<str>>,
    /// The life (`INITIAL`, `STARTED`, `STOPPED`) and the `DAEMON` flag.
    state: AtomicU8,
    /// pthread_self of the running thread; 0 = not known yet.
    ident: AtomicU64,
    /// The kernel's thread id; 0 = not known yet.
    native_id: AtomicU64,
    pub(crate) stack_size: Option<usize>,
    pub(crate) target: Mutex<Option<Target>>,
    /// The thread's name and the panic message of a target that panicked.
    pub(crate) panic: Mutex<Option<(String, String)>>,
    /// That target's panic payload until the first join takes it.
    pub(crate) payload: Mutex<Payload>,
    /// Set by the new OS thread once it runs (what `start()` waits for).
    pub(crate) running: Completion,
    /// Set once the thread has stopped and left the registry.
    pub(crate) finished: Completion,
    /// The order in which threads entered the registry (its key).
    pub(crate) seq: AtomicU64,
    /// For a pending timer's thread: its interval and when it fires (the
    /// timer crate says so through `__private::note_timer`), for the dump.
    timer: Mutex<Option<PendingTimer>>,
}

type PendingTimer = (Duration, Option<crate::clock::Instant>);

impl WaitTarget for Inner {
    fn describe(&self) -> DumpTarget {
        let name = lock(&self.name).to_string();
        let ident = Some(self.ident.load(Ordering::Acquire)).filter(|&i| i != 0);
        DumpTarget::new(
            DumpKind::Thread,
            self as *const Inner as usize,
            Some(&name),
            Holder::Thread { name: name.clone(), ident },
        )
    }

    fn label(&self) -> (DumpKind, Option<&'static str>) {
        (DumpKind::Thread, None)
    }
}

/// A thread, as Python's `threading.Thread`: a cheap, clonable handle.
///
/// Clones refer to the same thread; equality and hashing are by identity.
/// `Debug` prints as Python's `repr` does: `<Thread(worker, started daemon
/// 140245)>`.
///
/// # Examples
///
/// ```
/// use thread_core::Thread;
///
/// let t = Thread::builder().name("worker").target(|| {
///     assert_eq!(thread_core::current_thread().name(), "worker");
/// });
/// t.start().unwrap();
/// t.join().unwrap();
/// assert!(!t.is_alive());
/// ```
#[derive(Clone)]
pub struct Thread {
    pub(crate) inner: Arc<Inner>,
}

/// A thread body given as an object, like a Python `Thread` subclass that
/// overrides `run()`.
///
/// # Examples
///
/// ```
/// use thread_core::{Runnable, Thread};
///
/// struct Greeter(&'static str);
/// impl Runnable for Greeter {
///     fn run(self) {
///         println!("{} from {}", self.0, thread_core::current_thread().name());
///     }
/// }
///
/// let t = Thread::from_runnable(Greeter("hello"));
/// t.start().unwrap();
/// t.join().unwrap();
/// ```
pub trait Runnable: Send + 'static {
    /// The thread's work: runs once, on the new thread.
    ///
    /// # Examples
    ///
    /// ```
    /// use thread_core::{current_thread, Runnable};
    ///
    /// struct Hello;
    /// impl Runnable for Hello {
    ///     fn run(self) {
    ///         println!("hello from {}", current_thread().name());
    ///     }
    /// }
    ///
    /// // Called directly, `run` runs on the calling thread, as in Python.
    /// Hello.run();
    /// ```
    fn run(self);
}

/// Misuse of a thread, or a thread whose target panicked, in Python's words.
///
/// Two variants carry more than words: [`Spawn`](Self::Spawn) keeps the
/// OS's [`io::Error`] as its [`source()`](std::error::Error::source), and
/// [`Panicked`](Self::Panicked) the panic payload, for
/// [`std::panic::resume_unwind`] (see [`into_panic`](Self::into_panic)).
/// Neither can be copied or compared, so a clone carries the payload's
/// absence (`None`) and a copy of the I/O error's kind, code and text, and
/// `==` compares the name and message of a panic, and the kind and text of
/// an I/O error.
///
/// # Examples
///
/// ```
/// use thread_core::{current_thread, Thread, ThreadError};
/// use std::time::Duration;
///
/// let t = Thread::new(|| {});
/// assert_eq!(t.join(), Err(ThreadError::NotStarted));
/// t.start().unwrap();
/// assert_eq!(t.start().unwrap_err().to_string(), "threads can only be started once");
/// assert_eq!(t.set_daemon(true), Err(ThreadError::DaemonStatusOfActive));
/// assert_eq!(current_thread().join().unwrap_err().to_string(), "cannot join current thread");
/// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ThreadError {
    /// `start()` called a second time: "threads can only be started once".
    AlreadyStarted,
    /// `join()` before `start()`: "cannot join thread before it is started".
    NotStarted,
    /// A thread joining itself: "cannot join current thread".
    JoinCurrent,
    /// Joining a thread this library did not start: "cannot join a dummy thread".
    JoinDummy,
    /// `set_daemon` after `start()`: "cannot set daemon status of active thread".
    DaemonStatusOfActive,
    /// The OS refused to create the thread: "can't start new thread"; the
    /// OS's error is the [`source()`](std::error::Error::source).
    Spawn(io::Error),
    /// The target panicked; carries the thread's name and the panic message.
    Panicked {
        /// The thread's name when it panicked.
        thread: String,
        /// The panic payload as text.
        message: String,
        /// The panic payload itself, to hand to
        /// [`std::panic::resume_unwind`]. It can be taken only once: the
        /// first join that sees the panic (by `join` or `join_timeout`, on
        /// any handle of the thread) gets `Some`; later joins, and clones
        /// of an error, get `None`, with the same name and message.
        payload: Option<PanicPayload>,
    },
}

/// The value a thread's target panicked with (what `panic!` or
/// [`std::panic::panic_any`] was given), as [`ThreadError::Panicked`]
/// carries it: [`into_inner`](Self::into_inner) gives the
/// `Box<dyn Any + Send>` that `std::thread::JoinHandle::join` would.
///
/// It is `Sync` (so that `ThreadError` is) although a payload need not be:
/// nothing can look inside it through a shared reference.
///
/// # Examples
///
/// ```
/// use thread_core::{Thread, ThreadError};
///
/// let t = Thread::new(|| std::panic::panic_any(7_u8));
/// t.start().unwrap();
/// let Err(ThreadError::Panicked { payload: Some(payload), .. }) = t.join() else { unreachable!() };
/// assert_eq!(payload.into_inner().downcast_ref::<u8>(), Some(&7));
/// ```
pub struct PanicPayload(
    // Never locked: the mutex only makes a `Send` payload `Sync`; the one
    // way in is `into_inner`, which owns it.
    Mutex<Box<dyn Any + Send + 'static>>,
);

impl PanicPayload {
    /// Wraps the payload a target panicked with.
    pub(crate) fn new(payload: Box<dyn Any + Send + 'static>) -> PanicPayload {
        PanicPayload(Mutex::new(payload))
    }

    /// The payload, for [`std::panic::resume_unwind`] or `downcast`.
    ///
    /// # Examples
    ///
    /// ```
    /// use thread_core::Thread;
    ///
    /// let t = Thread::new(|| panic!("boom"));
    /// t.start().unwrap();
    /// let payload = t.join().unwrap_err().into_panic().unwrap();
    /// assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
    /// ```
    #[must_use]
    pub fn into_inner(self) -> Box<dyn Any + Send + 'static> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl fmt::Debug for PanicPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PanicPayload { .. }")
    }
}

impl ThreadError {
    /// The panic payload of a thread whose target panicked, if this error
    /// carries it (see [`Panicked`](Self::Panicked)'s `payload`): what
    /// `std::thread::JoinHandle::join` gives in its `Err`, for
    /// [`std::panic::resume_unwind`]. `None` for every other error.
    ///
    /// # Examples
    ///
    /// ```
    /// use thread_core::Thread;
    ///
    /// let t = Thread::builder().name("bad").target(|| std::panic::panic_any(42_u32));
    /// t.start().unwrap();
    /// let err = t.join().unwrap_err(); // the excepthook has printed the panic
    /// assert_eq!(err.to_string(), "exception in thread bad: Box<dyn Any>");
    /// let payload = err.into_panic().expect("the first join gets the payload");
    /// assert_eq!(payload.downcast_ref::<u32>(), Some(&42));
    /// // Later joins carry the name and message only.
    /// assert!(t.join().unwrap_err().into_panic().is_none());
    /// // std::panic::resume_unwind(payload) would continue the panic here.
    /// ```
    #[must_use = "the payload is dropped if unused"]
    pub fn into_panic(self) -> Option<Box<dyn Any + Send + 'static>> {
        match self {
            ThreadError::Panicked { payload, .. } => payload.map(PanicPayload::into_inner),
            _ => None,
        }
    }
}

impl Clone for ThreadError {
    fn clone(&self) -> Self {
        match self {
            ThreadError::AlreadyStarted => ThreadError::AlreadyStarted,
            ThreadError::NotStarted => ThreadError::NotStarted,
            ThreadError::JoinCurrent => ThreadError::JoinCurrent,
            ThreadError::JoinDummy => ThreadError::JoinDummy,
            ThreadError::DaemonStatusOfActive => ThreadError::DaemonStatusOfActive,
            ThreadError::Spawn(e) => ThreadError::Spawn(match e.raw_os_error() {
                Some(code) => io::Error::from_raw_os_error(code),
                None => io::Error::new(e.kind(), e.to_string()),
            }),
            ThreadError::Panicked { thread, message, .. } => {
                ThreadError::Panicked { thread: thread.clone(), message: message.clone(), payload: None }
            }
        }
    }
}

impl PartialEq for ThreadError {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ThreadError::Spawn(a), ThreadError::Spawn(b)) => a.kind() == b.kind() && a.to_string() == b.to_string(),
            (
                ThreadError::Panicked { thread: t1, message: m1, .. },
                ThreadError::Panicked { thread: t2, message: m2, .. },
            ) => t1 == t2 && m1 == m2,
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        }
    }
}

impl Eq for ThreadError {}

impl fmt::Display for ThreadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThreadError::AlreadyStarted => f.write_str("threads can only be started once"),
            ThreadError::NotStarted => f.write_str("cannot join thread before it is started"),
            ThreadError::JoinCurrent => f.write_str("cannot join current thread"),
            ThreadError::JoinDummy => f.write_str("cannot join a dummy thread"),
            ThreadError::DaemonStatusOfActive => f.write_str("cannot set daemon status of active thread"),
            ThreadError::Spawn(e) => write!(f, "can't start new thread: {e}"),
            ThreadError::Panicked { thread, message, .. } => write!(f, "exception in thread {thread}: {message}"),
        }
    }
}

impl std::error::Error for ThreadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ThreadError::Spawn(e) => Some(e),
            _ => None,
        }
    }
}

/// A panic payload that no join has taken yet. Dropped unjoined, it drops
/// the payload with the panic hook silenced and any panic of that `drop`
/// caught: the thread stopped long ago and nobody could catch it.
pub(crate) struct Payload(pub(crate) Option<Box<dyn Any + Send + 'static>>);

impl Drop for Payload {
    fn drop(&mut self) {
        if let Some(payload) = self.0.take() {
            crate::panics::catching(|| drop(panic::catch_unwind(AssertUnwindSafe(move || drop(payload)))));
        }
    }
}

/// Builds a [`Thread`] with a name, a daemon flag and a stack size, like
/// the keyword arguments of Python's `Thread(...)`.
///
/// # Examples
///
/// ```
/// use thread_core::Thread;
///
/// let t = Thread::builder().name("w").daemon(true).target(|| {});
/// assert_eq!(t.name(), "w");
/// assert!(t.is_daemon());
/// ```
#[derive(Debug, Default)]
#[must_use = "a builder does nothing until `target` or `runnable` makes the thread"]
pub struct Builder {
    pub(crate) name: Option<String>,
    pub(crate) daemon: Option<bool>,
    pub(crate) stack_size: Option<usize>,
}

impl Builder {
    /// A builder with Python's defaults: name `Thread-N`, daemon flag of
    /// the creating thread.
    ///
    /// # Examples
    ///
    /// ```
    /// use thread_core::Builder;
    ///
    /// let t = Builder::new().target(|| {});
    /// assert!(t.name().starts_with("Thread-"));
    /// // Made by the main thread, which is not a daemon: neither is `t`.
    /// assert!(!t.is_daemon());
    /// assert!(!t.is_started());
    /// ```
    pub fn new() -> Builder {
        Builder::default()
    }

    /// The thread's name (default `Thread-N`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::{current_thread, Builder};
    ///
    /// let t = Builder::new().name("reader").target(|| {
    ///     assert_eq!(current_thread().name(), "reader");
    /// });
    /// assert_eq!(t.name(), "reader");
    /// t.start().unwrap();
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Builder {
        self.name = Some(name.into());
        self
    }

    /// Whether the thread is a daemon (default: the creating thread's flag).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::{Builder, Thread};
    ///
    /// let t = Builder::new().daemon(true).target(|| {
    ///     // A thread made by a daemon thread is a daemon too, as in Python.
    ///     assert!(Thread::new(|| {}).is_daemon());
    /// });
    /// assert!(t.is_daemon());
    /// t.start().unwrap();
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    pub fn daemon(mut self, daemon: bool) -> Builder {
        self.daemon = Some(daemon);
        self
    }

    /// The OS thread's stack size in bytes (default: std's).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::Builder;
    ///
    /// let t = Builder::new().stack_size(8 << 20).target(|| {
    ///     let buf = [1u8; 1 << 20]; // 1 MiB on the thread's own stack
    ///     assert_eq!(std::hint::black_box(&buf).iter().map(|&b| b as usize).sum::<usize>(), 1 << 20);
    /// });
    /// t.start().unwrap();
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    pub fn stack_size(mut self, size: usize) -> Builder {
        self.stack_size = Some(size);
        self
    }
}

impl Thread {
    /// A builder for a thread with a name, a daemon flag or a stack size.
    ///
    /// # Examples
    ///
    /// ```
    /// use thread_core::Thread;
    ///
    /// let t = Thread::builder().name("worker").daemon(true).target(|| {});
    /// assert_eq!(format!("{t:?}"), "<Thread(worker, initial daemon)>");
    /// ```
    pub fn builder() -> Builder {
        Builder::new()
    }

    pub(crate) fn make(
        kind: Kind,
        name: String,
        daemon: bool,
        stack_size: Option<usize>,
        target: Option<Target>,
    ) -> Thread {
        let started = kind != Kind::Normal;
        Thread {
            inner: Arc::new(Inner {
                kind,
                name: Mutex::new(name.into()),
                state: AtomicU8::new(if started { STARTED } else { INITIAL } | if daemon { DAEMON } else { 0 }),
                ident: AtomicU64::new(0),
                native_id: AtomicU64::new(0),
                stack_size,
                target: Mutex::new(target),
                panic: Mutex::new(None),
                payload: Mutex::new(Payload(None)),
                running: Completion::new(),
                finished: Completion::new(),
                seq: AtomicU64::new(0),
                timer: Mutex::new(None),
            }),
        }
    }

    /// Whether the thread is alive: from `start()` until its target has
    /// returned (Python's `is_alive()`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::Duration;
    /// use thread_core::Thread;
    ///
    /// let (tx, rx) = mpsc::channel::<()>();
    /// let t = Thread::new(move || drop(rx.recv_timeout(Duration::from_secs(60))));
    /// assert!(!t.is_alive()); // not started yet
    /// t.start().unwrap();
    /// assert!(t.is_alive());
    /// drop(tx);
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// assert!(!t.is_alive()); // stopped
    /// ```
    pub fn is_alive(&self) -> bool {
        self.life() == STARTED
    }

    /// Whether the thread has been started (alive or already stopped).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::Thread;
    ///
    /// let t = Thread::new(|| {});
    /// assert!(!t.is_started());
    /// t.start().unwrap();
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// assert!(t.is_started() && !t.is_alive()); // started once, now stopped
    /// ```
    pub fn is_started(&self) -> bool {
        self.life() != INITIAL
    }

    /// The thread's name (Python's `name` / `getName()`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::{current_thread, main_thread, Thread};
    ///
    /// assert_eq!(main_thread().name(), "MainThread");
    /// let t = Thread::builder().name("reader").target(|| {
    ///     assert_eq!(current_thread().name(), "reader");
    /// });
    /// t.start().unwrap();
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    pub fn name(&self) -> String {
        self.name_arc().to_string()
    }

    /// The name as a shared string, without copying it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use thread_core::Thread;
    ///
    /// let t = Thread::builder().name("a").target(|| {});
    /// let before: Arc<str> = t.name_arc();
    /// t.set_name("b");
    /// assert_eq!(&*before, "a"); // a snapshot: renaming does not change it
    /// assert_eq!(&*t.name_arc(), "b");
    /// ```
    pub fn name_arc(&self) -> Arc<str> {
        lock(&self.inner.name).clone()
    }

    /// Renames the thread (Python's `name = ...` / `setName()`). The new
    /// name is seen at once by `current_thread().name()` and by logging;
    /// when a thread renames itself, its OS thread is renamed too.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::{current_thread, Thread};
    ///
    /// let t = Thread::new(|| {
    ///     current_thread().set_name("renamed");
    ///     assert_eq!(current_thread().name(), "renamed");
    /// });
    /// t.start().unwrap();
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// assert_eq!(t.name(), "renamed"); // every handle sees the new name
    /// ```
    pub fn set_name(&self, name: impl Into<String>) {
        let name: String = name.into();
        if self.is_current() {
            set_os_thread_name(&name);
        }
        *lock(&self.inner.name) = name.into();
    }

    /// Whether the thread is a daemon (Python's `daemon` / `isDaemon()`).
    ///
    /// # Examples
    ///
    /// ```
    /// use thread_core::{main_thread, Thread};
    ///
    /// assert!(!main_thread().is_daemon());
    /// assert!(!Thread::new(|| {}).is_daemon()); // inherited from the main thread
    /// assert!(Thread::builder().daemon(true).target(|| {}).is_daemon());
    /// ```
    pub fn is_daemon(&self) -> bool {
        self.inner.state.load(Ordering::Relaxed) & DAEMON != 0
    }

    /// Sets the daemon flag (Python's `daemon = ...` / `setDaemon()`).
    ///
    /// # Errors
    ///
    /// [`ThreadError::DaemonStatusOfActive`] once the thread has started.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::Thread;
    ///
    /// let t = Thread::new(|| {});
    /// t.set_daemon(true).unwrap();
    /// assert!(t.is_daemon());
    /// t.start().unwrap();
    /// let err = t.set_daemon(false).unwrap_err();
    /// assert_eq!(err.to_string(), "cannot set daemon status of active thread");
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    pub fn set_daemon(&self, daemon: bool) -> Result<(), ThreadError> {
        // One step with the life: a racing `start` sees the new flag, or
        // this call sees the thread started and fails.
        self.inner
            .state
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |s| {
                (s & LIFE == INITIAL).then_some(if daemon { s | DAEMON } else { s & !DAEMON })
            })
            .map(|_| ())
            .map_err(|_| ThreadError::DaemonStatusOfActive)
    }

    /// The life part of the state word.
    #[inline]
    fn life(&self) -> u8 {
        self.inner.state.load(Ordering::Acquire) & LIFE
    }

    /// The thread's identifier (Python's `ident`: `pthread_self` on Unix),
    /// `None` until its OS thread runs.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::Duration;
    /// use thread_core::Thread;
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let t = Thread::new(move || tx.send(thread_core::get_ident()).unwrap());
    /// assert_eq!(t.ident(), None); // no OS thread yet
    /// t.start().unwrap();
    /// assert_eq!(rx.recv_timeout(Duration::from_secs(60)).ok(), t.ident());
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// assert!(t.ident().is_some()); // kept after the thread stops, as in Python
    /// ```
    pub fn ident(&self) -> Option<u64> {
        Some(self.inner.ident.load(Ordering::Acquire)).filter(|&i| i != 0)
    }

    /// The kernel's id of the thread (Python's `native_id`), `None` until
    /// its OS thread runs.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::{current_thread, Thread};
    ///
    /// let t = Thread::new(|| {});
    /// assert_eq!(t.native_id(), None);
    /// t.start().unwrap();
    /// assert!(t.native_id().is_some());
    /// assert_ne!(t.native_id(), current_thread().native_id());
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    pub fn native_id(&self) -> Option<u64> {
        Some(self.inner.native_id.load(Ordering::Acquire)).filter(|&i| i != 0)
    }

    /// A pending timer's interval and when it fires, for the dump.
    pub(crate) fn pending_timer(&self) -> Option<PendingTimer> {
        *lock(&self.inner.timer)
    }

    /// See `__private::note_timer`.
    pub(crate) fn set_pending_timer(&self, timer: Option<PendingTimer>) {
        *lock(&self.inner.timer) = timer;
    }

    /// Whether this is the main thread.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::{current_thread, Thread};
    ///
    /// assert!(current_thread().is_main()); // `main` runs on the main thread
    /// let t = Thread::new(|| assert!(!current_thread().is_main()));
    /// t.start().unwrap();
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    pub fn is_main(&self) -> bool {
        self.inner.kind == Kind::Main
    }

    /// Whether this is a dummy thread: one this library did not start.
    ///
    /// # Examples
    ///
    /// ```
    /// // A thread this library did not start gets a `Dummy-N` handle: a daemon
    /// // that cannot be joined.
    /// let (dummy, daemon, name, err) = std::thread::spawn(|| {
    ///     let me = thread_core::current_thread();
    ///     (me.is_dummy(), me.is_daemon(), me.name(), me.join().unwrap_err())
    /// })
    /// .join()
    /// .unwrap();
    /// assert!(dummy && daemon && name.starts_with("Dummy-"));
    /// assert_eq!(err.to_string(), "cannot join a dummy thread");
    /// assert!(!thread_core::main_thread().is_dummy());
    /// ```
    pub fn is_dummy(&self) -> bool {
        self.inner.kind == Kind::Dummy
    }

    /// Whether this is the calling thread's handle, asked without the
    /// registry: a living thread whose OS thread is the caller's, or the
    /// main thread asked from the main thread before its identity is
    /// recorded. (An ident may be reused once its thread has exited, by
    /// which time that thread is no longer alive.)
    pub(crate) fn is_current(&self) -> bool {
        match self.ident() {
            Some(ident) => ident == crate::ident::get_ident() && self.is_alive(),
            None => self.is_main() && crate::ident::is_os_main_thread(),
        }
    }

    /// Moves `INITIAL → STARTED`; false (and nothing changed) if the thread
    /// had already started or stopped.
    pub(crate) fn mark_started(&self) -> bool {
        // On a started or stopped thread the `fetch_or` changes nothing.
        self.inner.state.fetch_or(STARTED, Ordering::AcqRel) & LIFE == INITIAL
    }

    /// Moves to `STOPPED` and wakes the joiners (see `registry`'s `stop`,
    /// which removes the thread from the registry first).
    pub(crate) fn mark_stopped(&self) {
        // Release: pairs with the Acquire loads of `life`. The daemon bit
        // is kept.
        self.inner.state.fetch_or(STOPPED, Ordering::Release);
        self.inner.finished.complete();
    }

    pub(crate) fn wait_finished(&self) {
        self.inner.finished.wait();
    }

    /// Records the calling OS thread's identity on this handle.
    pub(crate) fn bind_os_thread(&self) {
        self.inner.ident.store(crate::ident::get_ident(), Ordering::Release);
        self.inner.native_id.store(crate::ident::get_native_id(), Ordering::Release);
    }
}
impl PartialEq for Thread {
    fn eq(&self, other: &Thread) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for Thread {}

impl Hash for Thread {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (Arc::as_ptr(&self.inner) as usize).hash(state);
    }
}

impl fmt::Debug for Thread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = match self.inner.kind {
            Kind::Normal => "Thread",
            Kind::Main => "_MainThread",
            Kind::Dummy => "_DummyThread",
        };
        let status = match self.life() {
            INITIAL => "initial",
            STARTED => "started",
            _ => "stopped",
        };
        write!(f, "<{class}({}, {status}", self.name_arc())?;
        if self.is_daemon() {
            f.write_str(" daemon")?;
        }
        if let Some(ident) = self.ident() {
            write!(f, " {ident}")?;
        }
        f.write_str(")>")
    }
}

/// The name given to the OS thread: Python's name without NUL bytes (the
/// OS truncates it, 15 bytes on Linux).
pub(crate) fn os_thread_name(name: &str) -> String {
    name.replace('\0', "")
}

/// Renames the calling OS thread, where the platform allows.
pub(crate) fn set_os_thread_name(name: &str) {
    #[cfg(target_os = "linux")]
    {
        let mut bytes: Vec<u8> = os_thread_name(name).into_bytes();
        let mut end = bytes.len().min(15);
        while end > 0 && std::str::from_utf8(&bytes[..end]).is_err() {
            end -= 1;
        }
        bytes.truncate(end);
        bytes.push(0);
        // SAFETY: `bytes` is NUL-terminated and outlives the call;
        // PR_SET_NAME reads at most 16 bytes.
        unsafe {
            libc::prctl(libc::PR_SET_NAME, bytes.as_ptr() as libc::c_ulong, 0, 0, 0);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = name;
}
