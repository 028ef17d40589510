"""executor_10k_tasks: ns per submit + result, 10,000 trivial tasks submitted
to a ThreadPoolExecutor of 4 workers (started before the clock), then every
result collected."""

import threading
from concurrent.futures import ThreadPoolExecutor

from common import emit, fixed, now

TASKS = 10_000
WORKERS = 4


def double(i):
    return i * 2


def main():
    with ThreadPoolExecutor(max_workers=WORKERS) as ex:
        # Start the 4 workers before the clock.
        barrier = threading.Barrier(WORKERS)
        for f in [ex.submit(barrier.wait) for _ in range(WORKERS)]:
            f.result()

        def run():
            t0 = now()
            fs = [ex.submit(double, i) for i in range(TASKS)]
            total = sum(f.result() for f in fs)
            ns = now() - t0
            assert total == TASKS * (TASKS - 1)
            return ns / TASKS

        run()  # warm-up
        emit("executor_10k_tasks", fixed(run, 5, 11))


main()
