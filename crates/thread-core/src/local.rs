//! `Local<T>`: Python's `threading.local()`, per-thread values.
//!
//! The values sit in a [`thread_local::ThreadLocal`], whose slots are keyed
//! by a thread index that is *recycled* when a thread exits. Python gives
//! every new thread a fresh value, so each slot also records which OS
//! thread made it (a per-thread number that is never reused): a slot found
//! with another owner belongs to a thread that has exited, and the caller
//! gets a fresh value instead. The old value is retired, not dropped: a
//! `&T` the exited thread handed out (possible when `T: Sync`) may still be
//! in use, so retired values live until the `Local` is dropped.

use crate::thread::lock;
use std::cell::Cell;
use std::fmt;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use thread_local::ThreadLocal;

/// A number for the calling OS thread, unique over the life of the process
/// (never zero). It has no destructor, so it stays readable while the
/// thread's other thread-locals are being destroyed.
fn owner_token() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local!(static TOKEN: Cell<u64> = const { Cell::new(0) });
    TOKEN.with(|t| match t.get() {
        0 => {
            let token = NEXT.fetch_add(1, Ordering::Relaxed);
            t.set(token);
            token
        }
        token => token,
    })
}

/// A heap value owned through a raw pointer, so that moving the owner
/// (into the retired list) never asserts uniqueness over a value that
/// outstanding `&T`s still point into.
struct Owned<T>(NonNull<T>);

impl<T> Owned<T> {
    fn new(value: T) -> Owned<T> {
        Owned(NonNull::from(Box::leak(Box::new(value))))
    }
}

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `Box::leak` in `Owned::new` and is
        // freed only here, once; an `Owned` is dropped only with its `Local`
        // (its slot or the retired list), after every `&T` it lent is gone.
        drop(unsafe { Box::from_raw(self.0.as_ptr()) });
    }
}

// SAFETY: an `Owned<T>` is a `Box<T>` in all but name: sending it sends the
// `T`, which is `Send`.
unsafe impl<T: Send> Send for Owned<T> {}

/// The slot of one thread index: the OS thread that owns it and its value.
struct Slot<T> {
    owner: Cell<u64>,
    value: Cell<NonNull<T>>,
    /// Keeps the current value alive and frees it with the slot.
    keep: Cell<Option<Owned<T>>>,
}

// SAFETY: a slot is only read and written by the one living thread whose
// index it is (`ThreadLocal::get`), or dropped with the `Local`; moving it
// between threads moves the `T` it owns, which is `Send`.
unsafe impl<T: Send> Send for Slot<T> {}

/// A value per thread (Python's `threading.local()`): each thread that calls
/// [`get`](Local::get) sees its own `T`, made by `init` on that thread's
/// first call — a thread started after another has exited gets a fresh
/// value too, never the exited thread's. Mutate through `Cell` / `RefCell`,
/// as with `thread_local!`.
///
/// Unlike `thread_local!`, a `Local` is an ordinary value: it can be a field,
/// shared through an `Arc`, and there can be many. The values of threads
/// that have exited are dropped with the `Local` (not at thread exit as in
/// Python: a reference such a thread handed out may still be in use).
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
    slots: ThreadLocal<Slot<T>>,
    /// Values of exited threads whose slot was taken over.
    retired: Mutex<Vec<Owned<T>>>,
    init: Box<dyn Fn() -> T + Send + Sync>,
}

impl<T: Send> Local<T> {
    /// A per-thread value that `init` makes on each thread's first use.
    ///
    /// # Examples
    ///
    /// ```
    /// let names = thread_core::Local::new(|| thread_core::current_thread().name());
    /// assert_eq!(*names.get(), thread_core::current_thread().name());
    /// ```
    #[must_use]
    pub fn new(init: impl Fn() -> T + Send + Sync + 'static) -> Local<T> {
        Local { slots: ThreadLocal::new(), retired: Mutex::new(Vec::new()), init: Box::new(init) }
    }

    /// The calling thread's value, made by `init` on the first call.
    ///
    /// # Panics
    ///
    /// If `init` panics; and when called from a thread-local destructor
    /// late in a thread's exit, when the thread's index in the
    /// `thread_local` crate is already gone.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::cell::RefCell;
    ///
    /// let log = thread_core::Local::new(|| RefCell::new(Vec::new()));
    /// log.get().borrow_mut().push("first");
    /// assert_eq!(*log.get().borrow(), ["first"]);
    /// ```
    #[inline]
    pub fn get(&self) -> &T {
        let me = owner_token();
        match self.slots.get() {
            // SAFETY: the value is alive while its slot or the retired list
            // holds it, that is until `self` is dropped; `&T` borrows `self`.
            Some(slot) if slot.owner.get() == me => unsafe { slot.value.get().as_ref() },
            _ => self.get_slow(me),
        }
    }

    #[cold]
    fn get_slow(&self, me: u64) -> &T {
        // `init` runs before any slot is touched: it may call `get` itself.
        let fresh = Owned::new((self.init)());
        let ptr = fresh.0;
        let mut fresh = Some(fresh);
        // `get_or`, not `get`: only `get_or` gives this thread its index,
        // which may be a recycled one whose slot already exists.
        let slot =
            self.slots.get_or(|| Slot { owner: Cell::new(me), value: Cell::new(ptr), keep: Cell::new(fresh.take()) });
        if let Some(fresh) = fresh {
            // The slot existed: an exited thread's that had our index, or one
            // a re-entrant `init` made. Retire its value, which a reference
            // may still point into.
            slot.owner.set(me);
            slot.value.set(ptr);
            if let Some(old) = slot.keep.replace(Some(fresh)) {
                lock(&self.retired).push(old);
            }
        }
        // SAFETY: `ptr` is owned by our slot from now until it is retired or
        // `self` is dropped; `&T` borrows `self`.
        unsafe { ptr.as_ref() }
    }

    /// The calling thread's value if it has one, without making it.
    ///
    /// # Examples
    ///
    /// ```
    /// let counter = thread_core::Local::new(|| 7);
    /// assert_eq!(counter.try_get(), None);
    /// counter.get();
    /// assert_eq!(counter.try_get(), Some(&7));
    /// ```
    #[must_use]
    pub fn try_get(&self) -> Option<&T> {
        let slot = self.slots.get()?;
        // SAFETY: as in `get`.
        (slot.owner.get() == owner_token()).then(|| unsafe { slot.value.get().as_ref() })
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
