//! `threading_rlock.py`: the same as `threading_lock_reacquire.py` with an
//! `RLock`, which the owner may acquire again.

use threading::{RLock, TIMEOUT_MAX};

/// Python's `str(bool)`.
fn py(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

fn main() {
    let lock = RLock::new();

    // `acquire()` blocks as long as it takes and returns True, as
    // `acquire(timeout=TIMEOUT_MAX)` does.
    println!("First try : {}", py(lock.acquire_timeout(TIMEOUT_MAX)));
    println!("Second try: {}", py(lock.try_acquire()));
}
