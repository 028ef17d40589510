//! Queue, LifoQueue, PriorityQueue, SimpleQueue: the behaviours CPython's
//! `Lib/test/test_queue.py` checks, in our own words, plus shutdown (3.13)
//! and stress. Every blocking call is bounded (a watchdog or a long
//! timeout), so a lost wake-up fails instead of hanging.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};
use sync_queue::{GetError, LifoQueue, PriorityQueue, PutError, Queue, ShutDown, SimpleQueue};

/// Long enough that a wake-up that is coming always wins.
const LONG: Duration = Duration::from_secs(20);

/// Starts `f` on a thread; the returned receiver gets its result.
fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> mpsc::Receiver<T> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx
}

/// The result of a thread started with [`spawn`], failing (instead of
/// hanging) if it does not come within [`LONG`].
fn finish<T>(rx: &mpsc::Receiver<T>) -> T {
    rx.recv_timeout(LONG).expect("a blocked call was not woken: lost wake-up?")
}

/// Asserts the thread is still blocked after a while.
fn still_blocked<T: std::fmt::Debug>(rx: &mpsc::Receiver<T>) {
    thread::sleep(Duration::from_millis(100));
    assert!(rx.try_recv().is_err(), "the call should still be blocked");
}

/// Lets started threads reach their blocking call.
fn settle() {
    thread::sleep(Duration::from_millis(100));
}

#[test]
fn fifo_order() {
    let q = Queue::new(0);
    for n in [111, 333, 222] {
        q.put(n).unwrap();
    }
    let got: Vec<_> = (0..3).map(|_| q.get().unwrap()).collect();
    assert_eq!(got, [111, 333, 222]);
}

#[test]
fn lifo_order() {
    let q = LifoQueue::new(0);
    for n in [111, 333, 222] {
        q.put(n).unwrap();
    }
    let got: Vec<_> = (0..3).map(|_| q.get().unwrap()).collect();
    assert_eq!(got, [222, 333, 111]);
}

#[test]
fn priority_order_smallest_first() {
    let q = PriorityQueue::new(0);
    for n in [111, 333, 222, 5, 999, 0] {
        q.put(n).unwrap();
    }
    let got: Vec<_> = (0..6).map(|_| q.get().unwrap()).collect();
    assert_eq!(got, [0, 5, 111, 222, 333, 999]);
    let jobs = PriorityQueue::new(0);
    jobs.put((10, "low")).unwrap();
    jobs.put((1, "high")).unwrap();
    assert_eq!(jobs.get(), Ok((1, "high")));
}

#[test]
fn simple_queue_fifo_and_errors() {
    let q = SimpleQueue::new();
    assert!(q.empty());
    for n in 0..5 {
        q.put(n);
    }
    assert_eq!(q.qsize(), 5);
    assert!(!q.empty());
    let got: Vec<_> = (0..5).map(|_| q.get()).collect();
    assert_eq!(got, [0, 1, 2, 3, 4]);
    assert_eq!(q.try_get(), Err(sync_queue::Empty));
    let t0 = Instant::now();
    assert_eq!(q.get_timeout(Duration::from_millis(100)), Err(sync_queue::Empty));
    let waited = t0.elapsed();
    assert!(waited >= Duration::from_millis(60) && waited <= Duration::from_secs(1), "{waited:?}");
    assert!(format!("{q:?}").starts_with("SimpleQueue("));
}

#[test]
fn simple_queue_get_blocks_until_put() {
    let q = Arc::new(SimpleQueue::new());
    let q2 = Arc::clone(&q);
    let getter = spawn(move || q2.get());
    still_blocked(&getter);
    q.put("x");
    assert_eq!(finish(&getter), "x");
}

#[test]
fn sizes_empty_full() {
    let q = Queue::new(2);
    assert_eq!(q.maxsize(), 2);
    assert!(q.empty() && !q.full());
    q.put(1).unwrap();
    assert_eq!(q.qsize(), 1);
    assert!(!q.empty() && !q.full());
    q.put(2).unwrap();
    assert!(q.full());
    q.get().unwrap();
    assert!(!q.full());
    let unbounded = Queue::new(0);
    for n in 0..10_000 {
        unbounded.put(n).unwrap();
    }
    assert!(!unbounded.full());
    assert_eq!(unbounded.qsize(), 10_000);
}

