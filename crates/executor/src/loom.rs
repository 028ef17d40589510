//! Loom models of `Future`: every interleaving of a worker's pick-up and
//! completion with `cancel`, `result` and the done-callbacks (the parking
//! layer's model backend, with the model clock for timeouts); and of the
//! pool's submit gate racing `shutdown`.
//!
//! The pool's threads are not modelled (loom cannot run them); a model
//! thread does what a worker does with one task, through `__model::run`.
//! They live in the crate because they reach a future's internals. Run:
//! `cargo xtask check-models`, or `RUSTFLAGS="--cfg loom"
//! LOOM_MAX_PREEMPTIONS=2 cargo test --release -p threading-executor --lib
//! loom_`.

use crate::{__model, FutureError};
use loom::sync::atomic::AtomicUsize;
use loom::sync::Arc;
use loom::thread;
use std::sync::atomic::Ordering::SeqCst;
use std::time::Duration;
use thread_core::__private::model::fire;

/// `cancel` racing a worker's pick-up: exactly one wins, and `result`,
/// asked on a third thread that may block before either, says which.
#[test]
fn loom_future_cancel_races_pickup() {
    loom::model(|| {
        let f = __model::pending::<u32>();
        let (fw, fr) = (f.clone(), f.clone());
        let worker = thread::spawn(move || __model::run(&fw, || 7));
        let reader = thread::spawn(move || fr.result().copied());
        let cancelled = f.cancel();
        let ran = worker.join().unwrap();
        assert!(cancelled != ran, "exactly one of cancel and the worker wins");
        let seen = reader.join().unwrap();
        if cancelled {
            assert_eq!(seen, Err(FutureError::Cancelled));
            assert!(f.cancelled());
        } else {
            assert_eq!(seen, Ok(7));
            assert!(!f.cancelled());
        }
        assert!(f.done());
    });
}

/// A blocked `result` never misses the completion, and a callback added
/// while the worker completes runs exactly once (by the worker, or at once
/// by the adder), seeing the value.
#[test]
fn loom_future_result_and_callback_see_the_completion() {
    loom::model(|| {
        let f = __model::pending::<u32>();
        let fw = f.clone();
        let calls = Arc::new(AtomicUsize::new(0));
        let worker = thread::spawn(move || assert!(__model::run(&fw, || 5)));
        let c = calls.clone();
        f.add_done_callback(move |f| {
            assert_eq!(f.result(), Ok(&5));
            c.fetch_add(1, SeqCst);
        });
        assert_eq!(f.result(), Ok(&5));
        worker.join().unwrap();
        assert_eq!(calls.load(SeqCst), 1);
        assert_eq!(f.into_result(), Ok(5), "the last handle takes the value");
    });
}

/// `result_timeout` racing the completion and the clock: it returns the
/// value or `TimedOut`, never anything else, and a later `result` always
/// has the value.
#[test]
fn loom_future_result_timeout_races_completion() {
    loom::model(|| {
        let f = __model::pending::<u32>();
        let fw = f.clone();
        let worker = thread::spawn(move || assert!(__model::run(&fw, || 9)));
        let clock = thread::spawn(fire);
        match f.result_timeout(Duration::from_secs(1)) {
            Ok(v) => assert_eq!(*v, 9),
            Err(e) => assert_eq!(e, FutureError::TimedOut),
        }
        worker.join().unwrap();
        clock.join().unwrap();
        assert_eq!(f.result(), Ok(&9));
    });
}

/// A submit racing `shutdown(cancel_futures)` at the pool's gate: the
/// submit is refused, or its task is queued before the stop marker, where
/// the shutdown's drain cancels it or a worker runs it. Never lost, never
/// behind the marker. The queue is a model of the work queue (a locked
/// deque); the worker is the main thread, after both.
#[test]
fn loom_gate_submit_races_shutdown() {
    use crate::gate::{Gate, SHUTDOWN};
    use loom::sync::Mutex;
    use std::collections::VecDeque;

    for cancel_futures in [false, true] {
        loom::model(move || {
            let gate = Arc::new(Gate::new());
            let queue = Arc::new(Mutex::new(VecDeque::<Option<crate::Future<u32>>>::new()));
            let (g, q) = (gate.clone(), queue.clone());
            let submitter = thread::spawn(move || {
                let f = __model::pending::<u32>();
                match g.enter() {
                    Ok(_entered) => {
                        q.lock().unwrap().push_back(Some(f.clone()));
                        Some(f)
                    }
                    Err(closed) => {
                        assert_eq!(closed, SHUTDOWN);
                        None
                    }
                }
            });
            let (g, q) = (gate.clone(), queue.clone());
            let shutdown = thread::spawn(move || {
                g.close(SHUTDOWN);
                let mut q = q.lock().unwrap();
                if cancel_futures {
                    for f in q.drain(..).flatten() {
                        f.cancel();
                    }
                }
                q.push_back(None);
            });
            let accepted = submitter.join().unwrap();
            shutdown.join().unwrap();
            // The worker: runs every task up to the marker, which is last.
            let mut q = queue.lock().unwrap();
            while let Some(Some(f)) = q.pop_front() {
                __model::run(&f, || 3);
            }
            assert!(q.is_empty(), "nothing behind the stop marker");
            if let Some(f) = accepted {
                assert!(f.done(), "an accepted task ran or was cancelled");
                if !cancel_futures {
                    assert_eq!(f.result(), Ok(&3));
                }
            }
        });
    }
}
