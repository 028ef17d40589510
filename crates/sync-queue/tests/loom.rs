//! Loom models of the queue: its lock, its three conditions and the parking
//! protocol under them (the model backend, with the model clock for
//! timeouts), under every interleaving within the preemption bound. A lost
//! wake-up shows as a deadlock that loom reports.
//!
//! A bounded `Queue` (maxsize 1 or 2 here) is the lock-free ring, any other
//! the lock design: the models that wait on an empty queue run on both
//! (`maxsize` 0 and 1 or 2), and the `loom_ring_*` ones check the ring's
//! own cases (positions claimed by several producers, laps, FIFO per
//! producer).
//!
//! Run: `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release
//! -p sync-queue --test loom` (or `cargo xtask check-models`).

#![cfg(loom)]

use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;
// std's Arc, not loom's: a loom Arc held by a thread loom finds deadlocked
// aborts the binary (tokio-rs/loom#291); a lost wake-up must fail cleanly.
use std::sync::Arc;
use std::time::Duration;
use sync_queue::{GetError, PutError, Queue, ShutDown};
use thread_core::__private::model::fire;

const T: Duration = Duration::from_secs(1);

/// A queue of capacity 1, two producers putting one item each (one of them
/// must wait for room) and a consumer getting two: each item arrives
/// exactly once, and nobody is left blocked.
#[test]
fn loom_queue_capacity_one_no_item_lost_or_duplicated() {
    loom::model(|| {
        let q = Arc::new(Queue::new(1));
        let producers: Vec<_> = [1, 2]
            .into_iter()
            .map(|item| {
                let q = Arc::clone(&q);
                thread::spawn(move || q.put(item).unwrap())
            })
            .collect();
        let mut got = [q.get().unwrap(), q.get().unwrap()];
        got.sort_unstable();
        assert_eq!(got, [1, 2]);
        for p in producers {
            p.join().unwrap();
        }
        assert!(q.empty());
        assert_eq!(q.unfinished_tasks(), 2);
    });
}

/// A `get` on an empty queue racing a `put`: the getter is always woken
/// and gets the item.
fn blocked_get_is_woken(maxsize: usize) {
    loom::model(move || {
        let q = Arc::new(Queue::new(maxsize));
        let q2 = Arc::clone(&q);
        let producer = thread::spawn(move || q2.put(7).unwrap());
        assert_eq!(q.get(), Ok(7));
        producer.join().unwrap();
    });
}

#[test]
fn loom_queue_blocked_get_is_woken() {
    blocked_get_is_woken(0);
}

#[test]
fn loom_ring_blocked_get_is_woken() {
    blocked_get_is_woken(1);
}

#[test]
fn loom_queue_two_puts_wake_two_getters() {
    two_puts_wake_two_getters(0);
}

#[test]
fn loom_ring_two_puts_wake_two_getters() {
    two_puts_wake_two_getters(2);
}

/// Two getters on an empty queue and two puts: each put wakes a getter
/// that is still waiting (a put wakes one, not all), and both get an item.
fn two_puts_wake_two_getters(maxsize: usize) {
    loom::model(move || {
        let q = Arc::new(Queue::new(maxsize));
        let getters: Vec<_> = (0..2)
            .map(|_| {
                let q = Arc::clone(&q);
                thread::spawn(move || q.get().unwrap())
            })
            .collect();
        q.put(1).unwrap();
        q.put(2).unwrap();
        let mut got: Vec<_> = getters.into_iter().map(|g| g.join().unwrap()).collect();
        got.sort_unstable();
        assert_eq!(got, [1, 2]);
    });
}

/// A `put` on a full queue racing a `get`: the putter is always woken and
/// its item follows the first.
#[test]
fn loom_queue_blocked_put_is_woken() {
    loom::model(|| {
        let q = Arc::new(Queue::new(1));
        q.put(1).unwrap();
        let q2 = Arc::clone(&q);
        let producer = thread::spawn(move || q2.put(2).unwrap());
        assert_eq!(q.get(), Ok(1));
        assert_eq!(q.get(), Ok(2));
        producer.join().unwrap();
    });
}

#[test]
fn loom_queue_get_timeout_never_loses_an_item() {
    get_timeout_never_loses_an_item(0);
}

#[test]
fn loom_ring_get_timeout_never_loses_an_item() {
    get_timeout_never_loses_an_item(1);
}

/// `get_timeout` racing a `put` and the clock: it returns the item or
/// `Empty`, and then the item is still queued — never lost.
fn get_timeout_never_loses_an_item(maxsize: usize) {
    loom::model(move || {
        let q = Arc::new(Queue::new(maxsize));
        let q2 = Arc::clone(&q);
        let producer = thread::spawn(move || q2.put(7).unwrap());
        let clock = thread::spawn(fire);
        match q.get_timeout(T) {
            Ok(item) => assert_eq!(item, 7),
            Err(e) => {
                assert_eq!(e, GetError::Empty);
                producer.join().unwrap();
                assert_eq!(q.try_get(), Ok(7));
                clock.join().unwrap();
                return;
            }
        }
        producer.join().unwrap();
        clock.join().unwrap();
        assert!(q.empty());
    });
}

#[test]
fn loom_queue_join_returns_after_last_task_done() {
    join_returns_after_last_task_done(0);
}

#[test]
fn loom_ring_join_returns_after_last_task_done() {
    join_returns_after_last_task_done(2);
}

