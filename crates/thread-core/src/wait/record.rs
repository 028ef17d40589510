//! Wait records: who waits on what, for the thread dump and the deadlock
//! report (`crate::dump`).
//!
//! Every thread that has ever parked through the wait path has a *slot*: an
//! `Arc<Slot>` held by a thread-local and listed in one global list
//! ([`SLOTS`]), which the thread-local's destructor leaves. A slot holds the
//! thread's ident and, behind its own mutex, the record of the wait the
//! thread is in, if any: what it waits on (a [`WaitTarget`]), the
//! operation, the call site, since when and until when.
//!
//! A [`Waiter`](super::Waiter) given a [`WaitAs`] writes its record at its
//! first park (a wait that ends while spinning is never recorded) and clears
//! it when it is dropped, which is before the primitive's blocking call
//! returns. `Condition`'s queued wait does the same through [`Recording`].
//! Only the slow path pays: two uncontended mutex round trips per wait that
//! parks, none on any fast path.
//!
//! A thread has one record, not a stack: a recorded wait inside another
//! (a `Condition` waiter that blocks re-acquiring its lock while its
//! condition wait is still recorded) replaces the outer record, and clears
//! it when it ends, so the dump shows the inner wait and then, for the rest
//! of the outer one, nothing. None of the workspace's waits nest that way
//! for longer than the re-acquire.
//!
//! # Why the erased borrow is sound
//!
//! A record keeps its target as a raw `*const dyn WaitTarget` whose
//! lifetime is erased to `'static`, because the slot outlives the wait. The
//! pointer is only dereferenced by [`snapshot`], and only while it holds the
//! slot's mutex. The waiter writes the record under that mutex while it
//! borrows the primitive (the `WaitAs<'a>` it was given), and clears it under
//! that mutex before it lets the borrow go (the `Waiter`'s or `Recording`'s
//! `Drop`, which runs inside the blocking call; `Waiter::on` and
//! `Recording::new` are `unsafe` because leaking the guard would skip it). So whenever the dumper holds
//! the mutex and sees `Some(record)`, the waiter is between those two
//! points: the primitive is borrowed, hence alive, and stays so until the
//! dumper lets the mutex go. The target is `Sync`, so reading it from the
//! dumper's thread is allowed.
//!
//! # Never a missed wake-up, never a blocked fast path
//!
//! The dumper takes no lock a primitive's fast path takes, and none the
//! parking layer takes: only the global list's mutex (to copy the list)
//! and each slot's mutex in turn. A waiter takes its own slot's mutex
//! before it parks and after it is woken, never while it holds the parking
//! layer's queue lock, so a dump can delay a waiter's start or end by the
//! time it takes to describe one target, never lose its wake-up.
//! [`WaitTarget::describe`] must not block and must not park.

use crate::clock::{Deadline, Instant};
use crate::shim::sync::{Mutex, MutexGuard};
use crate::target::{Target, WaitTarget};
use std::fmt;
use std::panic::Location;
use std::sync::Arc;

/// A wait as the dump shows it: on what, doing what, called from where.
#[derive(Clone, Copy)]
pub struct WaitAs<'a> {
    /// What the thread waits on.
    pub target: &'a dyn WaitTarget,
    /// The operation: "acquire", "wait", "join", "barrier wait", ...
    pub op: &'static str,
    /// The call site in the user's code (`#[track_caller]`).
    pub site: &'static Location<'static>,
}

impl<'a> WaitAs<'a> {
    /// A wait on `target`, doing `op`, called from `site`.
    #[inline]
    pub fn new(target: &'a dyn WaitTarget, op: &'static str, site: &'static Location<'static>) -> Self {
        WaitAs { target, op, site }
    }
}

impl fmt::Debug for WaitAs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitAs").field("op", &self.op).field("site", &self.site).finish_non_exhaustive()
    }
}

