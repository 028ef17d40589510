//! `excepthook`: what happens when a thread's target panics.
//!
//! The target runs under `catch_unwind`, so the other threads go on and
//! `join()` returns the panic as an error. The panic is reported once, by
//! the excepthook: the default prints the thread's name, where it panicked
//! and the message to stderr, as Python prints a traceback. To keep that
//! report single, a process-wide panic hook (installed when the first thread
//! starts, chaining to the previous one) stays silent for panics inside a
//! target and only records their location.

use crate::panics::{catching, payload_text, take_location};
use crate::thread::Thread;
use std::fmt;
use std::sync::{Arc, RwLock};

/// What the excepthook is told about a thread whose target panicked
/// (Python's `threading.ExceptHookArgs`).
///
/// # Examples
///
/// ```
/// use std::sync::mpsc;
/// use std::time::Duration;
///
/// let (tx, rx) = mpsc::channel();
/// thread_core::set_excepthook(move |args| tx.send(args.to_string()).unwrap());
/// let t = thread_core::Thread::builder().name("w").target(|| panic!("boom"));
/// t.start().unwrap();
/// assert!(t.join_timeout(Duration::from_secs(60)).is_err()); // the panic, as an error
/// let report = rx.recv_timeout(Duration::from_secs(60)).unwrap();
/// assert!(report.starts_with("Exception in thread w:\npanicked at ") && report.ends_with(":\nboom\n"));
/// thread_core::reset_excepthook();
/// ```
#[derive(Debug)]
pub struct ExceptHookArgs {
    thread: Thread,
    message: String,
    location: Option<String>,
}

impl ExceptHookArgs {
    /// The thread whose target panicked.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::Duration;
    ///
    /// let (tx, rx) = mpsc::channel();
    /// thread_core::set_excepthook(move |args| tx.send(args.thread()).unwrap());
    /// let t = thread_core::Thread::new(|| panic!("boom"));
    /// t.start().unwrap();
    /// assert!(t.join_timeout(Duration::from_secs(60)).is_err());
    /// assert_eq!(rx.recv_timeout(Duration::from_secs(60)), Ok(t)); // the same thread
    /// thread_core::reset_excepthook();
    /// ```
    pub fn thread(&self) -> Thread {
        self.thread.clone()
    }

    /// The panic payload as text: the message of `panic!("...")` (a bare
    /// `panic!()` gives `"explicit panic"`); a payload that is neither
    /// `&str` nor `String`, as from `std::panic::panic_any(7)`, reads
    /// `"Box<dyn Any>"`, as std's own panic message does.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::Duration;
    /// use thread_core::Thread;
    ///
    /// let (tx, rx) = mpsc::channel();
    /// thread_core::set_excepthook(move |args| tx.send(args.message().to_owned()).unwrap());
    /// for t in [Thread::new(|| panic!("code {}", 7)), Thread::new(|| std::panic::panic_any(7))] {
    ///     t.start().unwrap();
    ///     assert!(t.join_timeout(Duration::from_secs(60)).is_err());
    /// }
    /// assert_eq!(rx.recv_timeout(Duration::from_secs(60)).unwrap(), "code 7");
    /// assert_eq!(rx.recv_timeout(Duration::from_secs(60)).unwrap(), "Box<dyn Any>");
    /// thread_core::reset_excepthook();
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the panic happened (`file:line:column`), when known.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::Duration;
    ///
    /// let (tx, rx) = mpsc::channel();
    /// thread_core::set_excepthook(move |args| tx.send(args.location().map(str::to_owned)).unwrap());
    /// let t = thread_core::Thread::new(|| panic!("boom"));
    /// t.start().unwrap();
    /// assert!(t.join_timeout(Duration::from_secs(60)).is_err());
    /// let at = rx.recv_timeout(Duration::from_secs(60)).unwrap().expect("a panic! has a location");
    /// let mut parts = at.rsplitn(3, ':'); // file:line:column
    /// assert!(parts.next().unwrap().parse::<u32>().is_ok() && parts.next().unwrap().parse::<u32>().is_ok());
    /// thread_core::reset_excepthook();
    /// ```
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }
}

