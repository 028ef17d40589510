//! Deadlock reports: the cycles of the wait-for graph.
//!
//! A blocked thread has at most one edge: to the thread that holds what it
//! waits on — an `RLock`'s owner (exact), the last acquirer of a held `Lock`
//! (likely: any thread may release a `Lock`), the thread it joins (exact).
//! A `Condition` waiter re-acquiring its lock after a notify waits on that
//! lock, so it has that lock's edge. `Event`, `Semaphore`, `Barrier` and a
//! `Condition` waiting for a notify have no holder: their waiters have no
//! edge, and are never part of a cycle. With one edge per thread, every
//! cycle is found by following the edges once from each thread.

use super::format::write_blocked;
use super::{record, take, BlockedOn, ThreadDump};
use std::collections::HashMap;
use std::fmt::{self, Display, Formatter};

/// One thread of a [`Deadlock`]: what it waits on, and which thread of the
/// cycle holds it.
///
/// # Examples
///
/// ```
/// // Without a deadlock there is nothing to look at.
/// assert!(thread_core::deadlocks().iter().all(|d| !d.threads().is_empty()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadlockedThread {
    /// Its name.
    pub name: String,
    /// Its ident.
    pub ident: u64,
    /// What it waits on, where, for how long.
    pub blocked: BlockedOn,
    /// The ident of the thread that holds what it waits on (the next one in
    /// the cycle).
    pub held_by: u64,
    /// Whether that edge is exact (an `RLock`'s owner, a joined thread)
    /// rather than likely (the last acquirer of a `Lock`).
    pub exact: bool,
}

/// A cycle of threads, each waiting on what the next one holds.
///
/// # Examples
///
/// ```
/// for d in thread_core::deadlocks() {
///     println!("{d}");
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadlock {
    threads: Vec<DeadlockedThread>,
}

impl Deadlock {
    /// The threads of the cycle, starting at the lowest ident, each waiting
    /// on what the next one holds (the last on what the first holds).
    #[must_use]
    pub fn threads(&self) -> &[DeadlockedThread] {
        &self.threads
    }

    /// Whether every edge is exact: no `Lock` whose holder is only likely.
    #[must_use]
    pub fn is_exact(&self) -> bool {
        self.threads.iter().all(|t| t.exact)
    }

    /// Whether some thread of the cycle waits with a deadline: the cycle
    /// may break on its own when that deadline passes.
    #[must_use]
    pub fn is_timed(&self) -> bool {
        self.threads.iter().any(|t| t.blocked.is_timed())
    }
}

/// Prints the cycle:
///
/// ```text
/// Deadlock of <N> threads (exact|likely[, timed]):
///   "<name>" (ident=<i>) <op> on <Kind> <0xaddr>[ "<name>"]: <holder>
///       at <file>:<line>:<column>, waiting <d>[, timed: <d> left]
///   ...
/// ```
impl Display for Deadlock {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let names: HashMap<u64, &str> = self.threads.iter().map(|t| (t.ident, t.name.as_str())).collect();
        let names = |i: u64| names.get(&i).map(|n| (*n).to_owned());
        write!(
            f,
            "Deadlock of {} threads ({}{}):",
            self.threads.len(),
            if self.is_exact() { "exact" } else { "likely" },
            if self.is_timed() { ", timed" } else { "" }
        )?;
        for t in &self.threads {
            write!(f, "\n  \"{}\" (ident={}) ", t.name, t.ident)?;
            write_blocked(f, &t.blocked, &names, "")?;
        }
        Ok(())
    }
}

/// The deadlocks among the threads blocked now: the cycles of the wait-for
/// graph (see the module documentation). It changes nothing: the threads
/// stay blocked, and the caller decides what to do. Timed waits are
/// included (see [`Deadlock::is_timed`]).
///
/// # Examples
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use std::time::Duration;
/// use thread_core::Thread;
///
/// // Two threads joining each other: a cycle of two join edges.
/// let slot: Arc<Mutex<Option<Thread>>> = Arc::default();
/// let s = slot.clone();
/// let a = Thread::builder().name("a").daemon(true).target(move || {
///     let b = loop {
///         if let Some(b) = s.lock().unwrap().clone() { break b; }
///         std::thread::sleep(Duration::from_millis(1));
///     };
///     let _ = b.join();
/// });
/// a.start().unwrap();
/// let a2 = a.clone();
/// let b = Thread::builder().name("b").daemon(true).target(move || { let _ = a2.join(); });
/// b.start().unwrap();
/// *slot.lock().unwrap() = Some(b.clone());
/// let found = loop {
///     if let Some(d) = thread_core::deadlocks().into_iter().next() { break d; }
///     std::thread::sleep(Duration::from_millis(1));
/// };
/// assert_eq!(found.threads().len(), 2);
/// assert!(found.is_exact());
/// ```
#[must_use]
pub fn deadlocks() -> Vec<Deadlock> {
    cycles(&take(record::snapshot(true)))
}

pub(crate) fn cycles(dump: &ThreadDump) -> Vec<Deadlock> {
    // ident -> (index in the dump, next ident, exact)
    let mut edges: HashMap<u64, (usize, u64, bool)> = HashMap::new();
    for (i, t) in dump.threads().iter().enumerate() {
        if let (Some(ident), Some(b)) = (t.ident, &t.blocked) {
            if let Some((next, exact)) = b.target.held_by() {
                edges.insert(ident, (i, next, exact));
            }
        }
    }
    // 0: not seen, 1: on the current path, 2: done.
    let mut state: HashMap<u64, u8> = HashMap::new();
    let mut found = Vec::new();
    let mut starts: Vec<u64> = edges.keys().copied().collect();
    starts.sort_unstable();
    for start in starts {
        let mut path = Vec::new();
        let mut at = start;
        loop {
            match state.get(&at).copied().unwrap_or(0) {
                0 => {}
                1 => {
                    // A cycle: the path from `at`'s first occurrence on.
                    let from = path.iter().position(|&p| p == at).unwrap_or(0);
                    found.push(deadlock(dump, &edges, &path[from..]));
                    break;
                }
                _ => break,
            }
            let Some(&(_, next, _)) = edges.get(&at) else { break };
            state.insert(at, 1);
            path.push(at);
            at = next;
        }
        for p in path {
            state.insert(p, 2);
        }
    }
    found
}

fn deadlock(dump: &ThreadDump, edges: &HashMap<u64, (usize, u64, bool)>, cycle: &[u64]) -> Deadlock {
    let lowest = cycle.iter().enumerate().min_by_key(|(_, &i)| i).map_or(0, |(k, _)| k);
    let threads = cycle[lowest..]
        .iter()
        .chain(&cycle[..lowest])
        .map(|ident| {
            let (i, next, exact) = edges[ident];
            let t = &dump.threads()[i];
            DeadlockedThread {
                name: t.name.clone(),
                ident: *ident,
                blocked: t.blocked.clone().expect("a thread with an edge is blocked"),
                held_by: next,
                exact,
            }
        })
        .collect();
    Deadlock { threads }
}
