"""Parallel posts for the concurrency tests, sent as a real client under load would send them.

``post_at_once`` starts one thread per post and releases them together with a barrier. Each
post honours a 503 with Retry-After (marketplace/main/errors.py: the database was busy and
nothing was written) by waiting and sending it again: SQLite's lock queue is not first come,
first served, so under a burst of parallel writes on a loaded machine one request can
outwait SQLITE_BUSY_TIMEOUT_MS. The tests assert the outcome a client sees after such a retry.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask

TRIES = 5


def post_retrying(client: Any, url: str, **kwargs: Any) -> Any:
    for _ in range(TRIES - 1):
        response = client.post(url, **kwargs)
        if response.status_code != 503 or "Retry-After" not in response.headers:
            return response
        time.sleep(float(response.headers["Retry-After"]))
    return client.post(url, **kwargs)


def post_at_once(app: Flask, posts: list[tuple[str, dict[str, str]]]) -> list[Any]:
    """POST each (url, headers) from a thread of its own, all released at the same moment;
    the answers in the order of ``posts``. The caller's own session must hold no transaction
    (on SQLite it could hold the write lock the threads wait for)."""
    barrier = threading.Barrier(len(posts))
    answers: list[Any] = [None] * len(posts)

    def send(i: int) -> None:
        client = app.test_client()
        url, headers = posts[i]
        barrier.wait()
        answers[i] = post_retrying(client, url, headers=headers)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers
