//! `threading::dump()` and `threading::deadlocks()`: each primitive's
//! entry, deadlocks through `RLock`s and through a `Lock` and a join, no
//! false cycle through an `Event`, and dumps taken while threads hammer
//! every primitive.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::sleep;
use std::time::{Duration, Instant};

use threading::dump::{BlockedOn, Holder, Kind};
use threading::{Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore, Thread, ThreadDump, Timer};

/// Long enough never to pass on a loaded machine, short enough to end a
/// test whose thread never blocks.
const PATIENCE: Duration = Duration::from_secs(30);

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Thread {
    let t = Thread::builder().name(name).daemon(true).target(f);
    t.start().unwrap();
    t
}

/// The dump's entry of the thread `name` once it is blocked (panics after
/// `PATIENCE`).
fn blocked(name: &str) -> (BlockedOn, ThreadDump) {
    let begun = Instant::now();
    loop {
        let d = threading::dump();
        if let Some(b) = d.threads().iter().find(|t| t.name == name).and_then(|t| t.blocked.clone()) {
            return (b, d);
        }
        assert!(begun.elapsed() < PATIENCE, "{name} never showed as blocked:\n{d}");
        sleep(Duration::from_millis(2));
    }
}

fn ident_of(t: &Thread) -> u64 {
    t.ident().expect("a started thread has an ident")
}

#[test]
fn lock_entry_names_the_acquirer_and_the_call_site() {
    let lock = Arc::new(Lock::named("accounts"));
    let l = lock.clone();
    let holder = spawn("lock-holder", move || l.acquire());
    holder.join().unwrap();
    let l = lock.clone();
    let waiter = spawn("lock-waiter", move || {
        let _g = l.lock();
    });
    let (b, d) = blocked("lock-waiter");
    assert_eq!((b.target.kind, b.target.name.as_deref(), b.op), (Kind::Lock, Some("accounts"), "acquire"));
    assert_eq!(b.target.address, &*lock as *const Lock as usize);
    assert_eq!(b.target.holder, Holder::AcquiredBy { ident: ident_of(&holder) });
    assert!(b.site.file().ends_with("dump.rs"), "{}", b.site);
    assert!(b.deadline.is_none());
    assert!(d.to_string().contains("acquire on Lock"), "{d}");
    lock.release().unwrap();
    assert_eq!(waiter.join_timeout(PATIENCE), Ok(true));
    // Its wait is over: no entry.
    assert!(threading::dump().threads().iter().all(|t| t.name != "lock-waiter" || t.blocked.is_none()));
}

#[test]
fn rlock_entry_names_the_owner() {
    let lock = Arc::new(RLock::named("registry"));
    lock.acquire();
    lock.acquire();
    let l = lock.clone();
    let waiter = spawn("rlock-waiter", move || {
        assert!(l.acquire_timeout(PATIENCE));
        l.release().unwrap();
    });
    let (b, _) = blocked("rlock-waiter");
    assert_eq!((b.target.kind, b.op), (Kind::RLock, "acquire"));
    assert_eq!(b.target.holder, Holder::Owner { ident: threading::get_ident() });
    assert!(b.is_timed());
    lock.release().unwrap();
    lock.release().unwrap();
    assert_eq!(waiter.join_timeout(PATIENCE), Ok(true));
}

