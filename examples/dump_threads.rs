//! `threading::dump()`: threads blocked on a `Lock`, an `RLock`, an
//! `Event`, a `Condition`, a `Barrier`, a join, and a pending `Timer`; the
//! main thread prints the dump once every one of them is blocked, then lets
//! them all go.

use std::sync::Arc;
use std::thread::sleep;
use std::time::{Duration, Instant};

use threading::{Barrier, Condition, Event, Lock, RLock, Thread, Timer};

/// Starts a named thread running `f`.
fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Thread {
    let t = Thread::builder().name(name).target(f);
    t.start().unwrap();
    t
}

fn main() {
    let accounts = Arc::new(Lock::named("accounts"));
    let registry = Arc::new(RLock::named("registry"));
    let go = Arc::new(Event::named("go"));
    let ready = Arc::new(Condition::named("ready"));
    let meeting = Arc::new(Barrier::builder(3).name("meeting").build());

    // "holder" takes the Lock, then waits on the Event.
    let (a, g) = (accounts.clone(), go.clone());
    let holder = spawn("holder", move || {
        a.acquire();
        g.wait();
        a.release().unwrap();
    });
    while !accounts.locked() {
        sleep(Duration::from_millis(1));
    }
    let a = accounts.clone();
    let lock_waiter = spawn("lock-waiter", move || {
        let _g = a.lock();
    });

    // The main thread owns the RLock; "rlock-waiter" waits for it.
    registry.acquire();
    let r = registry.clone();
    let rlock_waiter = spawn("rlock-waiter", move || {
        let _g = r.lock();
    });

    // "cond-waiter" waits to be notified.
    let c = ready.clone();
    let cond_waiter = spawn("cond-waiter", move || {
        let g = c.lock();
        g.wait();
    });

    // "barrier-waiter" is the first of three parties.
    let m = meeting.clone();
    let barrier_waiter = spawn("barrier-waiter", move || {
        let _ = m.wait();
    });

    // "joiner" joins "holder".
    let h = holder.clone();
    let joiner = spawn("joiner", move || h.join().unwrap());

    // A timer that is still pending when the dump is taken.
    let alarm = Timer::builder().name("alarm").interval(Duration::from_secs(60)).function(|| {});
    alarm.start().unwrap();

    // Wait (at most 30 s) until every worker is blocked.
    let workers = ["holder", "lock-waiter", "rlock-waiter", "cond-waiter", "barrier-waiter", "joiner"];
    let begun = Instant::now();
    let dump = loop {
        let d = threading::dump();
        let blocked = |name: &str| d.threads().iter().any(|t| t.name == name && t.blocked.is_some());
        if workers.iter().all(|w| blocked(w)) || begun.elapsed() > Duration::from_secs(30) {
            break d;
        }
        sleep(Duration::from_millis(5));
    };
    print!("{dump}");

    // Let everyone go.
    assert!(alarm.cancel(), "the alarm, 60 s away, is cancelled before it fires");
    go.set();
    registry.release().unwrap();
    ready.lock().notify_all();
    meeting.abort();
    for t in [holder, lock_waiter, rlock_waiter, cond_waiter, barrier_waiter, joiner] {
        t.join().unwrap();
    }
    alarm.join().unwrap();
}
