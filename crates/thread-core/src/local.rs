//! `Local<T>`: Python's `threading.local()`, per-thread values.

use std::fmt;
use thread_local::ThreadLocal;

/// A value per thread (Python's `threading.local()`): each thread that calls
/// [`get`](Local::get) sees its own `T`, made by `init` on that thread's
/// first call. Mutate through `Cell` / `RefCell`, as with `thread_local!`.
///
/// Unlike `thread_local!`, a `Local` is an ordinary value: it can be a field,
/// shared through an `Arc`, and there can be many. A thread's value lives as
/// long as the `Local` (its slot is reused by a later thread).
///
/// # Examples
///
/// ```
/// use std::cell::Cell;
/// use std::sync::Arc;
/// use thread_core::{Local, Thread};
///
/// let data = Arc::new(Local::new(|| Cell::new(0)));
/// data.get().set(1);
/// let d = data.clone();
/// let t = Thread::new(move || {
///     assert_eq!(d.get().get(), 0); // a fresh value on this thread
///     d.get().set(2);
/// });
/// t.start().unwrap();
/// t.join().unwrap();
/// assert_eq!(data.get().get(), 1);
/// ```
pub struct Local<T: Send> {
    values: ThreadLocal<T>,
    init: Box<dyn Fn() -> T + Send + Sync>,
}

impl<T: Send> Local<T> {
    /// A per-thread value that `init` makes on each thread's first use.
    #[must_use]
    pub fn new(init: impl Fn() -> T + Send + Sync + 'static) -> Local<T> {
        Local { values: ThreadLocal::new(), init: Box::new(init) }
    }

    /// The calling thread's value, made by `init` on the first call.
    pub fn get(&self) -> &T {
        self.values.get_or(|| (self.init)())
    }

    /// The calling thread's value if it has one, without making it.
    pub fn try_get(&self) -> Option<&T> {
        self.values.get()
    }
}

impl<T: Send + Default + 'static> Default for Local<T> {
    fn default() -> Self {
        Local::new(T::default)
    }
}

impl<T: Send + fmt::Debug> fmt::Debug for Local<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Local").field("current", &self.try_get()).finish()
    }
}
