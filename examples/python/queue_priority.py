"""queue_priority: jobs handed out by priority (lowest number first).

The jobs are queued before the worker starts, so it takes them strictly in
priority order; equal priorities are ordered by the description, as tuples
compare.
"""

import queue
import threading

q = queue.PriorityQueue()

for priority, description in [
    (3, 'Mid-level job'),
    (10, 'Low-level job'),
    (1, 'Important job'),
    (3, 'Another mid-level job'),
]:
    print(f'New job: {description} (priority {priority})')
    q.put((priority, description))


def process_jobs():
    while True:
        try:
            priority, description = q.get_nowait()
        except queue.Empty:
            break
        print(f'Processing job: {description} (priority {priority})')
        q.task_done()


worker = threading.Thread(target=process_jobs, name='worker')
worker.start()
worker.join()
q.join()
print(f'All jobs done; {q.qsize()} left')