type Hook = Arc<dyn Fn(&ExceptHookArgs) + Send + Sync + 'static>;

static HOOK: RwLock<Option<Hook>> = RwLock::new(None);

/// Replaces the excepthook (Python's `threading.excepthook = f`): `hook` is
/// called, on the thread that panicked, once for every target that panics.
///
/// # Examples
///
/// ```
/// use std::sync::{Arc, Mutex};
///
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let s = seen.clone();
/// thread_core::set_excepthook(move |args| {
///     s.lock().unwrap().push(format!("{}: {}", args.thread().name(), args.message()));
/// });
/// let t = thread_core::Thread::builder().name("boom").target(|| panic!("oops"));
/// t.start().unwrap();
/// assert!(t.join().is_err());
/// assert_eq!(*seen.lock().unwrap(), ["boom: oops"]);
/// thread_core::reset_excepthook();
/// ```
pub fn set_excepthook(hook: impl Fn(&ExceptHookArgs) + Send + Sync + 'static) {
    *HOOK.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(hook));
}

/// Puts the default excepthook back (Python's
/// `threading.excepthook = threading.__excepthook__`).
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::time::Duration;
///
/// static CALLS: AtomicUsize = AtomicUsize::new(0);
/// thread_core::set_excepthook(|_| drop(CALLS.fetch_add(1, Ordering::SeqCst)));
/// let fail = || {
///     let t = thread_core::Thread::new(|| panic!("boom"));
///     t.start().unwrap();
///     assert!(t.join_timeout(Duration::from_secs(60)).is_err());
/// };
/// fail();
/// thread_core::reset_excepthook();
/// fail(); // reported by the default hook, on stderr
/// assert_eq!(CALLS.load(Ordering::SeqCst), 1);
/// ```
pub fn reset_excepthook() {
    *HOOK.write().unwrap_or_else(|e| e.into_inner()) = None;
}

/// The default excepthook: prints, as one write to stderr,
///
/// ```text
/// Exception in thread worker:
/// panicked at src/main.rs:7:5:
/// boom
/// ```
///
/// A failed write to stderr is ignored (Python's hook does nothing when
/// there is no stderr), so the hook never panics.
///
/// # Examples
///
/// ```
/// // A custom hook that adds a line of its own, then prints the default text.
/// thread_core::set_excepthook(|args| {
///     eprintln!("[worker failed]");
///     thread_core::default_excepthook(args);
/// });
/// # thread_core::reset_excepthook();
/// ```
pub fn default_excepthook(args: &ExceptHookArgs) {
    use std::io::Write;
    // One `write_all` of the whole text: stderr is unbuffered, so the
    // report is one write and does not interleave with other threads'.
    let _ = std::io::stderr().lock().write_all(args.to_string().as_bytes());
}

impl fmt::Display for ExceptHookArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Exception in thread {}:", self.thread.name_arc())?;
        match &self.location {
            Some(at) => writeln!(f, "panicked at {at}:")?,
            None => writeln!(f, "panicked:")?,
        }
        writeln!(f, "{}", self.message)
    }
}

/// Reports a panicked target to the excepthook.
///
/// A custom hook that panics in turn is reported as Python reports an
/// exception raised by `threading.excepthook`: `Exception in
/// threading.excepthook:` and then the hook's own panic, in the default
/// format (Rust's panic message for it is silenced, as for targets).
pub(crate) fn report(thread: &Thread, message: String) {
    let location = take_location();
    let args = ExceptHookArgs { thread: thread.clone(), message, location };
    let hook = HOOK.read().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(hook) = hook else {
        default_excepthook(&args);
        return;
    };
    let result = catching(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| hook(&args))));
    if let Err(payload) = result {
        let hook_failure =
            ExceptHookArgs { thread: thread.clone(), message: payload_text(&*payload), location: take_location() };
        let text = format!("Exception in threading.excepthook:\n{hook_failure}");
        use std::io::Write;
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
        // A payload whose `drop` panics must not escape the report.
        catching(|| drop(std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(payload)))));
    }
}
