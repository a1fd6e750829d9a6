"""Races run for real: threads, each on its own database connection."""

import threading
from collections.abc import Callable

from django.db import connection


def run_concurrently(jobs: list[Callable[[], object]]) -> list[object]:
    """Run each job on its own thread and database connection, all released at once."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # collected and inspected by the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
