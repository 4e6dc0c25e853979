"""The erasure table's rules for associations and activities (clubs, their activities,
sign-ups, attendance, vacancies, calendar feeds, handovers). ``erasure_rules.RULES`` holds
them in this order, between the resident's file and the partner organisations.
"""

from __future__ import annotations

from marketplace.residents.erasure_terms import (
    AREA,
    CODE,
    DATE,
    ERASED_ACCOUNT,
    ID,
    STORY,
    WORKER,
    Expire,
    Rule,
    erase,
    keep,
)

ACTIVITY_RULES: tuple[Rule, ...] = (
    # Associations and activities: the organisations' own content stays; the person's
    # memberships and feeds go, their sign-ups and attendance stay as unnamed counts.
    Rule("association", "associations (clubs, groups)", mentions=("contact",), columns={
        "id": ID, "name": keep("an organisation"), "pc4": AREA,
        "place": keep("a place name"), "description": keep("about the organisation"),
        "contact": erase("when it names or reaches the person"), "area_id": AREA,
        "created_at": DATE}),
    Rule("association_member", "who manages an association", rows=("user_id",), delete=True),
    Rule("activity", "activities", columns={
        "id": ID, "association_id": ID, "title": keep("the activity, public"),
        "category": CODE, "description": keep("the activity, public"), "pc4": AREA,
        "place": keep("a place name"), "venue": keep("a public venue, never a home"),
        "lat": keep("the venue"), "lon": keep("the venue"), "starts_at": DATE,
        "ends_at": DATE, "recurrence": CODE, "repeat_until": DATE,
        "capacity": keep("a number"), "accessible": CODE, "audience": CODE, "status": CODE,
        "area_id": AREA, "created_by_id": ERASED_ACCOUNT, "created_at": DATE,
        "signup_seq": keep("a counter"), "planned_until": DATE}),
    Rule("signup", "sign-ups for activities (running ones are cancelled first)", columns={
        "id": ID, "activity_id": ID, "user_id": ERASED_ACCOUNT, "status": CODE,
        "position": keep("a number"), "signed_up_by_id": ERASED_ACCOUNT,
        "created_at": DATE, "cancelled_at": DATE, "promoted_at": DATE}),
    Rule("attendance", "who came to an occurrence", columns={
        "id": ID, "occurrence_id": ID, "user_id": ERASED_ACCOUNT,
        "recorded_by_id": ERASED_ACCOUNT, "created_at": DATE}),
    Rule("vacancy", "volunteer vacancies of activities", columns={
        "id": ID, "activity_id": ID, "skill": CODE, "count": keep("a number"),
        "day_parts": CODE, "needs_vog": CODE, "status": CODE,
        "created_by_id": ERASED_ACCOUNT, "created_at": DATE, "closed_at": DATE}),
    Rule("vacancy_match", "volunteers proposed for vacancies (open ones are cancelled first)",
         rows=("volunteer_id",), columns={
             "id": ID, "vacancy_id": ID, "volunteer_id": ERASED_ACCOUNT, "status": CODE,
             "proposed_by_id": ERASED_ACCOUNT, "created_at": DATE, "decided_at": DATE,
             "reason": erase(STORY)}),
    Rule("calendar_feed", "secret calendar feed addresses", rows=("user_id",), delete=True,
         expire=Expire("revoked_at", 30, "a revoked feed is of no use",
                       where="revoked_at IS NOT NULL")),
    Rule("handover", "activities handed over to an association", columns={
        "id": ID, "activity_id": ID, "association_id": ID, "transition_ends_on": DATE,
        "has_volunteers": CODE, "has_coordinator": CODE, "has_money": CODE,
        "has_venue": CODE, "status": CODE, "handed_over_at": DATE,
        "created_by_id": WORKER, "created_at": DATE}),
    Rule("handover_check", "\"still running?\" answers", rows=("answered_by_id",), columns={
        "id": ID, "handover_id": ID, "due_on": DATE, "asked_at": DATE, "answer": CODE,
        "answered_at": DATE, "answered_by_id": ERASED_ACCOUNT,
        "note": erase(STORY), "alerted_at": DATE}),
)
