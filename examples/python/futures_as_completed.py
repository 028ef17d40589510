"""futures_as_completed.py: as_completed yields futures as they finish,
wait() returns at the first, and a timeout ends the wait."""

import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, as_completed, wait


def task(n):
    time.sleep(n / 10)
    return n, n * n


with ThreadPoolExecutor(max_workers=5) as ex:
    print("main: starting")
    wait_for = [ex.submit(task, n) for n in [3, 1, 4, 2]]
    for f in as_completed(wait_for):
        n, square = f.result()
        print(f"main: result: {n} squared is {square}")

    fs = [ex.submit(task, n) for n in [5, 1]]
    done, not_done = wait(fs, return_when=FIRST_COMPLETED)
    print(f"main: first completed: {[f.result() for f in done]}, not done: {len(not_done)}")

    slow = ex.submit(task, 6)
    try:
        for f in as_completed([slow], timeout=0.1):
            print("main: never printed")
    except TimeoutError as e:
        print(f"main: timed out: {e}")
print(f"main: slow finished after the pool shut down: {slow.result()}")