#[test]
fn try_put_and_try_get_errors() {
    let q = Queue::new(1);
    assert_eq!(q.try_get(), Err(GetError::Empty));
    q.try_put(String::from("a")).unwrap();
    match q.try_put(String::from("b")) {
        Err(PutError::Full(item)) => assert_eq!(item, "b"),
        other => panic!("expected Full, got {other:?}"),
    }
    assert_eq!(q.try_get().as_deref(), Ok("a"));
    assert_eq!(q.try_get(), Err(GetError::Empty));
    assert_eq!(GetError::Empty.to_string(), "queue is empty");
    assert_eq!(PutError::Full(()).to_string(), "queue is full");
}

#[test]
fn timeouts_wait_then_fail() {
    let q = Queue::new(1);
    q.put(1).unwrap();
    let timeout = Duration::from_millis(200);
    let t0 = Instant::now();
    let err = q.put_timeout(2, timeout).unwrap_err();
    let waited = t0.elapsed();
    assert!(err.is_full());
    assert_eq!(err.into_inner(), 2);
    assert!(waited >= timeout.mul_f64(0.6) && waited <= timeout * 10, "put_timeout waited {waited:?}");
    q.get().unwrap();
    let t0 = Instant::now();
    assert_eq!(q.get_timeout(timeout), Err(GetError::Empty));
    let waited = t0.elapsed();
    assert!(waited >= timeout.mul_f64(0.6) && waited <= timeout * 10, "get_timeout waited {waited:?}");
    // Zero timeouts only try.
    assert_eq!(q.get_timeout(Duration::ZERO), Err(GetError::Empty));
    q.put_timeout(3, Duration::ZERO).unwrap();
    assert!(q.put_timeout(4, Duration::ZERO).unwrap_err().is_full());
    assert_eq!(q.get_timeout(Duration::ZERO), Ok(3));
}

#[test]
fn timeouts_succeed_when_woken() {
    let q = Arc::new(Queue::new(1));
    let q2 = Arc::clone(&q);
    let getter = spawn(move || q2.get_timeout(LONG));
    settle();
    q.put(5).unwrap();
    assert_eq!(finish(&getter), Ok(5));
    q.put(6).unwrap();
    let q2 = Arc::clone(&q);
    let putter = spawn(move || q2.put_timeout(7, LONG).map_err(|e| e.into_inner()));
    still_blocked(&putter);
    assert_eq!(q.get(), Ok(6));
    assert_eq!(finish(&putter), Ok(()));
    assert_eq!(q.get(), Ok(7));
}

#[test]
fn put_blocks_while_full_and_get_wakes_it() {
    let q = Arc::new(Queue::new(2));
    q.put(0).unwrap();
    q.put(1).unwrap();
    let q2 = Arc::clone(&q);
    let putter = spawn(move || q2.put(2).is_ok());
    still_blocked(&putter);
    assert_eq!(q.qsize(), 2);
    assert_eq!(q.get(), Ok(0));
    assert!(finish(&putter));
    assert_eq!([q.get(), q.get()], [Ok(1), Ok(2)]);
}

#[test]
fn get_blocks_while_empty_and_put_wakes_it() {
    let q = Arc::new(LifoQueue::new(0));
    let q2 = Arc::clone(&q);
    let getter = spawn(move || q2.get());
    still_blocked(&getter);
    q.put("item").unwrap();
    assert_eq!(finish(&getter), Ok("item"));
}

#[test]
fn task_done_too_many_times() {
    let q = Queue::new(0);
    let err = q.task_done().unwrap_err();
    assert_eq!(err.to_string(), "task_done() called too many times");
    q.put(1).unwrap();
    q.put(2).unwrap();
    assert_eq!(q.unfinished_tasks(), 2);
    q.get().unwrap();
    q.task_done().unwrap();
    q.task_done().unwrap(); // Python counts puts, not gets
    assert!(q.task_done().is_err());
    assert_eq!(q.unfinished_tasks(), 0);
}

#[test]
fn join_returns_at_once_with_nothing_unfinished() {
    let q: Queue<u8> = Queue::new(0);
    let q = Arc::new(q);
    let q2 = Arc::clone(&q);
    finish(&spawn(move || q2.join()));
}

