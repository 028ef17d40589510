//! The orders a [`Queue`](crate::Queue) can keep its items in: first in
//! first out, last in first out, smallest first.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;

/// How a queue stores its items and which one it hands out next (Python's
/// `_init`, `_put`, `_get`, `_qsize` overrides). Implemented by [`Fifo`],
/// [`Lifo`] and [`Priority`] only.
#[allow(unreachable_pub)] // public in a private module: nameable in bounds only
pub trait Order<T>: Default + fmt::Debug {
    /// Adds an item.
    fn push(&mut self, item: T);
    /// Removes the next item, if any.
    fn pop(&mut self) -> Option<T>;
    /// How many items it holds.
    fn len(&self) -> usize;
    /// Whether a bounded queue of this order may keep its items in the
    /// lock-free ring (first in, first out only).
    const RING: bool = false;
}

/// First in, first out: the order of a [`Queue`](crate::Queue) (Python's
/// `queue.Queue`, a `deque`).
///
/// # Examples
///
/// ```
/// use sync_queue::{Fifo, OrderedQueue};
///
/// let q = OrderedQueue::<i32, Fifo<i32>>::new(0);
/// q.put(1).unwrap();
/// q.put(2).unwrap();
/// assert_eq!(q.get(), Ok(1));
/// ```
pub struct Fifo<T>(VecDeque<T>);

/// Last in, first out: the order of a [`LifoQueue`](crate::LifoQueue)
/// (Python's `queue.LifoQueue`, a stack).
///
/// # Examples
///
/// ```
/// use sync_queue::{Lifo, OrderedQueue};
///
/// let q = OrderedQueue::<i32, Lifo<i32>>::new(0);
/// q.put(1).unwrap();
/// q.put(2).unwrap();
/// assert_eq!(q.get(), Ok(2));
/// ```
pub struct Lifo<T>(Vec<T>);

/// Smallest first: the order of a [`PriorityQueue`](crate::PriorityQueue)
/// (Python's `queue.PriorityQueue`, a `heapq` min-heap). Equal items come
/// out in no particular order, as with `heapq`: put `(priority, sequence,
/// item)` tuples for a stable order.
///
/// # Examples
///
/// ```
/// use sync_queue::{Priority, OrderedQueue};
///
/// let q = OrderedQueue::<i32, Priority<i32>>::new(0);
/// q.put(3).unwrap();
/// q.put(1).unwrap();
/// assert_eq!(q.get(), Ok(1));
/// ```
pub struct Priority<T>(BinaryHeap<Reverse<T>>);

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Fifo(VecDeque::new())
    }
}

impl<T> Default for Lifo<T> {
    fn default() -> Self {
        Lifo(Vec::new())
    }
}

impl<T: Ord> Default for Priority<T> {
    fn default() -> Self {
        Priority(BinaryHeap::new())
    }
}

impl<T> Order<T> for Fifo<T> {
    const RING: bool = true;
    #[inline]
    fn push(&mut self, item: T) {
        self.0.push_back(item);
    }
    #[inline]
    fn pop(&mut self) -> Option<T> {
        self.0.pop_front()
    }
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }
}

impl<T> Order<T> for Lifo<T> {
    #[inline]
    fn push(&mut self, item: T) {
        self.0.push(item);
    }
    #[inline]
    fn pop(&mut self) -> Option<T> {
        self.0.pop()
    }
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }
}

impl<T: Ord> Order<T> for Priority<T> {
    #[inline]
    fn push(&mut self, item: T) {
        self.0.push(Reverse(item));
    }
    #[inline]
    fn pop(&mut self) -> Option<T> {
        self.0.pop().map(|Reverse(item)| item)
    }
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }
}

// The orders are only ever seen inside a queue, whose own `Debug` shows the
// size; these say which order it is.
impl<T> fmt::Debug for Fifo<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fifo(len = {})", self.0.len())
    }
}

impl<T> fmt::Debug for Lifo<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lifo(len = {})", self.0.len())
    }
}

impl<T> fmt::Debug for Priority<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Priority(len = {})", self.0.len())
    }
}
