"""Shared timing for the CPython peers of `cargo xtask bench`.

Each script measures one workload with CPython's own `threading` and prints
`result<TAB><workload><TAB>cpython<TAB><ns>` (lower is better), the same line
format as the Rust bench binary. `--quick` takes fewer, shorter samples.
Timing mirrors the Rust side: calibrate to a sample time, warm up once,
take several samples, report the median ns per operation.
"""

import statistics
import sys
import time

QUICK = "--quick" in sys.argv[1:]
SAMPLE_TIME_NS = 20_000_000 if QUICK else 50_000_000
SAMPLES = 9 if QUICK else 21


def per_op(run):
    """`run(n)` performs n operations and returns the ns they took."""
    floor = SAMPLE_TIME_NS // 10
    n = 1
    while True:
        d = run(n)
        if d >= floor:
            break
        n = int(n * min(16.0, max(2.0, floor / max(d, 1) * 1.5)))
    n = max(1, int(n * SAMPLE_TIME_NS / max(d, 1)))
    run(n)  # warm-up
    return statistics.median(run(n) / n for _ in range(SAMPLES))


def fixed(run, quick_samples, full_samples):
    """`run()` returns one figure in ns; the median of a few."""
    count = quick_samples if QUICK else full_samples
    return statistics.median(run() for _ in range(count))


def emit(workload, ns):
    print(f"result\t{workload}\tcpython\t{ns:.3f}", flush=True)
    print(f"  {workload:<28} {ns:>14.1f} ns  cpython", file=sys.stderr, flush=True)


def note(workload, text):
    print(f"note\t{workload}\t{text}", flush=True)


now = time.perf_counter_ns