#[test]
fn event_semaphore_barrier_and_join_entries() {
    let event = Arc::new(Event::named("go"));
    let sem = Arc::new(Semaphore::named(0, "slots"));
    let bounded = Arc::new(BoundedSemaphore::named(1, "one"));
    let barrier = Arc::new(Barrier::builder(3).name("meeting").build());
    bounded.acquire();

    let e = event.clone();
    let ev = spawn("event-waiter", move || assert!(e.wait()));
    let s = sem.clone();
    let sw = spawn("sem-waiter", move || s.acquire());
    let bs = bounded.clone();
    let bw = spawn("bounded-waiter", move || bs.acquire());
    let br = barrier.clone();
    let baw = spawn("barrier-waiter", move || assert!(br.wait().is_err()));
    let ev2 = ev.clone();
    let joiner = spawn("joiner", move || ev2.join().unwrap());

    let (b, _) = blocked("event-waiter");
    assert_eq!((b.target.kind, b.op, b.target.holder.clone()), (Kind::Event, "wait", Holder::Event { set: false }));
    let (b, _) = blocked("sem-waiter");
    assert_eq!((b.target.kind, b.target.name.as_deref()), (Kind::Semaphore, Some("slots")));
    assert_eq!(b.target.holder, Holder::Semaphore { value: 0 });
    let (b, _) = blocked("bounded-waiter");
    assert_eq!((b.target.kind, b.target.holder.clone()), (Kind::BoundedSemaphore, Holder::Semaphore { value: 0 }));
    let (b, _) = blocked("barrier-waiter");
    assert_eq!((b.target.kind, b.op), (Kind::Barrier, "barrier wait"));
    assert_eq!(b.target.holder, Holder::Barrier { n_waiting: 1, parties: 3, broken: false });
    let (b, _) = blocked("joiner");
    assert_eq!((b.target.kind, b.op), (Kind::Thread, "join"));
    assert_eq!(b.target.holder, Holder::Thread { name: "event-waiter".into(), ident: ev.ident() });

    event.set();
    sem.release();
    bounded.release().unwrap();
    barrier.abort();
    for t in [ev, sw, bw, baw, joiner] {
        assert_eq!(t.join_timeout(PATIENCE), Ok(true));
    }
}

/// A thread waiting for a future: in `result()`, for the task to finish;
/// in `into_result()`, for the callbacks of the finished task to run. Both
/// show as waits on an event that is not set.
#[test]
fn future_entries() {
    use threading::futures::ThreadPoolExecutor;
    let ex = ThreadPoolExecutor::new(1);
    let (task_go, callback_go) = (Arc::new(Event::new()), Arc::new(Event::new()));
    let g = task_go.clone();
    let f = ex
        .submit(move || {
            assert!(g.wait_timeout(PATIENCE));
            5u8
        })
        .unwrap();
    let f2 = f.clone();
    let result_waiter = spawn("result-waiter", move || assert_eq!(f2.result(), Ok(&5)));
    let (b, _) = blocked("result-waiter");
    assert_eq!((b.target.kind, b.op, b.target.holder.clone()), (Kind::Event, "wait", Holder::Event { set: false }));

    // A callback added while the task runs is run by the worker once the
    // task has finished; `into_result` waits until it has returned.
    let c = callback_go.clone();
    f.add_done_callback(move |_| assert!(c.wait_timeout(PATIENCE)));
    task_go.set();
    assert_eq!(result_waiter.join_timeout(PATIENCE), Ok(true));
    let settle_waiter = spawn("settle-waiter", move || assert_eq!(f.into_result(), Ok(5)));
    let (b, _) = blocked("settle-waiter");
    assert_eq!((b.target.kind, b.op, b.target.holder.clone()), (Kind::Event, "wait", Holder::Event { set: false }));
    callback_go.set();
    assert_eq!(settle_waiter.join_timeout(PATIENCE), Ok(true));
}

#[test]
fn queue_entries() {
    use threading::queue::Queue;
    let q: Arc<Queue<u8>> = Arc::new(Queue::new(1));
    q.put(1).unwrap();
    let q2 = q.clone();
    let putter = spawn("queue-putter", move || q2.put(2).unwrap());
    let (b, _) = blocked("queue-putter");
    assert_eq!((b.target.kind, b.op), (Kind::Queue, "put"));
    assert_eq!(b.target.holder, Holder::Queue { qsize: 1, maxsize: 1 });
    assert_eq!(b.target.address, &*q as *const Queue<u8> as usize);
    assert_eq!(q.get(), Ok(1));
    assert_eq!(putter.join_timeout(PATIENCE), Ok(true));
    assert_eq!(q.get(), Ok(2));
    let q2 = q.clone();
    let getter = spawn("queue-getter", move || assert_eq!(q2.get(), Ok(3)));
    let (b, _) = blocked("queue-getter");
    assert_eq!(
        (b.target.kind, b.op, b.target.holder.clone()),
        (Kind::Queue, "get", Holder::Queue { qsize: 0, maxsize: 1 })
    );
    assert!(b.site.file().ends_with("dump.rs"), "{}", b.site);
    q.put(3).unwrap();
    assert_eq!(getter.join_timeout(PATIENCE), Ok(true));
}

