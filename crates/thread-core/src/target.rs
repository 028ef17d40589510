//! What a thread waits on, as the thread dump, the deadlock report and the
//! contention profile describe it: the [`Kind`] of thing, its [`Holder`],
//! the whole [`Target`], and the [`WaitTarget`] trait through which a
//! primitive describes itself. A leaf: the wait records (`crate::wait`)
//! store a `WaitTarget`, the dump (`crate::dump`) and the profile
//! (`crate::profile`) read these descriptions, and none of them needs the
//! others to name them. The public paths are `dump::{Kind, Holder,
//! Target}` and `__private::wait::WaitTarget`.

use std::panic::Location;

/// The kind of thing a thread waits on.
///
/// # Examples
///
/// ```
/// assert_eq!(thread_core::dump::Kind::RLock.to_string(), "RLock");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// A `Lock`.
    Lock,
    /// An `RLock`.
    RLock,
    /// An `Event`.
    Event,
    /// A `Condition` (waiting to be notified).
    Condition,
    /// A `Semaphore`.
    Semaphore,
    /// A `BoundedSemaphore`.
    BoundedSemaphore,
    /// A `Barrier`.
    Barrier,
    /// A `Thread` being joined.
    Thread,
    /// A `Queue` (`LifoQueue`, `PriorityQueue`, `SimpleQueue`): a put
    /// waiting for room, a get for an item, a join for the last task.
    Queue,
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Lock => "Lock",
            Kind::RLock => "RLock",
            Kind::Event => "Event",
            Kind::Condition => "Condition",
            Kind::Semaphore => "Semaphore",
            Kind::BoundedSemaphore => "BoundedSemaphore",
            Kind::Barrier => "Barrier",
            Kind::Thread => "Thread",
            Kind::Queue => "Queue",
        })
    }
}

/// Who holds what a thread waits on, or the state it waits to change, as
/// far as it is known.
///
/// # Examples
///
/// ```
/// use thread_core::dump::Holder;
/// let h = Holder::Semaphore { value: 0 };
/// assert_eq!(h, Holder::Semaphore { value: 0 });
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Holder {
    /// Nobody holds it (a lock that is free at the moment of the dump: the
    /// waiter is about to get it).
    Free,
    /// An `RLock`'s owner, exact. The recursion count is the owner's own
    /// plain cell, which no other thread can read without a data race: it
    /// is not shown.
    Owner {
        /// The owner's ident (`Thread::ident`).
        ident: u64,
    },
    /// The thread that last acquired a `Lock` that is held now. Any thread
    /// may release a `Lock` (as in Python), so this is the likely holder,
    /// not an owner.
    AcquiredBy {
        /// The acquirer's ident.
        ident: u64,
    },
    /// The thread being joined.
    Thread {
        /// Its name.
        name: String,
        /// Its ident, once its OS thread runs.
        ident: Option<u64>,
    },
    /// A `Barrier`'s state.
    Barrier {
        /// Threads waiting at it.
        n_waiting: usize,
        /// Threads it waits for.
        parties: usize,
        /// Whether it is broken.
        broken: bool,
    },
    /// A semaphore's value.
    Semaphore {
        /// Its value (0 while threads wait on it, but for a race).
        value: usize,
    },
    /// An `Event`'s flag.
    Event {
        /// Whether it is set.
        set: bool,
    },
    /// A queue's size and bound (`maxsize` 0: unbounded).
    Queue {
        /// Items in it (Python's `qsize()`), as last published.
        qsize: usize,
        /// Its `maxsize`.
        maxsize: usize,
    },
    /// A `Condition`: the lock that its waiter re-acquires once notified.
    Condition {
        /// That lock.
        lock: Box<Target>,
    },
    /// Nothing to say.
    Unknown,
}

/// What a thread waits on: its kind, address, name and holder.
///
/// # Examples
///
/// ```
/// use thread_core::dump::{Holder, Kind, Target};
/// let t = Target::new(Kind::Event, 0x1000, None, Holder::Event { set: false });
/// assert_eq!(t.to_string(), "Event <0x1000>");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Its kind.
    pub kind: Kind,
    /// Its address (the primitive's, or the joined thread's).
    pub address: usize,
    /// The name the user gave it (`named(...)`).
    pub name: Option<String>,
    /// Who holds it, or its state.
    pub holder: Holder,
}

impl Target {
    /// A description.
    #[must_use]
    pub fn new(kind: Kind, address: usize, name: Option<&str>, holder: Holder) -> Target {
        Target { kind, address, name: name.map(str::to_owned), holder }
    }

    /// The thread whose release (or end) this target's waiters wait for,
    /// if there is one, and whether that is exact (`RLock` owner, joined
    /// thread) rather than likely (`Lock` acquirer). Events, semaphores,
    /// barriers and conditions waiting for a notify have none.
    #[must_use]
    pub fn held_by(&self) -> Option<(u64, bool)> {
        match self.holder {
            Holder::Owner { ident } => Some((ident, true)),
            Holder::AcquiredBy { ident } => Some((ident, false)),
            Holder::Thread { ident: Some(ident), .. } => Some((ident, true)),
            _ => None,
        }
    }
}

/// Something a thread can wait on: a primitive, a thread being joined. Its
/// description is what the dump prints and the deadlock report follows.
pub trait WaitTarget: Sync {
    /// What it is, where, its name, and who holds it if that is known.
    /// Runs on the dumping thread while the waiter is blocked: it must not
    /// block, must not park, and reads only what it can read race-free.
    fn describe(&self) -> Target;

    /// Its kind and name, for the contention profile (`crate::profile`):
    /// cheap, no allocation; read by the waiter itself when its wait ends.
    fn label(&self) -> (Kind, Option<&'static str>);

    /// For a lock: the call site of the release that last woke a waiter,
    /// noted only while the profile is on.
    fn released_at(&self) -> Option<&'static Location<'static>> {
        None
    }
}
