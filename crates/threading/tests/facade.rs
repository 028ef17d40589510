//! The facade: every name of API.md is reachable as `threading::...` and is
//! the same item as in its own crate, so code can move between the two.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use threading::{
    active_count, current_thread, enumerate, main_thread, Barrier, BoundedSemaphore, BrokenBarrierError, Condition,
    ConditionError, Event, Local, Lock, Mutex, RLock, ReleaseError, Semaphore, SemaphoreReleaseError, Thread,
    ThreadError, Timer, TimerBuilder, TIMEOUT_MAX,
};

const LONG: Duration = Duration::from_secs(30);

#[test]
fn the_facade_names_are_the_crates_items() {
    // Type identity: each assignment compiles only if the two names are one type.
    let _: fn() -> sync_event::Event = Event::new;
    let _: fn() -> sync_lock::Lock = Lock::new;
    let _: fn() -> sync_lock::RLock = RLock::new;
    let _: fn() -> sync_condition::Condition = Condition::new;
    let _: fn(usize) -> sync_barrier::Barrier = Barrier::new;
    let _: fn(usize) -> sync_semaphore::Semaphore = Semaphore::new;
    let _: fn(usize) -> sync_semaphore::BoundedSemaphore = BoundedSemaphore::new;
    let _: fn() -> timer::TimerBuilder = TimerBuilder::new;
    let _: Option<sync_semaphore::SemaphoreReleaseError> = None::<SemaphoreReleaseError>;
    let _: Option<sync_lock::ReleaseError> = None::<ReleaseError>;
    let _: Option<thread_core::ThreadError> = None::<ThreadError>;
    let _: Option<sync_condition::ConditionError> = None::<ConditionError>;
    let _: Option<sync_barrier::BrokenBarrierError> = None::<BrokenBarrierError>;
    assert_eq!(TIMEOUT_MAX, Duration::MAX);
}

#[test]
fn a_program_written_against_the_facade_runs() {
    let count = Arc::new(Mutex::new(0u32));
    let done = Arc::new(Event::new());
    let barrier = Arc::new(Barrier::new(2));
    let fired = Arc::new(AtomicUsize::new(0));
    let local = Arc::new(Local::new(|| 7u32));

    let (c, d, b, l) = (count.clone(), done.clone(), barrier.clone(), local.clone());
    let t = Thread::builder().name("worker").target(move || {
        assert_eq!(current_thread().name(), "worker");
        assert_eq!(*l.get(), 7);
        *c.lock() += 1;
        b.wait().unwrap();
        d.set();
    });
    t.start().unwrap();
    assert!(enumerate().contains(&t));
    assert!(active_count() >= 2);
    barrier.wait_timeout(LONG).unwrap();
    assert!(done.wait_timeout(LONG));
    assert_eq!(t.join_timeout(LONG), Ok(true));
    assert_eq!(*count.lock(), 1);

    let f = fired.clone();
    let timer = Timer::new(Duration::from_millis(10), move || {
        f.fetch_add(1, Ordering::SeqCst);
    });
    timer.start().unwrap();
    assert_eq!(timer.join_timeout(LONG), Ok(true));
    assert_eq!(fired.load(Ordering::SeqCst), 1);

    let sem = BoundedSemaphore::new(1);
    assert_eq!(sem.release().unwrap_err().to_string(), "Semaphore released too many times");
    assert_eq!(Lock::new().release().unwrap_err().to_string(), "release unlocked lock");
    let cond = Condition::new();
    assert_eq!(cond.notify(1).unwrap_err().to_string(), "cannot notify on un-acquired lock");
    assert_eq!(main_thread().name(), "MainThread");
}
