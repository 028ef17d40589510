//! Loom models of the timer: its state word, the service's queue and
//! parking protocol, and `join` (the thread's `Completion`), under every
//! interleaving within the preemption bound, with the model clock deciding
//! when a deadline passes.
//!
//! The timer's OS thread cannot be created under loom, so the modelled
//! entry does inline, on the service thread, what `Timer`'s thread does:
//! `begin_launch` (service), then `fire` and the function (the timer's
//! thread), then completing `finished` (the thread stopping). A cancel that
//! wins while `PENDING` completes `finished` itself, as abandoning a
//! deferred start does.
//!
//! They live in the crate, beside the service and state machine they
//! model. Run: `cargo xtask check-models`, or `RUSTFLAGS="--cfg loom"
//! LOOM_MAX_PREEMPTIONS=2 cargo test --release -p threading-timer --lib loom_`.

use loom::sync::atomic::AtomicUsize;
use loom::thread;
use std::sync::atomic::Ordering::SeqCst;
// std's Arc: a model that finds a deadlock (a lost wake-up) must report it
// rather than abort on cleanup (tokio-rs/loom#291).
use crate::clock;
use crate::service::{Entry, Service};
use crate::state::{Cancel, TimerState};
use std::sync::Arc;
use std::time::Duration;
use thread_core::__private::model::fire;
use thread_core::__private::Completion;

/// Runs `f` under loom and prints how many executions it took.
fn model(name: &str, f: impl Fn() + Sync + Send + 'static) {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    RUNS.store(0, SeqCst);
    loom::model(move || {
        RUNS.fetch_add(1, SeqCst);
        f();
    });
    println!("{name}: {} executions", RUNS.load(SeqCst));
}

/// A timer as the models see it.
struct ModelTimer {
    state: TimerState,
    /// How many times the function ran.
    ran: AtomicUsize,
    /// What `join` waits for.
    finished: Completion,
}

impl ModelTimer {
    fn new() -> Arc<ModelTimer> {
        Arc::new(ModelTimer { state: TimerState::new(), ran: AtomicUsize::new(0), finished: Completion::new() })
    }

    /// `Timer::start`: arm, then hand the deadline to the service.
    fn start(self: &Arc<Self>, service: &Service<ModelTimer>, interval: Duration) {
        assert!(self.state.arm());
        let at = clock::after(clock::now(), interval).expect("a finite interval");
        service.schedule(at, self.clone());
    }

    /// `Timer::cancel`.
    fn cancel(&self) -> bool {
        let outcome = self.state.cancel();
        if outcome == Cancel::WhilePending {
            // Abandoning the deferred start stops the thread.
            self.finished.complete();
        }
        outcome.kept_from_running()
    }

    fn ran(&self) -> usize {
        self.ran.load(SeqCst)
    }
}

impl Entry for ModelTimer {
    fn launch(&self) {
        if !self.state.begin_launch() {
            return;
        }
        // From here on: the timer's own thread.
        if self.state.fire() {
            self.ran.fetch_add(1, SeqCst);
        }
        self.finished.complete();
    }

    fn is_cancelled(&self) -> bool {
        self.state.is_cancelled()
    }
}

/// The service thread, until its queue is empty (the timer was launched,
/// or cancelled and dropped when due).
fn spawn_service(service: &Arc<Service<ModelTimer>>) -> thread::JoinHandle<()> {
    let s = service.clone();
    thread::spawn(move || s.run_until(|| s.is_empty()))
}

/// A timer due in 300 ms on `service`, cancelled while the service and the
/// clock run: the function runs at most once, never after a `cancel` that
/// returned true, and always when `cancel` returned false.
fn cancel_races_fire(service: &Arc<Service<ModelTimer>>) {
    let t = ModelTimer::new();
    t.start(service, Duration::from_millis(300));
    let svc = spawn_service(service);
    let clock = thread::spawn(fire);
    let kept = t.cancel();
    if kept {
        assert_eq!(t.ran(), 0, "ran before a cancel that returned true");
    }
    clock.join().unwrap();
    svc.join().unwrap();
    assert_eq!(t.ran(), usize::from(!kept), "cancel returned {kept}");
}

/// `cancel` racing the deadline: the function runs at most once, never
/// after a `cancel` that returned true, and always when `cancel` returned
/// false (it had started).
#[test]
fn loom_timer_cancel_races_fire() {
    model("loom_timer_cancel_races_fire", || {
        let service = Arc::new(Service::new());
        cancel_races_fire(&service);
    });
}

/// A deadline earlier than the one the service parks for wakes it: with no
/// clock thread, the first timer's deadline never comes, so only the
/// wake-up from `schedule` lets the second one fire (a lost wake-up is a
/// deadlock, which loom reports).
#[test]
fn loom_timer_earlier_deadline_wakes_service() {
    model("loom_timer_earlier_deadline_wakes_service", || {
        let service = Arc::new(Service::new());
        let later = ModelTimer::new();
        let sooner = ModelTimer::new();
        later.start(&service, Duration::from_secs(60));
        // The service runs until `sooner` has fired: only it completes
        // `finished` (nobody cancels), so no wake-up is needed for that.
        let svc = {
            let (s, t) = (service.clone(), sooner.clone());
            thread::spawn(move || s.run_until(|| t.finished.is_complete()))
        };
        sooner.start(&service, Duration::ZERO);
        sooner.finished.wait();
        svc.join().unwrap();
        assert_eq!(sooner.ran(), 1);
        assert_eq!(later.ran(), 0);
    });
}

/// `join` racing `cancel` and the firing: it returns (no lost wake-up),
/// and once it has returned the outcome is settled: the function does not
/// run afterwards, and it ran exactly when `cancel` was too late.
#[test]
fn loom_timer_join_races_cancel_and_fire() {
    model("loom_timer_join_races_cancel_and_fire", || {
        let service = Arc::new(Service::new());
        let t = ModelTimer::new();
        t.start(&service, Duration::from_millis(300));
        let svc = spawn_service(&service);
        let clock = thread::spawn(fire);
        let joiner = {
            let t = t.clone();
            thread::spawn(move || {
                t.finished.wait();
                t.ran()
            })
        };
        let kept = t.cancel();
        let seen_by_join = joiner.join().unwrap();
        clock.join().unwrap();
        svc.join().unwrap();
        assert_eq!(seen_by_join, t.ran(), "the function ran after join returned");
        assert_eq!(t.ran(), usize::from(!kept));
    });
}

/// Leftover state: a service that has already fired one timer (run on
/// this thread before the model's threads start) and holds a cancelled one
/// still queued: `cancel` racing the deadline of a third timer keeps the
/// rules of `loom_timer_cancel_races_fire`, and the cancelled one never runs.
#[test]
fn loom_timer_service_reused_after_fire_and_cancel() {
    model("loom_timer_service_reused_after_fire_and_cancel", || {
        let service = Arc::new(Service::new());
        let fired = ModelTimer::new();
        fired.start(&service, Duration::ZERO);
        service.run_until(|| service.is_empty());
        assert_eq!(fired.ran(), 1);
        let cancelled = ModelTimer::new();
        cancelled.start(&service, Duration::from_millis(100));
        assert!(cancelled.cancel());
        cancel_races_fire(&service);
        assert_eq!(cancelled.ran(), 0);
        assert_eq!(fired.ran(), 1);
    });
}
