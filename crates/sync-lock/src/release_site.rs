//! [`ReleaseSite`]: where a lock was last released to a waiter, for the
//! contention profile (`thread_core::profile`), which charges a waiter's
//! wait to the release it queued behind, as Go charges the unlocker.

use std::panic::Location;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

/// The call site of the last release that woke a waiter, noted only while
/// the profile is on. A plain `std` atomic even under loom: the profile does
/// not exist in the model, so it is never written there.
#[derive(Debug, Default)]
pub(crate) struct ReleaseSite(AtomicPtr<Location<'static>>);

impl ReleaseSite {
    /// No release noted yet.
    pub(crate) const fn new() -> Self {
        ReleaseSite(AtomicPtr::new(ptr::null_mut()))
    }

    /// A release at `site` is about to wake a waiter: note it if the profile
    /// is on (one relaxed load otherwise). Called on the release's slow path
    /// only.
    #[inline]
    pub(crate) fn note(&self, site: &'static Location<'static>) {
        #[cfg(not(loom))]
        if thread_core::profile::is_enabled() {
            // Relaxed: read by the woken waiter for the profile only; a
            // stale or newer site is an acceptable answer.
            self.0.store(ptr::from_ref(site).cast_mut(), Ordering::Relaxed);
        }
        #[cfg(loom)]
        let _ = site;
    }

    /// The site noted last, if any.
    pub(crate) fn get(&self) -> Option<&'static Location<'static>> {
        // Relaxed: as in `note`.
        let p = self.0.load(Ordering::Relaxed);
        // SAFETY: the pointer is null or came from a `&'static Location`.
        unsafe { p.cast_const().as_ref() }
    }
}
