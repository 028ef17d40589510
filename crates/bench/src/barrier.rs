//! `barrier_round_{2,4}t`: ns per barrier round.

use crate::measure::{compare, Config, Contender};
use crate::Report;
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
        #[cfg(feature = "sync-barrier")]
        assert!(rounds::<sync_barrier::Barrier>(3, 50) > Duration::ZERO);
    }
}
