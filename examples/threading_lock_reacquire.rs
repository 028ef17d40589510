//! `threading_lock_reacquire.py`: a `Lock` cannot be acquired twice, even
//! by the thread that holds it; the second, non-blocking try fails.

use threading::{Lock, TIMEOUT_MAX};

/// Python's `str(bool)`.
fn py(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

fn main() {
    let lock = Lock::new();

    // `acquire()` blocks as long as it takes and returns True, as
    // `acquire(timeout=TIMEOUT_MAX)` does.
    println!("First try : {}", py(lock.acquire_timeout(TIMEOUT_MAX)));
    println!("Second try: {}", py(lock.try_acquire()));
}
