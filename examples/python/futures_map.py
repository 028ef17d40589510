"""futures_map.py: ThreadPoolExecutor.map gives the results in the order of
the items, whatever order the tasks finish in."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor


def task(n):
    print(f"sleeping {n}")
    time.sleep(n / 10)
    print(f"done with {n}")
    return n / 10


with ThreadPoolExecutor(max_workers=2) as ex:
    print("main: starting")
    results = ex.map(task, [6, 2, 3, 4])
    print("main: waiting for real results")
    real_results = list(results)
    print(f"main: results: {real_results}")
    print(f"main: threads: {sorted(t.name for t in threading.enumerate())}")
