"""The erasure table's rules for care signals: the signal, what was done with it, and the
worker's tries to reach the person. ``erasure_rules.RULES`` holds them in this order, after
the arrangement's extensions and before the volunteer profile.
"""

from __future__ import annotations

from marketplace.residents.erasure_terms import (
    AREA,
    CODE,
    DATE,
    ERASED_ACCOUNT,
    ID,
    NOW,
    REDACTED,
    STORY,
    WORKER,
    Rule,
    anonymise,
    erase,
)

SIGNAL_RULES: tuple[Rule, ...] = (
    Rule("signal", "signals (worries about someone)",
         rows=("resident_id", "reporter_id[status = 'handled']"), columns={
             "id": ID,
             "reporter_id": anonymise("a signal the person made about someone else stays, "
                                      "without the reporter", rows=("reporter_id",)),
             "pc4": AREA,
             "reporter_contact": erase("how a reporter without an account may be reached: "
                                       "goes with the case"),
             "about": erase("who and where exactly: when it is about the person, or when "
                            "their own signal was handled (an open one stays: it is a worry "
                            "about someone else)"),
             "concern": anonymise("as `about`", REDACTED),
             "area_id": AREA, "status": CODE, "respond_by": DATE,
             "assigned_worker_id": WORKER, "outcome": CODE,
             "outcome_note": erase(STORY),
             "resident_id": ERASED_ACCOUNT, "request_id": ID,
             "created_at": DATE, "handled_at": DATE, "escalated_at": DATE,
             "first_attempt_on": DATE,
             "anonymised_at": anonymise("set to the moment of erasure", NOW)}),
    Rule("signal_event", "what was done with a signal",
         rows=("signal_id>signal.resident_id",), columns={
             "id": ID, "signal_id": ID, "at": DATE, "actor_id": WORKER,
             "action": CODE, "note": erase(STORY)}),
    Rule("signal_attempt", "a worker's tries to reach the person a signal is about",
         rows=("signal_id>signal.resident_id",), columns={
             "id": ID, "signal_id": ID, "worker_id": WORKER, "attempted_on": DATE,
             "method": CODE, "reached": CODE, "note": erase(STORY), "created_at": DATE}),
)