#[test]
fn join_waits_for_every_task_done() {
    let q = Arc::new(Queue::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let (q, done) = (Arc::clone(&q), Arc::clone(&done));
            spawn(move || {
                while let Ok(n) = q.get() {
                    thread::sleep(Duration::from_millis(1));
                    done.fetch_add(n, Ordering::SeqCst);
                    q.task_done().unwrap();
                }
            })
        })
        .collect();
    for n in 1..=100 {
        q.put(n).unwrap();
    }
    let q2 = Arc::clone(&q);
    let joiner = spawn(move || q2.join());
    finish(&joiner);
    // Every task_done happened before join returned.
    assert_eq!(done.load(Ordering::SeqCst), 5050);
    assert_eq!(q.unfinished_tasks(), 0);
    // A second round on the same queue: join waits again.
    q.put(1000).unwrap();
    let q2 = Arc::clone(&q);
    let joiner = spawn(move || q2.join());
    finish(&joiner);
    assert_eq!(done.load(Ordering::SeqCst), 6050);
    q.shutdown(false);
    for w in &workers {
        finish(w);
    }
}

#[test]
fn join_blocks_while_a_task_is_unfinished() {
    let q = Arc::new(Queue::new(0));
    q.put(1).unwrap();
    let q2 = Arc::clone(&q);
    let joiner = spawn(move || q2.join());
    still_blocked(&joiner);
    q.get().unwrap();
    still_blocked(&joiner); // got, not yet done
    q.task_done().unwrap();
    finish(&joiner);
}

#[test]
fn shutdown_fails_puts_and_drains_gets() {
    let q = Queue::new(0);
    q.put(1).unwrap();
    q.put(2).unwrap();
    assert!(!q.is_shut_down());
    q.shutdown(false);
    assert!(q.is_shut_down());
    assert!(matches!(q.put(3), Err(PutError::ShutDown(3))));
    assert!(matches!(q.try_put(3), Err(PutError::ShutDown(3))));
    assert!(q.put_timeout(3, Duration::from_millis(1)).unwrap_err().is_shut_down());
    assert_eq!(q.get(), Ok(1));
    assert_eq!(q.get_timeout(Duration::from_millis(1)), Ok(2));
    assert_eq!(q.get(), Err(ShutDown));
    assert_eq!(q.try_get(), Err(GetError::ShutDown));
    assert_eq!(q.get_timeout(Duration::from_millis(1)), Err(GetError::ShutDown));
    // The two items were put and never marked done.
    assert_eq!(q.unfinished_tasks(), 2);
    assert_eq!(ShutDown.to_string(), "queue is shut down");
}

#[test]
fn shutdown_immediate_discards_and_releases_join() {
    let q = Arc::new(Queue::new(0));
    for n in 0..3 {
        q.put(n).unwrap();
    }
    let q2 = Arc::clone(&q);
    let joiner = spawn(move || q2.join());
    still_blocked(&joiner);
    q.shutdown(true);
    finish(&joiner);
    assert_eq!(q.qsize(), 0);
    assert_eq!(q.unfinished_tasks(), 0);
    assert_eq!(q.try_get(), Err(GetError::ShutDown));
}

#[test]
fn shutdown_immediate_keeps_join_waiting_for_items_already_got() {
    // As Python: only the discarded items leave the count.
    let q = Arc::new(Queue::new(0));
    q.put("got").unwrap();
    q.put("discarded").unwrap();
    assert_eq!(q.get(), Ok("got"));
    let q2 = Arc::clone(&q);
    let joiner = spawn(move || q2.join());
    q.shutdown(true);
    still_blocked(&joiner);
    assert_eq!(q.unfinished_tasks(), 1);
    q.task_done().unwrap();
    finish(&joiner);
}

#[test]
fn shutdown_drops_discarded_items() {
    let item = Arc::new(());
    let q = Queue::new(0);
    q.put(Arc::clone(&item)).unwrap();
    assert_eq!(Arc::strong_count(&item), 2);
    q.shutdown(true);
    assert_eq!(Arc::strong_count(&item), 1);
}

#[test]
fn shutdown_wakes_blocked_getters() {
    for immediate in [false, true] {
        let q: Arc<Queue<u32>> = Arc::new(Queue::new(0));
        let getters: Vec<_> = (0..3)
            .map(|i| {
                let q = Arc::clone(&q);
                if i == 2 {
                    spawn(move || q.get_timeout(LONG).map_err(|_| ShutDown))
                } else {
                    spawn(move || q.get())
                }
            })
            .collect();
        settle();
        q.shutdown(immediate);
        for g in &getters {
            assert_eq!(finish(g), Err(ShutDown));
        }
    }
}

