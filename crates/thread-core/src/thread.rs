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
//! `start()` moves `INITIAL → STARTED` with one atomic `fetch_or` (a second
//! call fails: "threads can only be started once"), registers the thread,
//! spawns the OS thread and waits until it runs. The OS thread runs the
//! target under `catch_unwind`, reports a panic to the excepthook, leaves
//! the registry, moves to `STOPPED` and completes `finished`, which is what
//! `join` waits for. So a thread whose `join()` has returned is never
//! listed.

use crate::clock::Deadline;
use crate::completion::Completion;
use crate::excepthook;
use crate::registry;
use crate::target::{Holder, Kind as DumpKind, Target as DumpTarget, WaitTarget};
use crate::wait::WaitAs;
use std::any::Any;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::io;
use std::panic::{self, AssertUnwindSafe, Location};
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

type Target = Box<dyn FnOnce() + Send + 'static>;

pub(crate) struct Inner {
    pub(crate) kind: Kind,
    name: Mutex<Arc<str>>,
    /// The life (`INITIAL`, `STARTED`, `STOPPED`) and the `DAEMON` flag.
    state: AtomicU8,
    /// pthread_self of the running thread; 0 = not known yet.
    ident: AtomicU64,
    /// The kernel's thread id; 0 = not known yet.
    native_id: AtomicU64,
    stack_size: Option<usize>,
    target: Mutex<Option<Target>>,
    /// The thread's name and the panic message of a target that panicked.
    panic: Mutex<Option<(String, String)>>,
    /// That target's panic payload until the first join takes it.
    payload: Mutex<Payload>,
    /// Set by the new OS thread once it runs (what `start()` waits for).
    running: Completion,
    /// Set once the thread has stopped and left the registry.
    finished: Completion,
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
struct Payload(Option<Box<dyn Any + Send + 'static>>);

impl Drop for Payload {
    fn drop(&mut self) {
        if let Some(payload) = self.0.take() {
            excepthook::catching(|| drop(panic::catch_unwind(AssertUnwindSafe(move || drop(payload)))));
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
    name: Option<String>,
    daemon: Option<bool>,
    stack_size: Option<usize>,
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

    /// Makes the thread, not started, that will run `f`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::Duration;
    /// use thread_core::Builder;
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let t = Builder::new().name("sum").target(move || tx.send((1..=10).sum::<u32>()).unwrap());
    /// assert!(!t.is_alive()); // made, not started
    /// t.start().unwrap();
    /// assert_eq!(rx.recv_timeout(Duration::from_secs(60)), Ok(55));
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    #[must_use]
    pub fn target<F: FnOnce() + Send + 'static>(self, f: F) -> Thread {
        let name = self.name.unwrap_or_else(|| registry::new_name("Thread"));
        let daemon = self.daemon.unwrap_or_else(|| crate::current_thread().is_daemon());
        Thread::make(Kind::Normal, name, daemon, self.stack_size, Some(Box::new(f)))
    }

    /// Makes the thread, not started, that will call `obj.run()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::Duration;
    /// use thread_core::{Builder, Runnable};
    ///
    /// struct Double(u32, mpsc::Sender<u32>);
    /// impl Runnable for Double {
    ///     fn run(self) {
    ///         self.1.send(self.0 * 2).unwrap();
    ///     }
    /// }
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let t = Builder::new().name("doubler").runnable(Double(21, tx));
    /// t.start().unwrap();
    /// assert_eq!(rx.recv_timeout(Duration::from_secs(60)), Ok(42));
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    #[must_use]
    pub fn runnable<R: Runnable>(self, obj: R) -> Thread {
        self.target(move || obj.run())
    }
}

impl Thread {
    /// A thread, not started, that will run `f` (Python's
    /// `Thread(target=f)`), named `Thread-N` and with the daemon flag of
    /// the calling thread.
    ///
    /// # Examples
    ///
    /// ```
    /// use thread_core::Thread;
    ///
    /// // Unnamed threads are numbered in the order they are made, as in Python.
    /// let a = Thread::new(|| {});
    /// let b = Thread::new(|| {});
    /// assert_eq!(a.name(), "Thread-1");
    /// assert_eq!(b.name(), "Thread-2");
    /// assert!(!a.is_daemon()); // the main thread's flag
    /// assert!(!a.is_started());
    /// ```
    #[must_use]
    pub fn new<F: FnOnce() + Send + 'static>(f: F) -> Thread {
        Builder::new().target(f)
    }

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

    /// A thread, not started, that will call `obj.run()` (Python's
    /// `Thread` subclass overriding `run`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::{current_thread, Runnable, Thread};
    ///
    /// struct Check;
    /// impl Runnable for Check {
    ///     fn run(self) {
    ///         assert!(current_thread().name().starts_with("Thread-"));
    ///     }
    /// }
    ///
    /// let t = Thread::from_runnable(Check);
    /// t.start().unwrap();
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    #[must_use]
    pub fn from_runnable<R: Runnable>(obj: R) -> Thread {
        Builder::new().runnable(obj)
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

    /// Starts the thread (Python's `start()`): registers it, so that
    /// `enumerate()` lists it, creates the OS thread (named after this
    /// thread) and returns once that thread is running.
    ///
    /// # Errors
    ///
    /// [`ThreadError::AlreadyStarted`] on a second call ("threads can only
    /// be started once"), [`ThreadError::Spawn`] if the OS has no thread to
    /// give.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::Thread;
    ///
    /// let t = Thread::new(|| {});
    /// t.start().unwrap();
    /// assert!(t.ident().is_some()); // `start` returned once the OS thread ran
    /// assert_eq!(t.start().unwrap_err().to_string(), "threads can only be started once");
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    pub fn start(&self) -> Result<(), ThreadError> {
        self.start_deferred()?.launch_with(true)
    }

    /// Starts the thread as far as Python can see — it is alive, listed by
    /// `enumerate()` and holds the process at exit unless it is a daemon —
    /// but creates no OS thread yet: [`DeferredStart::launch`] does that
    /// later, or [`DeferredStart::abandon`] stops the thread without running
    /// its target. This is how a pending `Timer` is a thread without costing
    /// an OS thread.
    ///
    /// # Errors
    ///
    /// [`ThreadError::AlreadyStarted`] on a second start.
    ///
    /// # Examples
    ///
    /// ```
    /// use thread_core::Thread;
    ///
    /// let t = Thread::new(|| {});
    /// let pending = t.start_deferred().unwrap();
    /// assert!(t.is_alive());
    /// assert!(thread_core::enumerate().contains(&t));
    /// pending.abandon();
    /// assert!(!t.is_alive());
    /// t.join().unwrap();
    /// ```
    pub fn start_deferred(&self) -> Result<DeferredStart, ThreadError> {
        // On a started or stopped thread the `fetch_or` changes nothing.
        if self.inner.kind != Kind::Normal || self.inner.state.fetch_or(STARTED, Ordering::AcqRel) & LIFE != INITIAL {
            return Err(ThreadError::AlreadyStarted);
        }
        registry::register(self);
        Ok(DeferredStart { thread: Some(self.clone()) })
    }

    /// Waits until the thread has finished (Python's `join()`).
    ///
    /// # Errors
    ///
    /// [`ThreadError::NotStarted`], [`ThreadError::JoinCurrent`],
    /// [`ThreadError::JoinDummy`], and [`ThreadError::Panicked`] when the
    /// target panicked (with its message; the first join to see the panic
    /// also gets its payload, see [`ThreadError::into_panic`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::{Thread, ThreadError};
    ///
    /// let t = Thread::new(|| std::thread::sleep(Duration::from_millis(20)));
    /// assert_eq!(t.join().unwrap_err().to_string(), "cannot join thread before it is started");
    /// t.start().unwrap();
    /// t.join().unwrap();
    /// assert!(!t.is_alive() && !thread_core::enumerate().contains(&t));
    ///
    /// let bad = Thread::builder().name("bad").target(|| panic!("boom"));
    /// bad.start().unwrap();
    /// assert_eq!(bad.join(), Err(ThreadError::Panicked { thread: "bad".into(), message: "boom".into(), payload: None }));
    /// ```
    #[track_caller]
    pub fn join(&self) -> Result<(), ThreadError> {
        self.join_until(Deadline::NEVER, "join", Location::caller()).map(|_| ())
    }

    /// Waits at most `timeout` for the thread to finish (Python's
    /// `join(timeout)` followed by `is_alive()`): `Ok(true)` if it has
    /// finished, `Ok(false)` if it is still running. Any `Duration` works;
    /// `Duration::MAX` waits for ever.
    ///
    /// # Errors
    ///
    /// As [`join`](Self::join).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::{Duration, Instant};
    /// use thread_core::Thread;
    ///
    /// let (tx, rx) = mpsc::channel::<()>();
    /// let t = Thread::new(move || drop(rx.recv_timeout(Duration::from_secs(60))));
    /// t.start().unwrap();
    /// let begun = Instant::now();
    /// assert_eq!(t.join_timeout(Duration::from_millis(100)), Ok(false)); // timed out
    /// assert!(begun.elapsed() >= Duration::from_millis(60) && begun.elapsed() <= Duration::from_secs(1));
    /// assert!(t.is_alive()); // still running
    /// drop(tx); // lets it finish
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    #[must_use = "`Ok(false)` means the thread is still running"]
    #[track_caller]
    pub fn join_timeout(&self, timeout: Duration) -> Result<bool, ThreadError> {
        self.join_until(Deadline::after(timeout), "join", Location::caller())
    }

    fn join_until(
        &self,
        deadline: Deadline,
        op: &'static str,
        site: &'static Location<'static>,
    ) -> Result<bool, ThreadError> {
        if self.life() == INITIAL {
            return Err(ThreadError::NotStarted);
        }
        // Python's `_DummyThread.join` refuses before anything else, even
        // when a dummy thread joins itself.
        if self.inner.kind == Kind::Dummy {
            return Err(ThreadError::JoinDummy);
        }
        if *self == crate::current_thread() {
            return Err(ThreadError::JoinCurrent);
        }
        if !self.inner.finished.wait_until_as(deadline, Some(WaitAs::new(&*self.inner, op, site))) {
            return Ok(false);
        }
        match lock(&self.inner.panic).as_ref() {
            Some((thread, message)) => Err(ThreadError::Panicked {
                thread: thread.clone(),
                message: message.clone(),
                payload: lock(&self.inner.payload).0.take().map(|p| PanicPayload(Mutex::new(p))),
            }),
            None => Ok(true),
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
        if *self == crate::current_thread() {
            registry::set_os_thread_name(&name);
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

    pub(crate) fn wait_finished(&self) {
        self.inner.finished.wait();
    }

    /// Records the calling OS thread's identity on this handle.
    pub(crate) fn bind_os_thread(&self) {
        self.inner.ident.store(crate::ident::get_ident(), Ordering::Release);
        self.inner.native_id.store(crate::ident::get_native_id(), Ordering::Release);
    }

    /// Marks the thread stopped, removes it from the registry and wakes its
    /// joiners (in that order: a joined thread is never listed).
    pub(crate) fn stop(&self) {
        registry::unregister(self);
        // Release: pairs with the Acquire loads of `life`. The daemon bit
        // is kept.
        self.inner.state.fetch_or(STOPPED, Ordering::Release);
        self.inner.finished.complete();
    }

    fn launch(&self, wait_running: bool) -> Result<(), ThreadError> {
        let target = lock(&self.inner.target).take();
        let me = self.clone();
        let mut b = std::thread::Builder::new().name(registry::os_thread_name(&self.name()));
        if let Some(size) = self.inner.stack_size {
            b = b.stack_size(size);
        }
        excepthook::install_panic_hook();
        match b.spawn(move || me.run(target)) {
            Ok(handle) => {
                // Detached, as Python's threads are: `join` waits on
                // `finished`, not on the OS thread.
                drop(handle);
                if wait_running {
                    self.inner.running.wait();
                }
                Ok(())
            }
            Err(e) => {
                self.stop();
                Err(ThreadError::Spawn(e))
            }
        }
    }

    /// The body of every OS thread this library starts.
    fn run(self, target: Option<Target>) {
        /// Stops the thread however `run` ends: even if dropping a panic
        /// payload panics in turn, joiners and the exit wait are released.
        struct StopOnDrop<'a>(&'a Thread);
        impl Drop for StopOnDrop<'_> {
            fn drop(&mut self) {
                self.0.stop();
            }
        }

        self.bind_os_thread();
        registry::set_current(self.clone());
        let _stop = StopOnDrop(&self);
        self.inner.running.complete();
        if let Some(target) = target {
            let result = excepthook::catching(|| panic::catch_unwind(AssertUnwindSafe(target)));
            if let Err(payload) = result {
                let message = excepthook::payload_text(&*payload);
                *lock(&self.inner.panic) = Some((self.name(), message.clone()));
                excepthook::report(&self, message);
                // Kept for the first join; if none takes it, `Payload`'s
                // drop contains a payload whose `drop` panics.
                lock(&self.inner.payload).0 = Some(payload);
            }
        }
    }
}

/// A thread started by [`Thread::start_deferred`] whose OS thread does not
/// exist yet. Dropping it abandons the thread.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use thread_core::Thread;
///
/// let t = Thread::new(|| {});
/// let pending = t.start_deferred().unwrap();
/// assert!(t.is_alive() && t.ident().is_none()); // alive, but no OS thread yet
/// pending.launch().unwrap();
/// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
///
/// let u = Thread::new(|| unreachable!("an abandoned thread never runs"));
/// drop(u.start_deferred().unwrap()); // dropping abandons
/// assert_eq!(u.join_timeout(Duration::from_secs(60)), Ok(true));
/// ```
#[must_use = "a deferred start is abandoned when dropped"]
#[derive(Debug)]
pub struct DeferredStart {
    thread: Option<Thread>,
}

impl DeferredStart {
    /// The thread this start belongs to.
    ///
    /// # Examples
    ///
    /// ```
    /// use thread_core::Thread;
    ///
    /// let t = Thread::builder().name("timer").target(|| {});
    /// let pending = t.start_deferred().unwrap();
    /// assert_eq!(pending.thread(), &t);
    /// assert_eq!(pending.thread().name(), "timer");
    /// pending.abandon();
    /// ```
    pub fn thread(&self) -> &Thread {
        self.thread.as_ref().expect("a DeferredStart holds its thread until consumed")
    }

    /// Creates the OS thread and runs the target on it; returns without
    /// waiting for it to run.
    ///
    /// # Errors
    ///
    /// [`ThreadError::Spawn`] if the OS has no thread to give (the thread
    /// is then stopped).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::Duration;
    /// use thread_core::{current_thread, Thread};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let t = Thread::builder().name("later").target(move || tx.send(current_thread().name()).unwrap());
    /// let pending = t.start_deferred().unwrap();
    /// pending.launch().unwrap();
    /// assert_eq!(rx.recv_timeout(Duration::from_secs(60)).unwrap(), "later");
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    pub fn launch(self) -> Result<(), ThreadError> {
        self.launch_with(false)
    }

    /// Stops the thread without running its target: it leaves the registry,
    /// is no longer alive, and its joiners return `Ok`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::Thread;
    ///
    /// let t = Thread::new(|| unreachable!("an abandoned thread never runs its target"));
    /// t.start_deferred().unwrap().abandon();
    /// assert!(!t.is_alive() && !thread_core::enumerate().contains(&t));
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true)); // no panic: it never ran
    /// assert_eq!(t.start().unwrap_err().to_string(), "threads can only be started once");
    /// ```
    pub fn abandon(mut self) {
        self.abandon_inner();
    }

    fn abandon_inner(&mut self) {
        if let Some(t) = self.thread.take() {
            drop(lock(&t.inner.target).take());
            t.stop();
        }
    }

    fn launch_with(mut self, wait_running: bool) -> Result<(), ThreadError> {
        self.thread.take().expect("not yet consumed").launch(wait_running)
    }
}

impl Drop for DeferredStart {
    fn drop(&mut self) {
        self.abandon_inner();
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
