"""Pages drawn again only when something was written since (docs/performance.md).

`cached` wraps a GET view of a signed-in page. The page is kept per process under
everything it can depend on:

- the data: the generation counter (`tracking`), raised by every committed write of a
  tracked table, read in the view's own transaction (so a kept page is never older than
  the counter it is kept under);
- the time: the current minute (pages say "today", "open too long", "late");
- the person and their login session (the page's forms carry the session's CSRF token),
  the language and the whole address with its query.

A kept page is served only to the same login session, in the same minute, while nothing
was written. What the first view wrote to the audit trail (reading a request or a file) is
written again for every view served from the store. A page is not kept when the view
changed the session (a new CSRF token, a flashed message), answered anything but 200,
or read a table the counter does not track. (A view that wrote a tracked table itself
is kept under the generation it began with: it shows newer data than that, never older.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event

from marketplace.accounts import audit
from marketplace.accounts.models import AuditEvent
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.page_cache.store import Kept, PageStore
from marketplace.page_cache.tracking import UNTRACKED, Tracker, track_writes

_AUDIT_FIELDS = ("action", "actor_user_id", "subject_user_id", "on_behalf_of_user_id",
                 "object_type", "object_id", "detail")
_NOT_KEPT_HEADERS = frozenset({"set-cookie", "content-length"})


def init_page_cache(app: Flask) -> None:
    """Count writes on the app's engine (always: other processes' stores rely on it) and
    keep pages in this process when PAGE_CACHE_BYTES is above 0."""
    budget = int(app.config.get("PAGE_CACHE_BYTES") or 0)
    with app.app_context():
        app.extensions["page_cache_tracker"] = track_writes(db.engine)
        if budget > 0:
            event.listen(db.engine, "before_cursor_execute", _read_untracked)
    if budget > 0:
        app.extensions["page_cache"] = PageStore(budget)


def store() -> PageStore | None:
    return current_app.extensions.get("page_cache")


def cached(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve this GET view from the process's store when nothing changed (module docstring).
    Put it under the view's authorisation decorator: who may see the page is checked first."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        pages = store()
        if (pages is None or request.method != "GET" or "_flashes" in session
                or not current_user.is_authenticated):
            return view(*args, **kwargs)
        tracker: Tracker = current_app.extensions["page_cache_tracker"]
        generation = tracker.generation(db.session)
        if generation is None:
            return view(*args, **kwargs)
        moment = (generation, clock_now().replace(second=0, microsecond=0))
        key = (request.full_path, current_user.id, current_user.session_token,
               session.get("csrf_token"), str(get_locale()))
        kept = pages.get(moment, key)
        if kept is not None:
            return _serve(kept)
        g.page_cache_audits, g.page_cache_untracked = [], False
        response = current_app.make_response(view(*args, **kwargs))
        audits, untracked = g.pop("page_cache_audits"), g.pop("page_cache_untracked")
        if (response.status_code == 200 and not response.direct_passthrough
                and not session.modified and not untracked):
            pages.put(moment, key, Kept(
                body=response.get_data(), audits=tuple(audits),
                headers=tuple((k, v) for k, v in response.headers.items()
                              if k.lower() not in _NOT_KEPT_HEADERS)))
        return response

    return wrapped


def _serve(kept: Kept) -> Any:
    if kept.audits:
        ip = request.remote_addr
        audit.record_rows([{**row, "ip": ip if row["ip"] else None} for row in kept.audits])
        audit.commit_read()
    response = current_app.response_class(kept.body)
    response.headers.clear()
    for name, value in kept.headers:
        response.headers.add(name, value)
    return response


@event.listens_for(AuditEvent, "after_insert")
def _audited(mapper: Any, connection: Any, row: AuditEvent) -> None:
    """While a cached page is drawn, note what it wrote to the audit trail."""
    if has_request_context() and "page_cache_audits" in g:
        g.page_cache_audits.append({**{name: getattr(row, name) for name in _AUDIT_FIELDS},
                                    "ip": row.ip})


def _read_untracked(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                    executemany: bool) -> None:
    """While a cached page is drawn, note whether it read a table the counter ignores."""
    if (has_request_context() and "page_cache_untracked" in g
            and any(name in statement for name in UNTRACKED)
            and statement.lstrip()[:6].upper() in ("SELECT", "WITH")):
        g.page_cache_untracked = True