#[test]
fn shutdown_wakes_blocked_putters() {
    for immediate in [false, true] {
        let q = Arc::new(Queue::new(1));
        q.put(0).unwrap();
        let putters: Vec<_> = (1..4)
            .map(|i| {
                let q = Arc::clone(&q);
                if i == 3 {
                    spawn(move || q.put_timeout(i, LONG).map_err(|e| (e.is_shut_down(), e.into_inner())))
                } else {
                    spawn(move || q.put(i).map_err(|e| (e.is_shut_down(), e.into_inner())))
                }
            })
            .collect();
        settle();
        q.shutdown(immediate);
        let mut back: Vec<_> = putters.iter().map(|p| finish(p).unwrap_err()).collect();
        back.sort();
        assert_eq!(back, [(true, 1), (true, 2), (true, 3)]);
        // The item put before: drained by a plain shutdown, discarded by an
        // immediate one.
        let expected = if immediate { Err(ShutDown) } else { Ok(0) };
        assert_eq!(q.get(), expected);
    }
}

#[test]
fn shutdown_wakes_a_blocked_get_that_then_drains() {
    // A getter woken by a put racing a plain shutdown still gets the item.
    let q = Arc::new(Queue::new(0));
    let q2 = Arc::clone(&q);
    let getter = spawn(move || q2.get());
    settle();
    q.put(9).unwrap();
    q.shutdown(false);
    assert_eq!(finish(&getter), Ok(9));
}

#[test]
fn many_producers_and_consumers_lose_and_duplicate_nothing() {
    const PRODUCERS: usize = 4;
    const CONSUMERS: usize = 4;
    const PER: usize = 5_000;
    let q = Arc::new(Queue::new(8));
    let consumers: Vec<_> = (0..CONSUMERS)
        .map(|_| {
            let q = Arc::clone(&q);
            spawn(move || {
                let mut got = Vec::new();
                while let Ok(item) = q.get() {
                    got.push(item);
                    q.task_done().unwrap();
                }
                got
            })
        })
        .collect();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let q = Arc::clone(&q);
            spawn(move || {
                for i in 0..PER {
                    q.put(p * PER + i).unwrap();
                }
            })
        })
        .collect();
    for p in &producers {
        finish(p);
    }
    let q2 = Arc::clone(&q);
    finish(&spawn(move || q2.join()));
    q.shutdown(false);
    let mut seen = HashSet::new();
    let mut count = 0;
    for c in &consumers {
        let got = finish(c);
        // Each producer's items reach one consumer in the order put.
        for p in 0..PRODUCERS {
            let mine: Vec<_> = got.iter().filter(|&&x| x / PER == p).collect();
            assert!(mine.windows(2).all(|w| w[0] < w[1]), "FIFO order broken");
        }
        count += got.len();
        seen.extend(got);
    }
    assert_eq!(count, PRODUCERS * PER, "an item was delivered twice or lost");
    assert_eq!(seen.len(), PRODUCERS * PER);
}

#[test]
fn timed_getters_and_putters_under_churn_lose_nothing() {
    // Timeouts racing wake-ups: an item is either got or still queued.
    let q = Arc::new(Queue::new(2));
    let got = Arc::new(AtomicUsize::new(0));
    let getters: Vec<_> = (0..3)
        .map(|_| {
            let (q, got) = (Arc::clone(&q), Arc::clone(&got));
            spawn(move || loop {
                match q.get_timeout(Duration::from_micros(50)) {
                    Ok(_) => {
                        got.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(GetError::Empty) => {}
                    Err(GetError::ShutDown) => return,
                }
            })
        })
        .collect();
    let mut sent = 0;
    for i in 0..3_000 {
        let mut item = i;
        loop {
            match q.put_timeout(item, Duration::from_micros(50)) {
                Ok(()) => break,
                Err(e) => item = e.into_inner(),
            }
        }
        sent += 1;
    }
    q.shutdown(false);
    for g in &getters {
        finish(g);
    }
    assert_eq!(got.load(Ordering::SeqCst), sent);
}

#[test]
fn debug_default_and_traits() {
    let q: Queue<i32> = Queue::default();
    q.put(1).unwrap();
    assert_eq!(
        format!("{q:?}"),
        "OrderedQueue { maxsize: 0, items: Fifo(len = 1), unfinished_tasks: 1, shut_down: false }"
    );
    let p: PriorityQueue<i32> = Default::default();
    assert!(format!("{p:?}").contains("Priority(len = 0)"));
    let l: LifoQueue<i32> = LifoQueue::new(3);
    assert!(format!("{l:?}").contains("maxsize: 3, items: Lifo(len = 0)"));
    fn assert_traits<T: Send + Sync + Default + std::fmt::Debug>() {}
    assert_traits::<Queue<String>>();
    assert_traits::<SimpleQueue<String>>();
}

#[test]
fn a_panicking_consumer_leaves_the_queue_usable() {
    let q = Arc::new(Queue::new(0));
    q.put(1).unwrap();
    let q2 = Arc::clone(&q);
    let r = thread::spawn(move || {
        let _item = q2.get().unwrap();
        panic!("consumer failed");
    })
    .join();
    assert!(r.is_err());
    q.put(2).unwrap();
    assert_eq!(q.get(), Ok(2));
}

#[test]
fn each_put_wakes_a_different_blocked_getter() {
    let q = Arc::new(Queue::new(0));
    let getters: Vec<_> = (0..3)
        .map(|_| {
            let q = Arc::clone(&q);
            spawn(move || q.get())
        })
        .collect();
    settle();
    for n in 0..3 {
        q.put(n).unwrap();
    }
    let mut got: Vec<_> = getters.iter().map(|g| finish(g).unwrap()).collect();
    got.sort_unstable();
    assert_eq!(got, [0, 1, 2]);
}

#[test]
fn each_get_wakes_a_different_blocked_putter() {
    let q = Arc::new(Queue::new(1));
    q.put(0).unwrap();
    let putters: Vec<_> = (1..4)
        .map(|n| {
            let q = Arc::clone(&q);
            spawn(move || q.put(n).is_ok())
        })
        .collect();
    settle();
    let mut got: Vec<_> = (0..4).map(|_| q.get_timeout(LONG).unwrap()).collect();
    for p in &putters {
        assert!(finish(p));
    }
    got.sort_unstable();
    assert_eq!(got, [0, 1, 2, 3]);
}

#[test]
fn join_wakes_every_joiner() {
    let q = Arc::new(Queue::new(0));
    q.put(()).unwrap();
    let joiners: Vec<_> = (0..3)
        .map(|_| {
            let q = Arc::clone(&q);
            spawn(move || q.join())
        })
        .collect();
    settle();
    q.get().unwrap();
    q.task_done().unwrap();
    for j in &joiners {
        finish(j);
    }
}

#[test]
fn an_immediate_shutdown_racing_puts_and_gets_leaves_nothing_unfinished() {
    // A bounded queue's ring: puts that land before the mark are either got
    // or discarded (and taken off the unfinished tasks), the others fail
    // with their item back; `join` is released either way.
    for round in 0..20 {
        let q = Arc::new(Queue::new(2));
        let producers: Vec<_> = (0..2)
            .map(|p| {
                let q = Arc::clone(&q);
                spawn(move || {
                    let mut landed = 0;
                    for i in 0.. {
                        match q.put(p * 1_000_000 + i) {
                            Ok(()) => landed += 1,
                            Err(e) => {
                                assert_eq!(e.into_inner(), p * 1_000_000 + i, "the item given back");
                                return landed;
                            }
                        }
                    }
                    unreachable!()
                })
            })
            .collect();
        let q2 = Arc::clone(&q);
        let consumer = spawn(move || {
            let mut got = Vec::new();
            while let Ok(item) = q2.get() {
                got.push(item);
                q2.task_done().unwrap();
            }
            got
        });
        std::thread::sleep(Duration::from_millis(1 + round % 3));
        q.shutdown(true);
        let landed: usize = producers.iter().map(finish).sum();
        let got = finish(&consumer);
        let unique: HashSet<_> = got.iter().collect();
        assert_eq!(unique.len(), got.len(), "an item was delivered twice");
        assert!(got.len() <= landed);
        assert_eq!(q.qsize(), 0);
        assert_eq!(q.unfinished_tasks(), 0);
        let q3 = Arc::clone(&q);
        finish(&spawn(move || q3.join()));
    }
}

#[test]
fn a_bounded_queue_too_big_for_a_ring_keeps_its_bound() {
    // 300 slots of 4 KiB items would take more than the ring's 1 MiB: the
    // lock design holds them, with the same behaviour.
    let q = Queue::new(300);
    for n in 0..300u16 {
        q.put([n as u8; 4096]).unwrap();
    }
    assert!(q.full());
    assert!(q.try_put([0; 4096]).unwrap_err().is_full());
    assert_eq!(q.get().unwrap()[0], 0);
    assert_eq!(q.qsize(), 299);
    assert!(format!("{q:?}").contains("Fifo"), "the lock design's Debug names its order");
}
