//! `barrier_round_{2,4}t`: ns per barrier round; the 2-party row also
//! measures a spinning barrier, the floor.

use crate::measure::{compare, Config, Contender};
use crate::{Padded, Report};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const WARM_ROUNDS: u64 = 8;

trait RoundBarrier: Sync {
    fn with_parties(parties: usize) -> Self;
    fn wait(&self);
}

impl RoundBarrier for std::sync::Barrier {
    fn with_parties(parties: usize) -> Self {
        std::sync::Barrier::new(parties)
    }
    fn wait(&self) {
        std::sync::Barrier::wait(self);
    }
}

/// The floor: a sense-reversing barrier that spins on plain loads and never
/// parks. Each arrival reads the sense of the round it arrives in, counts
/// itself, and the last to arrive resets the count and flips the sense,
/// which releases the others. The sense cannot flip between an arrival's
/// read and its count (the round needs that arrival), and an arrival can
/// only read the sense its previous round ended with, or a later one.
struct SpinBarrier {
    parties: usize,
    count: Padded<AtomicUsize>,
    sense: Padded<AtomicBool>,
}

impl RoundBarrier for SpinBarrier {
    fn with_parties(parties: usize) -> Self {
        SpinBarrier { parties, count: Padded(AtomicUsize::new(0)), sense: Padded(AtomicBool::new(false)) }
    }
    fn wait(&self) {
        // Acquire: pairs with the Release flip of the round before, which
        // this thread saw (or made) on its way out of that round.
        let sense = self.sense.load(Ordering::Acquire);
        // AcqRel: the last arrival acquires every earlier arrival's count
        // (and what each did before it), and releases its own.
        if self.count.fetch_add(1, Ordering::AcqRel) + 1 == self.parties {
            // Relaxed: published by the Release flip below; no one counts
            // again before seeing that flip.
            self.count.store(0, Ordering::Relaxed);
            // Release: pairs with the waiters' Acquire loads below and with
            // the next round's first load above.
            self.sense.store(!sense, Ordering::Release);
        } else {
            // Acquire: pairs with the Release flip of the last arrival.
            while self.sense.load(Ordering::Acquire) == sense {
                std::hint::spin_loop();
            }
        }
    }
}

#[cfg(feature = "sync-barrier")]
impl RoundBarrier for sync_barrier::Barrier {
    fn with_parties(parties: usize) -> Self {
        sync_barrier::Barrier::new(parties)
    }
    fn wait(&self) {
        sync_barrier::Barrier::wait(self).expect("the bench never breaks the barrier");
    }
}

/// `parties` threads each pass the barrier `WARM_ROUNDS + n` times; party 0
/// times the last `n` rounds.
fn rounds<B: RoundBarrier>(parties: usize, n: u64) -> Duration {
    let barrier = B::with_parties(parties);
    std::thread::scope(|s| {
        for _ in 1..parties {
            s.spawn(|| {
                for _ in 0..WARM_ROUNDS + n {
                    barrier.wait();
                }
            });
        }
        for _ in 0..WARM_ROUNDS {
            barrier.wait();
        }
        let t0 = Instant::now();
        for _ in 0..n {
            barrier.wait();
        }
        t0.elapsed()
    })
}

fn row(cfg: &Config, report: &Report, parties: usize) {
    let mut contenders = Vec::new();
    #[cfg(feature = "sync-barrier")]
    contenders.push(Contender::new("ours", move |n| rounds::<sync_barrier::Barrier>(parties, n)));
    #[cfg(not(feature = "sync-barrier"))]
    report.ours_missing("sync-barrier");
    contenders.push(Contender::new("std", move |n| rounds::<std::sync::Barrier>(parties, n)));
    // With two parties on two cores, spinning is the floor; with more
    // parties than cores, a spinner would hold a core the others need.
    if parties == 2 {
        contenders.push(Contender::new("spin_floor", move |n| rounds::<SpinBarrier>(parties, n)));
    }
    report.results(&compare(cfg, contenders));
}

pub(crate) fn round_2t(cfg: &Config, report: &Report) {
    row(cfg, report, 2);
}

pub(crate) fn round_4t(cfg: &Config, report: &Report) {
    row(cfg, report, 4);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_finish() {
        assert!(rounds::<std::sync::Barrier>(3, 50) > Duration::ZERO);
        assert!(rounds::<SpinBarrier>(2, 50) > Duration::ZERO);
        #[cfg(feature = "sync-barrier")]
        assert!(rounds::<sync_barrier::Barrier>(3, 50) > Duration::ZERO);
    }

    /// No party leaves a round before every party has arrived in it.
    #[test]
    fn spin_barrier_holds_every_party_until_all_arrive() {
        const PARTIES: usize = 2;
        const ROUNDS: usize = 200;
        let barrier = SpinBarrier::with_parties(PARTIES);
        let arrived = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..PARTIES {
                s.spawn(|| {
                    for round in 1..=ROUNDS {
                        arrived.fetch_add(1, Ordering::SeqCst);
                        barrier.wait();
                        let seen = arrived.load(Ordering::SeqCst);
                        assert!(seen >= PARTIES * round, "left round {round} having seen {seen} arrivals");
                    }
                });
            }
        });
        assert_eq!(arrived.load(Ordering::SeqCst), PARTIES * ROUNDS);
    }
}
