"""Signals of the request lifecycle (blinker, which Flask ships).

Senders are the lifecycle (requests) and brokering (arrangements); receivers live in the
feature that owns the side effect and connect when their module is imported. Signals are
sent synchronously, inside the caller's transaction: a receiver adds and flushes, the entry
point commits (or rolls back everything together).

| signal | sender | keyword arguments | who listens |
|---|---|---|---|
| ``request_status_changed`` | the request | from_status, to_status, actor, reason, now | - |
| ``request_closed`` | the request | solved_by, actor, note, now | brokering |
| ``request_withdrawn`` | the request | actor, reason, now | brokering |
| ``arrangement_started`` | the arrangement | actor, now | follow-up |
| ``arrangement_ended`` | the arrangement | actor, now | follow-up |

brokering, on ``request_closed``/``request_withdrawn``: cancels the proposed matches and ends
an arrangement still running (which sends ``arrangement_ended``). Follow-up, on
``arrangement_started``: plans the check-ins; on ``arrangement_ended``: closes the check-ins
not asked or answered yet.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

request_status_changed = _signals.signal(
    "request-status-changed", doc="A request moved from one status to another.")
request_closed = _signals.signal(
    "request-closed", doc="A request was closed: solved (by whom: solved_by) or not solved.")
request_withdrawn = _signals.signal(
    "request-withdrawn", doc="The resident (or a worker for them) withdrew a request.")
arrangement_started = _signals.signal(
    "arrangement-started", doc="An accepted match started an arrangement (support).")
arrangement_ended = _signals.signal(
    "arrangement-ended", doc="An arrangement ended (evaluated, or its request closed).")
