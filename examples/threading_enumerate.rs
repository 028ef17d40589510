//! `threading_enumerate.py`: no handle kept for the workers — `enumerate()`
//! lists every alive thread, and main joins each one but itself.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::thread::sleep;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use threading::{enumerate, main_thread, Thread};
use tracing::debug;

/// Python's `random.randint(lo, hi)` (both ends included), from a
/// splitmix64 stream seeded once from the clock, shared by all threads as
/// Python's module-level generator is.
fn randint(lo: u64, hi: u64) -> u64 {
    static STATE: OnceLock<AtomicU64> = OnceLock::new();
    let state = STATE.get_or_init(|| {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        AtomicU64::new(now.as_nanos() as u64 ^ u64::from(std::process::id()))
    });
    let mut z = state.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    lo + z % (hi - lo + 1)
}

/// thread worker function
fn worker() {
    let pause = randint(1, 5) as f64 / 10.0;
    debug!("sleeping {pause:0.2}");
    sleep(Duration::from_secs_f64(pause));
    debug!("ending");
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "(%(threadName)-10s) %(message)s");

    for _ in 0..3 {
        let t = Thread::builder().daemon(true).target(worker);
        t.start().expect("start");
    }

    let main_thread = main_thread();
    for t in enumerate() {
        if t == main_thread {
            continue;
        }
        debug!("joining {}", t.name());
        t.join().expect("join");
    }
}