#[test]
fn condition_entry_and_its_lock() {
    let lock = Arc::new(Lock::named("state"));
    let cond = Arc::new(Condition::with_lock(lock.clone()).with_name("changed"));
    let go = Arc::new(AtomicBool::new(false));
    let (c, g) = (cond.clone(), go.clone());
    let waiter = spawn("cond-waiter", move || {
        let guard = c.lock();
        guard.wait_for(|| g.load(Ordering::SeqCst));
    });
    let (b, _) = blocked("cond-waiter");
    assert_eq!((b.target.kind, b.target.name.as_deref(), b.op), (Kind::Condition, Some("changed"), "wait_for"));
    match &b.target.holder {
        Holder::Condition { lock: l } => assert_eq!((l.kind, l.name.as_deref()), (Kind::Lock, Some("state"))),
        other => panic!("a condition's holder is its lock, got {other:?}"),
    }
    // Notified while the lock is held: it waits to take the lock again.
    let g = cond.lock();
    go.store(true, Ordering::SeqCst);
    g.notify_all();
    let begun = Instant::now();
    loop {
        let d = threading::dump();
        let b = d.threads().iter().find(|t| t.name == "cond-waiter").and_then(|t| t.blocked.clone());
        // Requeued onto the lock, it may still show its condition wait.
        if let Some(b) = b.filter(|b| b.op == "wait (re-acquire)") {
            assert_eq!(b.target.kind, Kind::Lock);
            assert_eq!(b.target.holder, Holder::AcquiredBy { ident: threading::get_ident() });
            break;
        }
        if begun.elapsed() > Duration::from_secs(2) {
            // A requeued waiter stays parked in its condition wait until the
            // lock is released: that is what it shows.
            break;
        }
        sleep(Duration::from_millis(2));
    }
    drop(g);
    assert_eq!(waiter.join_timeout(PATIENCE), Ok(true));
}

#[test]
fn pending_timer_shows_interval() {
    let t = Timer::builder().name("alarm").daemon(true).interval(Duration::from_secs(3600)).function(|| {});
    t.start().unwrap();
    let d = threading::dump();
    let entry = d.threads().iter().find(|x| x.name == "alarm").expect("a pending timer is listed");
    let timer = entry.timer.expect("a pending timer says so");
    assert_eq!(timer.interval, Duration::from_secs(3600));
    assert!(timer.fires_in.is_some_and(|f| f > Duration::from_secs(3000)));
    assert!(d.to_string().contains("pending Timer: interval 3600.000s"), "{d}");
    assert!(t.cancel());
}

/// The deadlocks that involve the thread `name`, once there is one
/// (panics after `PATIENCE`). Tests run in parallel: others' cycles are
/// left out.
fn deadlock_found(name: &str) -> Vec<threading::Deadlock> {
    let begun = Instant::now();
    loop {
        let mut found = threading::deadlocks();
        found.retain(|d| d.threads().iter().any(|t| t.name == name));
        if !found.is_empty() {
            return found;
        }
        assert!(begun.elapsed() < PATIENCE, "no deadlock found:\n{}", threading::dump());
        sleep(Duration::from_millis(2));
    }
}

#[test]
fn deadlock_through_rlocks() {
    let a = Arc::new(RLock::named("rl-a"));
    let b = Arc::new(RLock::named("rl-b"));
    let both = Arc::new(Barrier::new(2));
    let mut threads = Vec::new();
    for (name, x, y) in [("dl-rl-1", a.clone(), b.clone()), ("dl-rl-2", b.clone(), a.clone())] {
        let both = both.clone();
        threads.push(spawn(name, move || {
            let _g = x.lock();
            let _ = both.wait();
            // Timed, so that the test's threads end: the cycle breaks.
            let _h = y.try_lock_for(Duration::from_secs(5));
        }));
    }
    let found = deadlock_found("dl-rl-1");
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert!(d.is_exact() && d.is_timed());
    let names: Vec<_> = d.threads().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"dl-rl-1") && names.contains(&"dl-rl-2"));
    for t in d.threads() {
        assert_eq!(t.blocked.target.kind, Kind::RLock);
        assert!(d.threads().iter().any(|o| o.ident == t.held_by));
    }
    assert!(d.to_string().starts_with("Deadlock of 2 threads (exact, timed):"), "{d}");
    for t in threads {
        assert_eq!(t.join_timeout(PATIENCE), Ok(true));
    }
}

