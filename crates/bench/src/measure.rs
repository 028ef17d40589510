//! Hand-written timing: calibration, warm-up, interleaved samples, median.
//!
//! Every contender of a row is a closure `run(n) -> Duration` that performs
//! `n` operations and returns the time those `n` took (it may set up threads
//! first and leave them out of the figure). Each contender is calibrated to
//! about one sample time, warmed up once, and then the contenders are
//! sampled in turn (ours, peer, peer, ours, peer, peer, ...), so a change in
//! the machine's load (other builds on the 2 cores) hits all of them alike.
//! The figure is the median of the per-operation times.
//!
//! Why not criterion or divan: a row here is a *comparison* made in one
//! run, and what makes it fair is that the contenders' samples alternate.
//! criterion measures one benchmark to the end before it starts the next,
//! so a build starting on the other core halfway through the run lands on
//! one contender only; a full criterion run of these 14 rows with its
//! defaults (3 s of warm-up and 5 s of measurement for each of the 32
//! contenders) would also take over 4 minutes, beyond the 3 minutes
//! `--quick` is allowed. Several rows are
//! not "an operation in a loop" either: a sample spawns threads, times
//! only the part between two barriers, and checks a counter afterwards, or
//! takes the CPU time `getrusage` reports; both crates can express that
//! only through their custom-timing hooks, which leave the statistics and
//! the JSON to us anyway. What is left — calibration, warm-up, interleaving
//! and a median — is the code below, with its own tests.

use std::time::{Duration, Instant};

/// How long and how often to measure.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Config {
    /// `--quick`: fewer, shorter samples.
    pub(crate) quick: bool,
    /// The wall time one sample aims at.
    pub(crate) sample_time: Duration,
    /// How many samples each contender gets (odd, so the median is one).
    pub(crate) samples: usize,
}

impl Config {
    pub(crate) fn new(quick: bool) -> Config {
        // Many short samples rather than a few long ones: on a shared
        // 2-core machine a sample of a few ms often runs undisturbed, and
        // the median skips the ones another process preempted.
        if quick {
            Config { quick, sample_time: Duration::from_millis(10), samples: 15 }
        } else {
            Config { quick, sample_time: Duration::from_millis(25), samples: 41 }
        }
    }

    /// A sample count for rows whose one sample is long and fixed
    /// (timers, the idle wait): `quick` in quick mode, `full` otherwise.
    pub(crate) fn fixed_samples(&self, quick: usize, full: usize) -> usize {
        if self.quick {
            quick
        } else {
            full
        }
    }
}

/// One side of a row: a name (`ours` or a peer's) and its timed loop.
pub(crate) struct Contender<'a> {
    pub(crate) who: &'static str,
    run: Box<dyn FnMut(u64) -> Duration + 'a>,
}

impl<'a> Contender<'a> {
    pub(crate) fn new(who: &'static str, run: impl FnMut(u64) -> Duration + 'a) -> Contender<'a> {
        Contender { who, run: Box::new(run) }
    }
}

/// Times `n` calls of `op` on this thread (the single-thread rows' loop).
#[inline(always)]
pub(crate) fn timed(n: u64, mut op: impl FnMut()) -> Duration {
    let t0 = Instant::now();
    for _ in 0..n {
        op();
    }
    t0.elapsed()
}

/// The median of `v` (sorted in place); NaN for an empty slice.
pub(crate) fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

/// Finds `n` such that `run(n)` takes about `cfg.sample_time`.
fn calibrate(cfg: &Config, run: &mut dyn FnMut(u64) -> Duration) -> u64 {
    let floor = cfg.sample_time / 10;
    let mut n: u64 = 1;
    loop {
        let d = run(n);
        if d >= floor || n >= 1 << 40 {
            let scale = cfg.sample_time.as_secs_f64() / d.as_secs_f64().max(1e-9);
            return ((n as f64 * scale) as u64).max(1);
        }
        // Grow by the measured ratio (at most 16× at a time, at least 2×).
        let grow = (floor.as_secs_f64() / d.as_secs_f64().max(1e-9) * 1.5).clamp(2.0, 16.0);
        n = (n as f64 * grow) as u64;
    }
}

/// Measures every contender (calibrate, warm up, interleaved samples) and
/// returns `(who, median ns per operation)` in the contenders' order.
pub(crate) fn compare(cfg: &Config, contenders: Vec<Contender<'_>>) -> Vec<(&'static str, f64)> {
    let mut contenders = contenders;
    let mut sizes = Vec::with_capacity(contenders.len());
    for c in &mut contenders {
        let n = calibrate(cfg, &mut c.run);
        (c.run)(n); // warm-up at the measured size
        sizes.push(n);
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(cfg.samples); contenders.len()];
    for _ in 0..cfg.samples {
        for (i, c) in contenders.iter_mut().enumerate() {
            let n = sizes[i];
            let d = (c.run)(n);
            samples[i].push(d.as_nanos() as f64 / n as f64);
        }
    }
    contenders.iter().zip(samples.iter_mut()).map(|(c, s)| (c.who, median(s))).collect()
}

/// A contender of a fixed-size row: its name and one run giving one figure in ns.
pub(crate) type FixedRun<'a> = (&'static str, Box<dyn FnMut() -> f64 + 'a>);

/// Runs a fixed, long operation (one call = one figure in ns) `samples`
/// times per contender, interleaved, and returns the medians.
pub(crate) fn compare_fixed<'a>(samples: usize, contenders: Vec<FixedRun<'a>>) -> Vec<(&'static str, f64)> {
    let mut contenders = contenders;
    let mut figures: Vec<Vec<f64>> = vec![Vec::with_capacity(samples); contenders.len()];
    for _ in 0..samples {
        for (i, (_, run)) in contenders.iter_mut().enumerate() {
            figures[i].push(run());
        }
    }
    contenders.iter().zip(figures.iter_mut()).map(|((who, _), f)| (*who, median(f))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&mut []).is_nan());
    }

    #[test]
    fn calibrate_reaches_the_sample_time() {
        let cfg = Config { quick: true, sample_time: Duration::from_millis(10), samples: 3 };
        // A fake operation of 1 µs each.
        let mut run = |n: u64| Duration::from_micros(n);
        let n = calibrate(&cfg, &mut run);
        assert!((5_000..=20_000).contains(&n), "n = {n}");
    }
}
