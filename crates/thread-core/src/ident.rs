//! Who the calling thread is: its identifier and its kernel id (re-exported
//! at the crate root as `get_ident` and `get_native_id`). A leaf: the loom
//! shim, the wait records, `Thread` and the registry all ask it.

/// The calling thread's identifier (Python's `get_ident()`): `pthread_self`
/// on Unix. Unique among living threads; may be reused after one exits.
///
/// # Examples
///
/// ```
/// assert_eq!(thread_core::get_ident(), thread_core::current_thread().ident().unwrap());
/// ```
pub fn get_ident() -> u64 {
    #[cfg(unix)]
    {
        // SAFETY: pthread_self has no preconditions.
        (unsafe { libc::pthread_self() }) as u64
    }
    #[cfg(not(unix))]
    {
        get_native_id()
    }
}

/// The kernel's id of the calling thread (Python's `get_native_id()`): the
/// TID on Linux.
///
/// # Examples
///
/// ```
/// assert!(thread_core::get_native_id() > 0);
/// ```
pub fn get_native_id() -> u64 {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid has no preconditions.
        (unsafe { libc::gettid() }) as u64
    }
    #[cfg(not(target_os = "linux"))]
    {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(1);
        thread_local!(static ID: u64 = NEXT.fetch_add(1, Ordering::Relaxed));
        ID.with(|id| *id)
    }
}

/// Whether the calling OS thread is the process's main thread.
pub(crate) fn is_os_main_thread() -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid and getpid have no preconditions.
        unsafe { libc::gettid() == libc::getpid() }
    }
    #[cfg(not(target_os = "linux"))]
    {
        std::thread::current().name() == Some("main")
    }
}
