//! Waiting for many futures: [`wait`] and [`as_completed`].
//!
//! Both install one [`Waiter`] on every future not yet done, as Python's
//! `_AcquireFutures`/`_create_and_install_waiters` do: the future's final
//! transition records its index in the waiter and sets the waiter's event.
//! The waiting thread clears the event before it reads what was recorded,
//! so a completion recorded after the read sets the event after the clear
//! and the wait returns.

use crate::cell::Guarded;
use crate::error::UnfinishedError;
use crate::future::Future;
use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use sync_event::Event;

/// What futures finished since the waiting thread last looked.
pub(crate) struct Waiter {
    event: Event,
    /// `(index, failed)`: the future's index in the waiting call's list,
    /// and whether it finished with a panic or a broken pool.
    finished: Guarded<Vec<(usize, bool)>>,
}

impl Waiter {
    fn new() -> Arc<Waiter> {
        Arc::new(Waiter { event: Event::new(), finished: Guarded::new(Vec::new()) })
    }

    /// Called by the future at `index` once it is done.
    pub(crate) fn notify(&self, index: usize, failed: bool) {
        self.finished.with(|f| f.push((index, failed)));
        self.event.set();
    }

    /// Clears the event, then takes what was recorded (see the module
    /// documentation for why in this order).
    fn take(&self) -> Vec<(usize, bool)> {
        self.event.clear();
        self.finished.with(std::mem::take)
    }
}

/// When [`wait`] returns (Python's `FIRST_COMPLETED`, `FIRST_EXCEPTION`,
/// `ALL_COMPLETED`).
///
/// # Examples
///
/// ```
/// use executor::{wait, ReturnWhen, ThreadPoolExecutor};
///
/// let ex = ThreadPoolExecutor::new(2);
/// let fs = [ex.submit(|| 1).unwrap(), ex.submit(|| 2).unwrap()];
/// let r = wait(&fs, None, ReturnWhen::AllCompleted);
/// assert_eq!((r.done.len(), r.not_done.len()), (2, 0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReturnWhen {
    /// As soon as any future finishes or is cancelled.
    FirstCompleted,
    /// As soon as any future finishes by panicking (or with a broken
    /// pool); if none does, when all are done (as `AllCompleted`).
    FirstException,
    /// When every future is done.
    #[default]
    AllCompleted,
}

/// What [`wait`] returns (Python's `DoneAndNotDoneFutures` named tuple):
/// the futures done, and the others, each in the order given.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use executor::{wait, ReturnWhen, ThreadPoolExecutor};
///
/// let ex = ThreadPoolExecutor::new(1);
/// let gate = std::sync::Arc::new(sync_event::Event::new());
/// let g = gate.clone();
/// let fs = [ex.submit(move || { g.wait(); }).unwrap()];
/// let r = wait(&fs, Some(Duration::from_millis(10)), ReturnWhen::AllCompleted);
/// assert!(r.done.is_empty() && r.not_done[0].ptr_eq(&fs[0]));
/// gate.set();
/// ```
pub struct DoneAndNotDone<T> {
    /// The futures finished or cancelled.
    pub done: Vec<Future<T>>,
    /// The futures still pending or running.
    pub not_done: Vec<Future<T>>,
}

impl<T> fmt::Debug for DoneAndNotDone<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DoneAndNotDone").field("done", &self.done).field("not_done", &self.not_done).finish()
    }
}

/// The futures given, without repeats (Python makes a `set` of them).
fn distinct<'a, T: 'a>(fs: impl IntoIterator<Item = &'a Future<T>>) -> Vec<Future<T>> {
    let mut out: Vec<Future<T>> = Vec::new();
    for f in fs {
        if !out.iter().any(|g| g.ptr_eq(f)) {
            out.push(f.clone());
        }
    }
    out
}

fn deadline_of(timeout: Option<Duration>) -> Option<Instant> {
    timeout.and_then(|t| Instant::now().checked_add(t))
}

/// Waits on `event` until `deadline` (`None`: for ever); false if it passed.
fn wait_until(event: &Event, deadline: Option<Instant>) -> bool {
    match deadline {
        None => event.wait(),
        Some(d) => event.wait_timeout(d.saturating_duration_since(Instant::now())),
    }
}

