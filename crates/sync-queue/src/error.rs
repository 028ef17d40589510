//! The queue's errors, named after Python's exceptions: `Full`, `Empty`,
//! `ShutDown`, and `task_done`'s `ValueError`.

use std::fmt;

/// Why an item could not be put; it carries the item back.
///
/// Python raises `queue.Full` ([`PutError::Full`]) from `put_nowait` and a
/// timed-out `put`, and `queue.ShutDown` ([`PutError::ShutDown`]) from any
/// `put` once the queue is shut down. A blocking
/// [`put`](crate::OrderedQueue::put) can only fail with `ShutDown`.
///
/// # Examples
///
/// ```
/// use sync_queue::{PutError, Queue};
///
/// let q = Queue::new(1);
/// q.try_put("a").unwrap();
/// let err = q.try_put("b").unwrap_err();
/// assert!(err.is_full());
/// assert_eq!(err.to_string(), "queue is full");
/// assert_eq!(err.into_inner(), "b");
/// q.shutdown(false);
/// assert!(matches!(q.try_put("c"), Err(PutError::ShutDown("c"))));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum PutError<T> {
    /// The queue was full (Python's `queue.Full`).
    Full(T),
    /// The queue is shut down (Python's `queue.ShutDown`).
    ShutDown(T),
}

impl<T> PutError<T> {
    /// The item that was not put.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::Queue::new(1);
    /// q.put(1).unwrap();
    /// assert_eq!(q.try_put(2).unwrap_err().into_inner(), 2);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            PutError::Full(item) | PutError::ShutDown(item) => item,
        }
    }

    /// Whether the queue was full.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::Queue::new(1);
    /// q.put(1).unwrap();
    /// assert!(q.try_put(2).unwrap_err().is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        matches!(self, PutError::Full(_))
    }

    /// Whether the queue was shut down.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::Queue::new(0);
    /// q.shutdown(false);
    /// assert!(q.put(1).unwrap_err().is_shut_down());
    /// ```
    pub fn is_shut_down(&self) -> bool {
        matches!(self, PutError::ShutDown(_))
    }
}

// Not `T: Debug`, so that `unwrap()` works for any item type, as with std's
// `SendError`.
impl<T> fmt::Debug for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PutError::Full(_) => "Full(..)",
            PutError::ShutDown(_) => "ShutDown(..)",
        })
    }
}

impl<T> fmt::Display for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutError::Full(_) => fmt::Display::fmt(&Full, f),
            PutError::ShutDown(_) => fmt::Display::fmt(&ShutDown, f),
        }
    }
}

impl<T> std::error::Error for PutError<T> {}

/// Why no item could be got (Python's `queue.Empty` or `queue.ShutDown`),
/// from [`try_get`](crate::OrderedQueue::try_get) and
/// [`get_timeout`](crate::OrderedQueue::get_timeout).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use sync_queue::{GetError, Queue};
///
/// let q: Queue<i32> = Queue::new(0);
/// assert_eq!(q.try_get(), Err(GetError::Empty));
/// assert_eq!(q.get_timeout(Duration::from_millis(1)), Err(GetError::Empty));
/// q.shutdown(false);
/// assert_eq!(q.try_get().unwrap_err().to_string(), "queue is shut down");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GetError {
    /// No item came (Python's `queue.Empty`).
    Empty,
    /// The queue is shut down and has no items left (Python's
    /// `queue.ShutDown`).
    ShutDown,
}

impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GetError::Empty => fmt::Display::fmt(&Empty, f),
            GetError::ShutDown => fmt::Display::fmt(&ShutDown, f),
        }
    }
}

impl std::error::Error for GetError {}

impl From<Empty> for GetError {
    fn from(_: Empty) -> GetError {
        GetError::Empty
    }
}

impl From<ShutDown> for GetError {
    fn from(_: ShutDown) -> GetError {
        GetError::ShutDown
    }
}

/// Python's `queue.Full` without an item: the [`Display`](fmt::Display) of
/// [`PutError::Full`].
///
/// # Examples
///
/// ```
/// assert_eq!(sync_queue::Full.to_string(), "queue is full");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Full;

impl fmt::Display for Full {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("queue is full")
    }
}

impl std::error::Error for Full {}

/// Python's `queue.Empty`: no item was there (a [`SimpleQueue`](crate::SimpleQueue)'s
/// `try_get` and `get_timeout`).
///
/// # Examples
///
/// ```
/// let q: sync_queue::SimpleQueue<u8> = sync_queue::SimpleQueue::new();
/// assert_eq!(q.try_get(), Err(sync_queue::Empty));
/// assert_eq!(sync_queue::Empty.to_string(), "queue is empty");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Empty;

impl fmt::Display for Empty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("queue is empty")
    }
}

impl std::error::Error for Empty {}

/// Python's `queue.ShutDown`: the queue is shut down and, for a get, has no
/// items left (a blocking [`get`](crate::OrderedQueue::get)'s error).
///
/// # Examples
///
/// ```
/// let q: sync_queue::Queue<u8> = sync_queue::Queue::new(0);
/// q.shutdown(false);
/// assert_eq!(q.get(), Err(sync_queue::ShutDown));
/// assert_eq!(sync_queue::ShutDown.to_string(), "queue is shut down");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ShutDown;

impl fmt::Display for ShutDown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("queue is shut down")
    }
}

impl std::error::Error for ShutDown {}

/// [`task_done`](crate::OrderedQueue::task_done) called more times than items
/// were put (Python raises `ValueError('task_done() called too many
/// times')`).
///
/// # Examples
///
/// ```
/// let q: sync_queue::Queue<u8> = sync_queue::Queue::new(0);
/// let err = q.task_done().unwrap_err();
/// assert_eq!(err.to_string(), "task_done() called too many times");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TaskDoneError;

impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task_done() called too many times")
    }
}

impl std::error::Error for TaskDoneError {}
