"""Counting the SQL statements a request sends (a regression measure, not a timing).

``count_queries(engine)`` listens to SQLAlchemy's ``before_cursor_execute`` on the engine
for the duration of a ``with`` block; ``page_queries(client, url)`` fetches a page and
answers (response, number of statements). Used by tests/functional/test_query_counts.py
and by the page benchmark (benchmarks/pages.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    def __str__(self) -> str:
        return "\n".join(f"{i + 1:3}. {s[:160]}" for i, s in enumerate(self.statements))


@contextmanager
def count_queries(engine: Engine) -> Iterator[QueryLog]:
    """Every statement sent on ``engine`` inside the block (executemany counts once)."""
    log = QueryLog()

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
               executemany: bool) -> None:
        log.statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", record)


def page_queries(client: Any, url: str, *, expect: int = 200) -> tuple[Any, QueryLog]:
    """GET ``url`` with the test client; the response and the statements it cost."""
    from marketplace.extensions import db

    with count_queries(db.engine) as log:
        response = client.get(url)
    assert response.status_code == expect, (url, response.status_code)
    return response, log


_CSRF = re.compile(rb'name="csrf_token" value="[^"]*"')


def page_html(response: Any) -> bytes:
    """A page without its CSRF tokens: they carry a timestamp, so two views a second apart
    differ there even when everything the page shows is the same."""
    return _CSRF.sub(b'name="csrf_token" value=""', response.get_data())
