//! Queue rows: `queue_spsc`, `queue_mpmc_4x4`, `queue_pingpong` — Python's
//! `queue.Queue` against std's `sync_channel` and crossbeam's bounded
//! channel.

use crate::measure::{compare, Config, Contender};
use crate::Report;
use std::sync::Barrier;
use std::time::{Duration, Instant};

/// The sending half of a bounded channel (cloned for each producer).
trait Tx: Clone + Send {
    fn send(&self, v: u64);
}

/// The receiving half (cloned for each consumer).
trait Rx: Clone + Send {
    fn recv(&self) -> u64;
}

/// A bounded multi-producer multi-consumer channel.
trait Channel {
    type Tx: Tx;
    type Rx: Rx;
    fn bounded(cap: usize) -> (Self::Tx, Self::Rx);
}

/// Ours: one `Arc<Queue>` on both sides, `put` / `get`.
#[cfg(feature = "sync-queue")]
struct Ours;

#[cfg(feature = "sync-queue")]
#[derive(Clone)]
struct OursEnd(std::sync::Arc<sync_queue::Queue<u64>>);

#[cfg(feature = "sync-queue")]
impl Tx for OursEnd {
    fn send(&self, v: u64) {
        self.0.put(v).unwrap();
    }
}

#[cfg(feature = "sync-queue")]
impl Rx for OursEnd {
    fn recv(&self) -> u64 {
        self.0.get().unwrap()
    }
}

#[cfg(feature = "sync-queue")]
impl Channel for Ours {
    type Tx = OursEnd;
    type Rx = OursEnd;
    fn bounded(cap: usize) -> (OursEnd, OursEnd) {
        let q = OursEnd(std::sync::Arc::new(sync_queue::Queue::new(cap)));
        (q.clone(), q)
    }
}

/// `std::sync::mpsc::sync_channel`; its receiver is single-consumer, so
/// several consumers share it behind a `std::sync::Mutex` (std's mpmc
/// channel is not stable).
struct StdSync;

struct StdRx(std::sync::Arc<std::sync::Mutex<std::sync::mpsc::Receiver<u64>>>);

impl Clone for StdRx {
    fn clone(&self) -> Self {
        StdRx(std::sync::Arc::clone(&self.0))
    }
}

impl Tx for std::sync::mpsc::SyncSender<u64> {
    fn send(&self, v: u64) {
        std::sync::mpsc::SyncSender::send(self, v).unwrap();
    }
}

impl Rx for StdRx {
    fn recv(&self) -> u64 {
        self.0.lock().unwrap().recv().unwrap()
    }
}

impl Channel for StdSync {
    type Tx = std::sync::mpsc::SyncSender<u64>;
    type Rx = StdRx;
    fn bounded(cap: usize) -> (Self::Tx, StdRx) {
        let (tx, rx) = std::sync::mpsc::sync_channel(cap);
        (tx, StdRx(std::sync::Arc::new(std::sync::Mutex::new(rx))))
    }
}

/// `crossbeam_channel::bounded`.
struct Crossbeam;

impl Tx for crossbeam_channel::Sender<u64> {
    fn send(&self, v: u64) {
        crossbeam_channel::Sender::send(self, v).unwrap();
    }
}

impl Rx for crossbeam_channel::Receiver<u64> {
    fn recv(&self) -> u64 {
        crossbeam_channel::Receiver::recv(self).unwrap()
    }
}

impl Channel for Crossbeam {
    type Tx = crossbeam_channel::Sender<u64>;
    type Rx = crossbeam_channel::Receiver<u64>;
    fn bounded(cap: usize) -> (Self::Tx, Self::Rx) {
        crossbeam_channel::bounded(cap)
    }
}

const CAPACITY: usize = 1024;

