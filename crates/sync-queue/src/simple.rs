//! `SimpleQueue<T>`: Python's `queue.SimpleQueue`, unbounded and without
//! task tracking.

use crate::error::{Empty, GetError};
use crate::order::Fifo;
use crate::queue::OrderedQueue;
use std::fmt;
use std::time::Duration;

/// An unbounded first-in first-out queue without task tracking or shutdown
/// (Python's `queue.SimpleQueue`): `put` never blocks and never fails.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use sync_queue::SimpleQueue;
///
/// let q = Arc::new(SimpleQueue::new());
/// let q2 = Arc::clone(&q);
/// let producer = std::thread::spawn(move || {
///     for n in 0..3 {
///         q2.put(n);
///     }
/// });
/// let got: Vec<i32> = (0..3).map(|_| q.get()).collect();
/// producer.join().unwrap();
/// assert_eq!(got, [0, 1, 2]);
/// ```
pub struct SimpleQueue<T> {
    /// Never bounded and never shut down, so its put and get cannot fail;
    /// its unfinished-task count is never read.
    inner: OrderedQueue<T, Fifo<T>>,
}

impl<T> SimpleQueue<T> {
    /// An empty queue (Python's `queue.SimpleQueue()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let q: sync_queue::SimpleQueue<String> = sync_queue::SimpleQueue::new();
    /// assert!(q.empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        SimpleQueue { inner: OrderedQueue::<T, Fifo<T>>::new(0) }
    }

    /// Puts `item`; never blocks (Python's `put(item)` and `put_nowait`).
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::SimpleQueue::new();
    /// q.put(1);
    /// assert_eq!(q.qsize(), 1);
    /// ```
    #[track_caller]
    pub fn put(&self, item: T) {
        if self.inner.put(item).is_err() {
            unreachable!("a SimpleQueue is never shut down");
        }
    }

    /// Removes and returns the next item, waiting until there is one
    /// (Python's `get()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::SimpleQueue::new();
    /// q.put("a");
    /// assert_eq!(q.get(), "a");
    /// ```
    #[track_caller]
    pub fn get(&self) -> T {
        match self.inner.get() {
            Ok(item) => item,
            Err(_) => unreachable!("a SimpleQueue is never shut down"),
        }
    }

    /// Removes and returns the next item, waiting at most `timeout` for one
    /// (Python's `get(timeout=t)`).
    ///
    /// # Errors
    ///
    /// [`Empty`] if no item came in time.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let q: sync_queue::SimpleQueue<u8> = sync_queue::SimpleQueue::new();
    /// assert_eq!(q.get_timeout(Duration::from_millis(5)), Err(sync_queue::Empty));
    /// ```
    #[track_caller]
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, Empty> {
        Self::only_empty(self.inner.get_timeout(timeout))
    }

    /// Removes and returns the next item if there is one now (Python's
    /// `get_nowait`).
    ///
    /// # Errors
    ///
    /// [`Empty`] if there is none.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::SimpleQueue::new();
    /// q.put(1);
    /// assert_eq!(q.try_get(), Ok(1));
    /// assert!(q.try_get().is_err());
    /// ```
    pub fn try_get(&self) -> Result<T, Empty> {
        Self::only_empty(self.inner.try_get())
    }

    fn only_empty(r: Result<T, GetError>) -> Result<T, Empty> {
        match r {
            Ok(item) => Ok(item),
            Err(GetError::Empty) => Err(Empty),
            Err(GetError::ShutDown) => unreachable!("a SimpleQueue is never shut down"),
        }
    }

    /// How many items are in the queue now (Python's `qsize()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::SimpleQueue::new();
    /// q.put(());
    /// q.put(());
    /// assert_eq!(q.qsize(), 2);
    /// ```
    pub fn qsize(&self) -> usize {
        self.inner.qsize()
    }

    /// Whether the queue is empty now (Python's `empty()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::SimpleQueue::new();
    /// assert!(q.empty());
    /// q.put(0);
    /// assert!(!q.empty());
    /// ```
    pub fn empty(&self) -> bool {
        self.inner.empty()
    }
}

impl<T> Default for SimpleQueue<T> {
    /// An empty queue.
    ///
    /// # Examples
    ///
    /// ```
    /// let q: sync_queue::SimpleQueue<u8> = Default::default();
    /// assert!(q.empty());
    /// ```
    fn default() -> Self {
        SimpleQueue::new()
    }
}

impl<T> fmt::Debug for SimpleQueue<T> {
    /// Shows the size (unless another thread holds the lock right now).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SimpleQueue").field(&self.inner).finish()
    }
}