#[test]
fn deadlock_through_a_lock_and_a_join() {
    let lock = Arc::new(Lock::named("jl"));
    let release = Arc::new(Event::new());
    let (l, r) = (lock.clone(), release.clone());
    // "dl-acq" waits for the lock that "dl-join" holds; "dl-join" joins it.
    let acq = Thread::builder().name("dl-acq").daemon(true).target(move || {
        r.wait();
        l.acquire();
        l.release().unwrap();
    });
    acq.start().unwrap();
    let (l, a) = (lock.clone(), acq.clone());
    let rr = release.clone();
    let join = spawn("dl-join", move || {
        l.acquire();
        rr.set();
        let _ = a.join_timeout(Duration::from_secs(5));
        l.release().unwrap();
    });
    let found = deadlock_found("dl-acq");
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert!(!d.is_exact(), "a Lock's holder is only likely");
    let kinds: Vec<_> = d.threads().iter().map(|t| t.blocked.target.kind).collect();
    assert!(kinds.contains(&Kind::Lock) && kinds.contains(&Kind::Thread), "{kinds:?}");
    assert!(d.to_string().contains("(likely, timed)"), "{d}");
    assert_eq!(join.join_timeout(PATIENCE), Ok(true));
    assert_eq!(acq.join_timeout(PATIENCE), Ok(true));
}

#[test]
fn no_cycle_through_an_event() {
    // "ev-a" holds an RLock and waits on an Event that only "ev-b" would
    // set; "ev-b" waits for the RLock. Stuck, but an Event has no holder:
    // no cycle.
    let lock = Arc::new(RLock::named("ev-rl"));
    let event = Arc::new(Event::named("ev"));
    let held = Arc::new(Event::new());
    let (l, e, h) = (lock.clone(), event.clone(), held.clone());
    let a = spawn("ev-a", move || {
        let _g = l.lock();
        h.set();
        assert!(e.wait_timeout(PATIENCE), "the test sets the event once it has looked");
    });
    held.wait();
    let l = lock.clone();
    let b = spawn("ev-b", move || {
        let _g = l.lock();
    });
    blocked("ev-a");
    blocked("ev-b");
    for _ in 0..20 {
        let found = threading::deadlocks();
        assert!(found.iter().all(|d| d.threads().iter().all(|t| !t.name.starts_with("ev-"))), "{found:?}");
        sleep(Duration::from_millis(1));
    }
    event.set();
    assert_eq!(a.join_timeout(PATIENCE), Ok(true));
    assert_eq!(b.join_timeout(PATIENCE), Ok(true));
}