/// Waits for the futures until `return_when` holds or `timeout` passes
/// (Python's `concurrent.futures.wait(fs, timeout, return_when)`), and
/// returns them split into done and not done. `None` waits for ever;
/// futures given twice count once. A cancelled future counts as done from
/// the moment `cancel` returns.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use executor::{wait, ReturnWhen, ThreadPoolExecutor};
/// use sync_event::Event;
///
/// let ex = ThreadPoolExecutor::new(2);
/// let gate = Arc::new(Event::new());
/// let g = gate.clone();
/// let slow = ex.submit(move || { g.wait(); "slow" }).unwrap();
/// let quick = ex.submit(|| "quick").unwrap();
/// let r = wait([&slow, &quick], None, ReturnWhen::FirstCompleted);
/// assert!(r.done[0].ptr_eq(&quick));
/// assert!(r.not_done[0].ptr_eq(&slow));
/// gate.set();
/// ```
pub fn wait<'a, T: 'a>(
    fs: impl IntoIterator<Item = &'a Future<T>>,
    timeout: Option<Duration>,
    return_when: ReturnWhen,
) -> DoneAndNotDone<T> {
    let fs = distinct(fs);
    let deadline = deadline_of(timeout);
    let mut done = vec![false; fs.len()];
    let mut count = 0;
    let mut failed = false;
    let satisfied = |count: usize, failed: bool| match return_when {
        ReturnWhen::FirstCompleted => count > 0,
        ReturnWhen::FirstException => failed || count == fs.len(),
        ReturnWhen::AllCompleted => count == fs.len(),
    };
    for (i, f) in fs.iter().enumerate() {
        if f.done() {
            done[i] = true;
            count += 1;
            failed |= f.inner().has_failed();
        }
    }
    if !satisfied(count, failed) {
        let waiter = Waiter::new();
        for (i, f) in fs.iter().enumerate() {
            if !done[i] && !f.inner().add_waiter(&waiter, i) {
                done[i] = true;
                count += 1;
                failed |= f.inner().has_failed();
            }
        }
        loop {
            for (i, fail) in waiter.take() {
                if !done[i] {
                    done[i] = true;
                    count += 1;
                    failed |= fail;
                }
            }
            if satisfied(count, failed) || !wait_until(&waiter.event, deadline) {
                break;
            }
        }
        for (i, f) in fs.iter().enumerate() {
            if !done[i] {
                f.inner().remove_waiter(&waiter);
            }
        }
        // What finished between the last look and the removal.
        for (i, _) in waiter.take() {
            done[i] = true;
        }
    }
    let (mut d, mut nd) = (Vec::new(), Vec::new());
    for (f, is_done) in fs.into_iter().zip(done) {
        if is_done {
            d.push(f);
        } else {
            nd.push(f);
        }
    }
    DoneAndNotDone { done: d, not_done: nd }
}

/// An iterator over futures in the order they complete (Python's
/// `concurrent.futures.as_completed(fs, timeout)`): first those done
/// already, then each as it finishes or is cancelled. Futures given twice
/// are yielded once.
///
/// With a timeout, the iterator yields `Err(UnfinishedError)` ("N (of M)
/// futures unfinished") if the timeout, counted from the call, passes
/// before every future is done, and then ends, as Python's raises
/// `TimeoutError` from `next`.
///
/// # Examples
///
/// ```
/// use executor::{as_completed, ThreadPoolExecutor};
///
/// let ex = ThreadPoolExecutor::new(3);
/// let fs: Vec<_> = (1..=3).map(|i| ex.submit(move || i * 10).unwrap()).collect();
/// let mut total = 0;
/// for f in as_completed(&fs, None) {
///     total += f.unwrap().result().unwrap();
/// }
/// assert_eq!(total, 60);
/// ```
pub fn as_completed<'a, T: 'a>(
    fs: impl IntoIterator<Item = &'a Future<T>>,
    timeout: Option<Duration>,
) -> AsCompleted<T> {
    let fs = distinct(fs);
    let deadline = deadline_of(timeout);
    let waiter = Waiter::new();
    let mut ready = VecDeque::new();
    let mut pending = 0;
    let mut installed = vec![false; fs.len()];
    for (i, f) in fs.iter().enumerate() {
        if f.done() || !f.inner().add_waiter(&waiter, i) {
            ready.push_back(i);
        } else {
            installed[i] = true;
            pending += 1;
        }
    }
    AsCompleted { fs, waiter, ready, installed, pending, deadline, ended: false }
}

/// The iterator of [`as_completed`]: yields `Ok(future)` as each is done,
/// or one `Err(UnfinishedError)` when the timeout passes first. Dropping it
/// early removes its waiter from the futures.
///
/// # Examples
///
/// ```
/// use executor::{as_completed, ThreadPoolExecutor};
///
/// let ex = ThreadPoolExecutor::new(1);
/// let f = ex.submit(|| 1).unwrap();
/// let mut it = as_completed([&f], None);
/// assert!(it.next().unwrap().unwrap().ptr_eq(&f));
/// assert!(it.next().is_none());
/// ```
#[must_use = "iterators are lazy: nothing is yielded unless it is iterated"]
pub struct AsCompleted<T> {
    fs: Vec<Future<T>>,
    waiter: Arc<Waiter>,
    /// Indices done and not yet yielded, in completion order.
    ready: VecDeque<usize>,
    /// Which futures still hold this iterator's waiter.
    installed: Vec<bool>,
    /// How many futures have not been seen done.
    pending: usize,
    deadline: Option<Instant>,
    ended: bool,
}

impl<T> Iterator for AsCompleted<T> {
    type Item = Result<Future<T>, UnfinishedError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(i) = self.ready.pop_front() {
                return Some(Ok(self.fs[i].clone()));
            }
            if self.ended || self.pending == 0 {
                return None;
            }
            for (i, _) in self.waiter.take() {
                self.installed[i] = false;
                self.pending -= 1;
                self.ready.push_back(i);
            }
            if !self.ready.is_empty() {
                continue;
            }
            if !wait_until(&self.waiter.event, self.deadline) && self.waiter.finished.with(|f| f.is_empty()) {
                self.ended = true;
                return Some(Err(UnfinishedError { unfinished: self.pending, total: self.fs.len() }));
            }
        }
    }
}

impl<T> Drop for AsCompleted<T> {
    fn drop(&mut self) {
        for (f, installed) in self.fs.iter().zip(&self.installed) {
            if *installed {
                f.inner().remove_waiter(&self.waiter);
            }
        }
    }
}

impl<T> fmt::Debug for AsCompleted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsCompleted").field("total", &self.fs.len()).field("pending", &self.pending).finish()
    }
}