/// A worker gets two items and marks each done; `join` returns only after
/// the last `task_done`.
fn join_returns_after_last_task_done(maxsize: usize) {
    loom::model(move || {
        let q = Arc::new(Queue::new(maxsize));
        let done = Arc::new(AtomicUsize::new(0));
        let (q2, done2) = (Arc::clone(&q), Arc::clone(&done));
        let worker = thread::spawn(move || {
            for _ in 0..2 {
                q2.get().unwrap();
                done2.fetch_add(1, Ordering::Relaxed);
                q2.task_done().unwrap();
            }
        });
        q.put('a').unwrap();
        q.put('b').unwrap();
        q.join();
        assert_eq!(done.load(Ordering::Relaxed), 2);
        worker.join().unwrap();
    });
}

#[test]
fn loom_queue_shutdown_wakes_every_blocked_getter() {
    shutdown_wakes_every_blocked_getter(0);
}

#[test]
fn loom_ring_shutdown_wakes_every_blocked_getter() {
    shutdown_wakes_every_blocked_getter(1);
}

/// Two getters blocked on an empty queue: a plain `shutdown` wakes both,
/// and both fail with `ShutDown`.
fn shutdown_wakes_every_blocked_getter(maxsize: usize) {
    loom::model(move || {
        let q: Arc<Queue<u8>> = Arc::new(Queue::new(maxsize));
        let getters: Vec<_> = (0..2)
            .map(|_| {
                let q = Arc::clone(&q);
                thread::spawn(move || q.get())
            })
            .collect();
        q.shutdown(false);
        for g in getters {
            assert_eq!(g.join().unwrap(), Err(ShutDown));
        }
    });
}

/// Two putters blocked on a full queue of capacity 1: an immediate
/// `shutdown` wakes both with their items back, and discards the queued
/// one.
#[test]
fn loom_queue_shutdown_wakes_every_blocked_putter() {
    loom::model(|| {
        let q = Arc::new(Queue::new(1));
        q.put(0).unwrap();
        let putters: Vec<_> = [1, 2]
            .into_iter()
            .map(|item| {
                let q = Arc::clone(&q);
                thread::spawn(move || q.put(item))
            })
            .collect();
        q.shutdown(true);
        let mut back: Vec<_> = putters
            .into_iter()
            .map(|p| match p.join().unwrap() {
                Err(PutError::ShutDown(item)) => item,
                other => panic!("expected ShutDown, got {other:?}"),
            })
            .collect();
        back.sort_unstable();
        assert_eq!(back, [1, 2]);
        assert_eq!(q.try_get(), Err(GetError::ShutDown));
    });
}

#[test]
fn loom_queue_shutdown_immediate_releases_join() {
    shutdown_immediate_releases_join(0);
}

#[test]
fn loom_ring_shutdown_immediate_releases_join() {
    shutdown_immediate_releases_join(1);
}

/// `join` waiting on an unfinished item: an immediate `shutdown` discards
/// it and releases the joiner.
fn shutdown_immediate_releases_join(maxsize: usize) {
    loom::model(move || {
        let q = Arc::new(Queue::new(maxsize));
        q.put(1).unwrap();
        let q2 = Arc::clone(&q);
        let joiner = thread::spawn(move || q2.join());
        q.shutdown(true);
        joiner.join().unwrap();
        assert_eq!(q.unfinished_tasks(), 0);
    });
}

/// A ring of capacity 2, one producer putting 1 then 2, another putting 3,
/// and a consumer getting three: the producers race for positions and the
/// third put waits for room (a lap); every item arrives once, and 1
/// before 2.
#[test]
fn loom_ring_capacity_two_two_producers_fifo_per_producer() {
    loom::model(|| {
        let q = Arc::new(Queue::new(2));
        let q1 = Arc::clone(&q);
        let a = thread::spawn(move || {
            q1.put(1).unwrap();
            q1.put(2).unwrap();
        });
        let q2 = Arc::clone(&q);
        let b = thread::spawn(move || q2.put(3).unwrap());
        let got = [q.get().unwrap(), q.get().unwrap(), q.get().unwrap()];
        let first = |item| got.iter().position(|&g| g == item).unwrap();
        assert!(first(1) < first(2), "one producer's items out of order: {got:?}");
        let mut sorted = got;
        sorted.sort_unstable();
        assert_eq!(sorted, [1, 2, 3]);
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(q.qsize(), 0);
        assert_eq!(q.unfinished_tasks(), 3);
    });
}

/// A put on a full ring of capacity 1 racing a get and a plain shutdown:
/// the put either lands (and the item is then drained) or fails with its
/// item back; the putter is never left asleep.
#[test]
fn loom_ring_full_putter_released_by_get_or_shutdown() {
    loom::model(|| {
        let q = Arc::new(Queue::new(1));
        q.put(1).unwrap();
        let q2 = Arc::clone(&q);
        let putter = thread::spawn(move || q2.put(2));
        let q3 = Arc::clone(&q);
        let closer = thread::spawn(move || q3.shutdown(false));
        assert_eq!(q.get(), Ok(1));
        let put = putter.join().unwrap();
        closer.join().unwrap();
        match put {
            Ok(()) => assert_eq!(q.get(), Ok(2)),
            Err(e) => assert_eq!(e, PutError::ShutDown(2)),
        }
        assert_eq!(q.get(), Err(ShutDown));
    });
}

/// Two `task_done`s for two items got by two threads both succeed: a
/// `task_done` never reads another's count beside a stale count of puts
/// (found by an independent review; fails with `done` read Relaxed).
#[test]
fn loom_ring_task_done_never_spurious() {
    loom::model(|| {
        let q = Arc::new(Queue::new(2));
        let q1 = Arc::clone(&q);
        let a = thread::spawn(move || {
            q1.put(1).unwrap();
            q1.put(2).unwrap();
        });
        let q2 = Arc::clone(&q);
        let b = thread::spawn(move || {
            q2.get().unwrap();
            q2.task_done().expect("B's task_done");
        });
        q.get().unwrap();
        q.task_done().expect("main's task_done");
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(q.unfinished_tasks(), 0);
    });
}