/// Four threads hammer every primitive while the main thread dumps in a
/// loop: no dump panics, none shows a thread blocked while it was outside
/// every call for the whole dump, and a thread blocked for the whole test
/// is in every dump.
#[test]
fn dumps_while_threads_hammer_every_primitive() {
    const WORKERS: usize = 4;
    let stop = Arc::new(AtomicBool::new(false));
    let lock = Arc::new(Lock::new());
    let rlock = Arc::new(RLock::new());
    let event = Arc::new(Event::new());
    let sem = Arc::new(Semaphore::new(1));
    let cond = Arc::new(Condition::new());
    let barrier = Arc::new(Barrier::new(WORKERS));
    // Odd while a worker is inside a blocking call, even between calls.
    let phase: Arc<Vec<AtomicUsize>> = Arc::new((0..WORKERS).map(|_| AtomicUsize::new(0)).collect());
    let mut workers = Vec::new();
    for w in 0..WORKERS {
        let (stop, lock, rlock, event, sem, cond, barrier, phase) = (
            stop.clone(),
            lock.clone(),
            rlock.clone(),
            event.clone(),
            sem.clone(),
            cond.clone(),
            barrier.clone(),
            phase.clone(),
        );
        workers.push(spawn(&format!("hammer-{w}"), move || {
            let call = |f: &dyn Fn()| {
                phase[w].fetch_add(1, Ordering::SeqCst);
                f();
                phase[w].fetch_add(1, Ordering::SeqCst);
            };
            let mut i = 0u64;
            while !stop.load(Ordering::SeqCst) {
                i += 1;
                call(&|| drop(lock.lock()));
                call(&|| drop(rlock.lock()));
                call(&|| drop(sem.permit()));
                call(&|| {
                    let g = cond.lock();
                    g.notify_all();
                    // Notified or timed out: either way the call was made.
                    let _ = g.wait_timeout(Duration::from_micros(50));
                });
                if w == 0 && i.is_multiple_of(2) {
                    event.set();
                    event.clear();
                } else {
                    call(&|| {
                        // Set or timed out: either way the call was made.
                        let _ = event.wait_timeout(Duration::from_micros(100));
                    });
                }
                if i.is_multiple_of(16) {
                    call(&|| {
                        let _ = barrier.wait_timeout(Duration::from_millis(20));
                    });
                    if barrier.is_broken() {
                        barrier.reset();
                    }
                }
            }
        }));
    }
    // Blocked for the whole test.
    let forever = Arc::new(Event::named("forever"));
    let f = forever.clone();
    let sentinel = spawn("sentinel", move || assert!(f.wait_timeout(PATIENCE * 2)));
    blocked("sentinel");

    let begun = Instant::now();
    let mut dumps = 0;
    while begun.elapsed() < Duration::from_millis(1500) {
        let before: Vec<usize> = phase.iter().map(|p| p.load(Ordering::SeqCst)).collect();
        let d = threading::dump();
        let after: Vec<usize> = phase.iter().map(|p| p.load(Ordering::SeqCst)).collect();
        let _ = d.to_string();
        let _ = threading::deadlocks();
        for w in 0..WORKERS {
            let t = d.threads().iter().find(|t| t.name == format!("hammer-{w}")).expect("every worker is listed");
            if t.blocked.is_some() {
                assert!(
                    before[w] % 2 == 1 || after[w] != before[w],
                    "hammer-{w} shown blocked while outside every call: {t:?}"
                );
            }
        }
        let s = d.threads().iter().find(|t| t.name == "sentinel").expect("the sentinel is listed");
        let b = s.blocked.as_ref().expect("the sentinel is blocked in every dump");
        assert_eq!((b.target.kind, b.target.name.as_deref()), (Kind::Event, Some("forever")));
        dumps += 1;
    }
    assert!(dumps > 10, "only {dumps} dumps");
    stop.store(true, Ordering::SeqCst);
    forever.set();
    barrier.abort();
    for t in workers {
        assert_eq!(t.join_timeout(PATIENCE), Ok(true));
    }
    assert_eq!(sentinel.join_timeout(PATIENCE), Ok(true));
}

#[test]
fn watch_reports_a_cycle_once() {
    let (tx, rx) = std::sync::mpsc::channel::<Vec<String>>();
    let tx = std::sync::Mutex::new(tx);
    let watch = threading::deadlock::watch(Duration::from_millis(2), move |d| {
        let names = d.threads().iter().map(|t| t.name.clone()).collect();
        let _ = tx.lock().unwrap().send(names);
    })
    .unwrap();
    let a = Arc::new(RLock::new());
    let b = Arc::new(RLock::new());
    let both = Arc::new(Barrier::new(2));
    let mut threads = Vec::new();
    for (name, x, y) in [("w-1", a.clone(), b.clone()), ("w-2", b.clone(), a.clone())] {
        let both = both.clone();
        threads.push(spawn(name, move || {
            let _g = x.lock();
            let _ = both.wait();
            let _h = y.try_lock_for(Duration::from_secs(1));
        }));
    }
    let mine = |names: &Vec<String>| names.iter().any(|n| n == "w-1");
    let begun = Instant::now();
    let first = loop {
        let names = rx.recv_timeout(PATIENCE).expect("the watchdog reports the cycle");
        if mine(&names) {
            break names;
        }
        assert!(begun.elapsed() < PATIENCE);
    };
    assert_eq!(first.len(), 2);
    // The cycle lasts until the timed waits end; it is not reported again.
    for t in threads {
        assert_eq!(t.join_timeout(PATIENCE), Ok(true));
    }
    watch.stop();
    let again: Vec<_> = rx.try_iter().filter(mine).collect();
    assert!(again.is_empty(), "reported again: {again:?}");
}
