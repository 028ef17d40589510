//! Loom models of `Barrier` that need the crate's internals: a barrier
//! whose generation number starts next to its wrap point. The others live
//! in `tests/loom.rs`.
//!
//! Run: `cargo xtask check-models`, or `RUSTFLAGS="--cfg loom"
//! LOOM_MAX_PREEMPTIONS=2 cargo test --release -p sync-barrier --lib loom_`.

use crate::Barrier;
use loom::thread;
use std::sync::Arc;

/// Leftover state: the generation number at its largest value, so the
/// round's completion wraps it to 0. The wrap is harmless: the waiter sees
/// the generation change and is released.
#[test]
fn loom_barrier_generation_wraps_round() {
    loom::model(|| {
        let b = Arc::new(Barrier::with_generation(2, u64::MAX));
        let b2 = b.clone();
        let other = thread::spawn(move || b2.wait());
        let mine = b.wait().unwrap();
        assert_eq!(mine + other.join().unwrap().unwrap(), 1, "indices not distinct");
        assert!(!b.is_broken());
    });
}
