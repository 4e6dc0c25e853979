"""A client that does what the API asks of one under load: on 503 with Retry-After, wait and
send the same request again (marketplace/main/errors.py: the database was busy and nothing
was written). SQLite's lock queue is not first come, first served, so under a burst of
parallel writes on a loaded machine one request can outwait SQLITE_BUSY_TIMEOUT_MS; the
concurrency tests assert the outcome after such a retry, as a real client would see it."""

from __future__ import annotations

import time
from typing import Any

TRIES = 5


def post_retrying(client: Any, url: str, **kwargs: Any) -> Any:
    for _ in range(TRIES - 1):
        response = client.post(url, **kwargs)
        if response.status_code != 503 or "Retry-After" not in response.headers:
            return response
        time.sleep(float(response.headers["Retry-After"]))
    return client.post(url, **kwargs)