/// `producers` threads send `n` items in all (`0..n`, split between them)
/// through a channel of capacity 1024 to `consumers` threads, which
/// receive until they have all `n`; timed from a common start to the last
/// thread's end. The sum of what arrived is checked, so an item lost or
/// delivered twice fails the run instead of looking fast. With no more
/// threads than CPUs each is pinned to a CPU of its own (as
/// `lock_contended_2t` does), else none is.
fn transfer<C: Channel>(producers: u64, consumers: u64, n: u64) -> Duration {
    let per_producer = n.div_ceil(producers);
    let total = per_producer * producers;
    let per_consumer = total / consumers;
    assert_eq!(per_consumer * consumers, total, "items must split evenly between consumers");
    let (tx, rx) = C::bounded(CAPACITY);
    let start = Barrier::new((producers + consumers) as usize + 1);
    let cpus = crate::affinity::allowed_cpus();
    let pin = (producers + consumers) as usize <= cpus.len();
    let (elapsed, sum) = std::thread::scope(|s| {
        for p in 0..producers {
            let (tx, start, cpus) = (tx.clone(), &start, &cpus);
            s.spawn(move || {
                if pin {
                    crate::affinity::pin_current_thread(cpus[p as usize]);
                }
                start.wait();
                for i in p * per_producer..(p + 1) * per_producer {
                    tx.send(i);
                }
            });
        }
        let sums: Vec<_> = (0..consumers)
            .map(|c| {
                let (rx, start, cpus) = (rx.clone(), &start, &cpus);
                s.spawn(move || {
                    if pin {
                        crate::affinity::pin_current_thread(cpus[(producers + c) as usize]);
                    }
                    start.wait();
                    (0..per_consumer).map(|_| rx.recv()).sum::<u64>()
                })
            })
            .collect();
        start.wait();
        let t0 = Instant::now();
        let sum: u64 = sums.into_iter().map(|h| h.join().unwrap()).sum();
        (t0, sum)
    });
    let elapsed = elapsed.elapsed();
    assert_eq!(sum, total * (total - 1) / 2, "an item was lost or delivered twice");
    Duration::from_secs_f64(elapsed.as_secs_f64() * n as f64 / total as f64)
}

fn transfer_row(cfg: &Config, report: &Report, producers: u64, consumers: u64) {
    let mut contenders = Vec::new();
    #[cfg(feature = "sync-queue")]
    contenders.push(Contender::new("ours", |n| transfer::<Ours>(producers, consumers, n)));
    #[cfg(not(feature = "sync-queue"))]
    report.ours_missing("sync-queue");
    contenders.push(Contender::new("std_sync_channel", |n| transfer::<StdSync>(producers, consumers, n)));
    contenders.push(Contender::new("crossbeam_channel", |n| transfer::<Crossbeam>(producers, consumers, n)));
    report.results(&compare(cfg, contenders));
}

/// ns per item, one producer → one consumer.
pub(crate) fn spsc(cfg: &Config, report: &Report) {
    transfer_row(cfg, report, 1, 1);
}

/// ns per item, four producers → four consumers.
pub(crate) fn mpmc_4x4(cfg: &Config, report: &Report) {
    transfer_row(cfg, report, 4, 4);
}

const WARM_ROUNDS: u64 = 16;

/// `n` round trips: main sends on `a` and receives on `b`; the partner
/// receives on `a` and sends it back on `b` (both channels of capacity 1).
/// Timed after a few warm rounds until the last reply arrives.
fn round_trips<C: Channel>(n: u64) -> Duration {
    let (a_tx, a_rx) = C::bounded(1);
    let (b_tx, b_rx) = C::bounded(1);
    std::thread::scope(|s| {
        s.spawn(move || {
            for _ in 0..n + WARM_ROUNDS {
                b_tx.send(a_rx.recv() + 1);
            }
        });
        for i in 0..WARM_ROUNDS {
            a_tx.send(i);
            assert_eq!(b_rx.recv(), i + 1);
        }
        let t0 = Instant::now();
        for i in 0..n {
            a_tx.send(i);
            assert_eq!(b_rx.recv(), i + 1);
        }
        t0.elapsed()
    })
}

/// ns per round trip through two queues.
pub(crate) fn pingpong(cfg: &Config, report: &Report) {
    let mut contenders = Vec::new();
    #[cfg(feature = "sync-queue")]
    contenders.push(Contender::new("ours", round_trips::<Ours>));
    #[cfg(not(feature = "sync-queue"))]
    report.ours_missing("sync-queue");
    contenders.push(Contender::new("crossbeam_channel", round_trips::<Crossbeam>));
    report.results(&compare(cfg, contenders));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transfers_and_round_trips_finish() {
        assert!(transfer::<StdSync>(1, 1, 3000) > Duration::ZERO);
        assert!(transfer::<Crossbeam>(4, 4, 3000) > Duration::ZERO);
        assert!(round_trips::<Crossbeam>(50) > Duration::ZERO);
        #[cfg(feature = "sync-queue")]
        {
            assert!(transfer::<Ours>(1, 1, 3000) > Duration::ZERO);
            assert!(transfer::<Ours>(4, 4, 3000) > Duration::ZERO);
            assert!(round_trips::<Ours>(50) > Duration::ZERO);
        }
    }
}
