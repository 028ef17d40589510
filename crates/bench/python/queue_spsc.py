"""queue_spsc: ns per item, one producer thread putting into a
queue.Queue(1024) and the main thread getting, as the Rust row does."""

import queue
import threading

from common import emit, now, per_op

CAPACITY = 1024


def run(n):
    q = queue.Queue(CAPACITY)
    start = threading.Barrier(2)

    def producer():
        start.wait()
        for i in range(n):
            q.put(i)

    t = threading.Thread(target=producer)
    t.start()
    start.wait()
    t0 = now()
    total = 0
    for _ in range(n):
        total += q.get()
    d = now() - t0
    t.join()
    assert total == n * (n - 1) // 2, "an item was lost or delivered twice"
    return d


emit("queue_spsc", per_op(run))
