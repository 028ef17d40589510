//! The errors, in Python's words.

use std::fmt;

/// The pool can no longer run tasks because a worker's initializer panicked
/// (Python's `concurrent.futures.thread.BrokenThreadPool`).
///
/// Its message is Python's: "A thread initializer failed, the thread pool is
/// not usable anymore".
///
/// # Examples
///
/// ```
/// use executor::{FutureError, SubmitError, ThreadPoolExecutor};
///
/// let ex = ThreadPoolExecutor::builder().max_workers(1).initializer(|| panic!("no database")).build();
/// let f = ex.submit(|| 1).unwrap();
/// assert!(matches!(f.result(), Err(FutureError::Broken(_))));
/// let e = ex.submit(|| 2).unwrap_err();
/// assert_eq!(e.to_string(), "A thread initializer failed, the thread pool is not usable anymore");
/// assert!(matches!(e, SubmitError::Broken(_)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BrokenThreadPool;

impl fmt::Display for BrokenThreadPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("A thread initializer failed, the thread pool is not usable anymore")
    }
}

impl std::error::Error for BrokenThreadPool {}

/// Why [`submit`](crate::ThreadPoolExecutor::submit) (or
/// [`map`](crate::ThreadPoolExecutor::map)) refused a task; Python raises
/// these from `submit`.
///
/// # Examples
///
/// ```
/// use executor::{SubmitError, ThreadPoolExecutor};
///
/// let ex = ThreadPoolExecutor::new(1);
/// ex.shutdown(true, false);
/// let e = ex.submit(|| 1).unwrap_err();
/// assert_eq!(e, SubmitError::Shutdown);
/// assert_eq!(e.to_string(), "cannot schedule new futures after shutdown");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitError {
    /// [`shutdown`](crate::ThreadPoolExecutor::shutdown) was called (or the
    /// executor is being dropped): Python's `RuntimeError('cannot schedule
    /// new futures after shutdown')`.
    Shutdown,
    /// The process is exiting (`main` has returned): Python's
    /// `RuntimeError('cannot schedule new futures after interpreter
    /// shutdown')`.
    InterpreterShutdown,
    /// A worker's initializer panicked: [`BrokenThreadPool`].
    Broken(BrokenThreadPool),
}

impl fmt::Display for SubmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubmitError::Shutdown => f.write_str("cannot schedule new futures after shutdown"),
            SubmitError::InterpreterShutdown => f.write_str("cannot schedule new futures after interpreter shutdown"),
            SubmitError::Broken(b) => b.fmt(f),
        }
    }
}

impl std::error::Error for SubmitError {}

/// Why a [`Future`](crate::Future) has no value to give: Python's
/// `result()` raises these.
///
/// # Examples
///
/// ```
/// use executor::{FutureError, ThreadPoolExecutor};
///
/// let ex = ThreadPoolExecutor::new(1);
/// let f = ex.submit(|| -> u32 { panic!("division by zero") }).unwrap();
/// let e = f.result().unwrap_err();
/// assert_eq!(e, FutureError::Panicked("division by zero".to_owned()));
/// assert_eq!(e.to_string(), "division by zero");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FutureError {
    /// The future was cancelled before it ran (Python's `CancelledError`).
    Cancelled,
    /// The timeout passed before the future finished (Python's
    /// `TimeoutError`); the future goes on and may still finish.
    TimedOut,
    /// The task panicked; the panic's message (Python re-raises the task's
    /// exception, whose text is this).
    Panicked(String),
    /// The pool broke before the task ran: [`BrokenThreadPool`].
    Broken(BrokenThreadPool),
    /// [`into_result`](crate::Future::into_result) was called while other
    /// handles of the same future exist, so the value cannot be moved out;
    /// [`result`](crate::Future::result) borrows it instead.
    Shared,
}

impl fmt::Display for FutureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FutureError::Cancelled => f.write_str("the future was cancelled"),
            FutureError::TimedOut => f.write_str("timed out"),
            FutureError::Panicked(msg) => f.write_str(msg),
            FutureError::Broken(b) => b.fmt(f),
            FutureError::Shared => f.write_str("the result is shared by other handles of this future; use result()"),
        }
    }
}

impl std::error::Error for FutureError {}

/// [`as_completed`](crate::as_completed)'s timeout passed with futures
/// unfinished (Python's `TimeoutError('%d (of %d) futures unfinished')`).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use executor::{as_completed, ThreadPoolExecutor};
///
/// let ex = ThreadPoolExecutor::new(1);
/// let gate = std::sync::Arc::new(sync_event::Event::new());
/// let g = gate.clone();
/// let slow = ex.submit(move || g.wait()).unwrap();
/// let mut it = as_completed([&slow], Some(Duration::from_millis(20)));
/// let e = it.next().unwrap().unwrap_err();
/// assert_eq!(e.to_string(), "1 (of 1) futures unfinished");
/// gate.set();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnfinishedError {
    /// How many futures had not finished.
    pub unfinished: usize,
    /// How many futures were given.
    pub total: usize,
}

impl fmt::Display for UnfinishedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (of {}) futures unfinished", self.unfinished, self.total)
    }
}

impl std::error::Error for UnfinishedError {}