/// One thread's current wait.
struct Record {
    /// The target, its lifetime erased: see the module's safety argument.
    target: *const (dyn WaitTarget + 'static),
    op: &'static str,
    site: &'static Location<'static>,
    since: Instant,
    deadline: Deadline,
}

// SAFETY: the pointer is dereferenced only under the slot's mutex while the
// waiter still borrows the target (the module's safety argument), and the
// target is `Sync`; the other fields are plain data.
unsafe impl Send for Record {}

/// A thread's slot: its ident and its current wait, if any.
struct Slot {
    ident: u64,
    native_id: u64,
    record: Mutex<Option<Record>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(not(loom))]
static SLOTS: Mutex<Vec<Arc<Slot>>> = Mutex::new(Vec::new());

#[cfg(loom)]
loom::lazy_static! {
    static ref SLOTS: Mutex<Vec<Arc<Slot>>> = Mutex::new(Vec::new());
}

/// The thread-local's value: its slot, listed in [`SLOTS`] until the
/// thread exits.
struct Registered(Arc<Slot>);

impl Registered {
    fn new() -> Self {
        let slot = Arc::new(Slot {
            ident: crate::ident::get_ident(),
            native_id: crate::ident::get_native_id(),
            record: Mutex::new(None),
        });
        lock(&SLOTS).push(slot.clone());
        Registered(slot)
    }
}

// Under loom the list is one execution's (`lazy_static`), and a model
// thread's thread-locals are dropped when loom may no longer be used: the
// slot stays listed, without a record, until the execution ends.
#[cfg(not(loom))]
impl Drop for Registered {
    fn drop(&mut self) {
        let mut slots = lock(&SLOTS);
        if let Some(i) = slots.iter().position(|s| Arc::ptr_eq(s, &self.0)) {
            slots.swap_remove(i);
        }
    }
}

#[cfg(not(loom))]
std::thread_local! { static SLOT: Registered = Registered::new(); }

#[cfg(loom)]
loom::thread_local! { static SLOT: Registered = Registered::new(); }

/// Runs `f` on the calling thread's slot; does nothing while the thread is
/// being torn down (its slot already gone).
#[inline]
fn with_slot(f: impl FnOnce(&Slot)) {
    #[cfg(not(loom))]
    let _ = SLOT.try_with(|s| f(&s.0));
    #[cfg(loom)]
    SLOT.with(|s| f(&s.0));
}

/// Records that the calling thread now waits as `what`, until `deadline`.
pub(crate) fn set(what: WaitAs<'_>, deadline: Deadline) {
    let target: *const (dyn WaitTarget + '_) = what.target;
    // SAFETY: only the lifetime changes (same pointer, same vtable); the
    // module's safety argument says why the erased borrow is never used
    // after it ends: the caller clears the record (`clear`) before its
    // borrow of the target ends.
    let target: *const (dyn WaitTarget + 'static) = unsafe { std::mem::transmute(target) };
    let record = Record { target, op: what.op, site: what.site, since: crate::clock::now(), deadline };
    with_slot(|s| *lock(&s.record) = Some(record));
}

/// The calling thread's wait is over; while the profile is on, it is
/// charged to its site.
pub(crate) fn clear() {
    let mut ended = None;
    with_slot(|s| ended = lock(&s.record).take());
    #[cfg(not(loom))]
    if let Some(r) = ended {
        if crate::profile::is_enabled() {
            // SAFETY: the calling thread is the waiter, which still borrows
            // the target: `clear` runs before its blocking call returns.
            let target = unsafe { &*r.target };
            let (kind, name) = target.label();
            let waited = crate::clock::now().saturating_duration_since(r.since);
            crate::profile::note(r.site, kind, name, waited, target.released_at());
        }
    }
    // The model has no profile: the record only goes.
    #[cfg(loom)]
    let _ = ended;
}

/// A wait recorded for as long as this guard lives (a `Condition` waiter
/// between queueing and its wake-up, which parks through
/// [`park_queued`](super::park_queued) rather than a `Waiter`).
#[must_use = "the record is cleared when the guard is dropped"]
pub struct Recording<'a> {
    _borrow: std::marker::PhantomData<&'a ()>,
}

impl<'a> Recording<'a> {
    /// Records the wait `what` until `deadline`; the record goes when the
    /// guard is dropped.
    ///
    /// # Safety
    ///
    /// The guard must be dropped — not leaked (`mem::forget`, `Box::leak`, a
    /// reference cycle) — before the borrow `'a` ends: its lifetime keeps it
    /// from outliving the target, but only its drop clears the record that
    /// a thread dump reads the target through.
    pub unsafe fn new(what: WaitAs<'a>, deadline: Deadline) -> Self {
        set(what, deadline);
        Recording { _borrow: std::marker::PhantomData }
    }
}

impl Drop for Recording<'_> {
    fn drop(&mut self) {
        clear();
    }
}

impl fmt::Debug for Recording<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Recording")
    }
}

/// A wait as [`snapshot`] saw it.
#[derive(Clone, Debug)]
pub(crate) struct SeenWait {
    pub(crate) target: Target,
    pub(crate) op: &'static str,
    pub(crate) site: &'static Location<'static>,
    pub(crate) since: Instant,
    pub(crate) deadline: Deadline,
}

/// A thread's slot as [`snapshot`] saw it.
#[derive(Clone, Debug)]
pub(crate) struct SeenSlot {
    pub(crate) ident: u64,
    pub(crate) native_id: u64,
    pub(crate) wait: Option<SeenWait>,
}

/// Every slot and its current wait, each read whole under its own mutex.
/// Blocked threads only if `blocked_only`.
pub(crate) fn snapshot(blocked_only: bool) -> Vec<SeenSlot> {
    let slots: Vec<Arc<Slot>> = lock(&SLOTS).clone();
    let mut seen = Vec::with_capacity(slots.len());
    for slot in &slots {
        let record = lock(&slot.record);
        let wait = record.as_ref().map(|r| {
            // SAFETY: we hold the slot's mutex and the record is set, so its
            // waiter still borrows the target (the module's argument).
            let target = unsafe { &*r.target };
            SeenWait { target: target.describe(), op: r.op, site: r.site, since: r.since, deadline: r.deadline }
        });
        drop(record);
        if wait.is_some() || !blocked_only {
            seen.push(SeenSlot { ident: slot.ident, native_id: slot.native_id, wait });
        }
    }
    seen
}
