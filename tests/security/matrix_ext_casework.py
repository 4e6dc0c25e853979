"""Matrix rows of the casework feature: a resident's file (intake, plan, referrals, contact
log), the worker's actions on a request, the evaluation of an arrangement, partner
organisations, "download my data", and their API. See test_security_matrix.py.

The World's worker works in the area of the World's resident (whose requests the Market
made), so the worker sees the file; every other role is refused by role (403) and a worker
of another area gets 404 (tests/functional/test_casework_access.py).
"""

from __future__ import annotations

from typing import Any

from tests.security.matrix_rules import DETAIL, api_only, api_rows, only, signed_in, to


def _resident(w: Any, m: Any) -> dict[str, Any]:
    return {"resident_id": w.users["resident"].id}


def _plan_path(w: Any, m: Any) -> str:
    return f"/dossier/{w.users['resident'].id}/plan"


def _goal(w: Any, m: Any) -> dict[str, Any]:
    from marketplace.casework.services import add_goal
    from marketplace.extensions import db

    goal = add_goal(w.users["resident"], description="Twee keer per week naar buiten",
                    measure=None, term="short", target_on=None)
    db.session.commit()
    return {**_resident(w, m), "goal_id": goal.id}


def _action(w: Any, m: Any) -> dict[str, Any]:
    from marketplace.casework.services import add_action
    from marketplace.extensions import db

    action = add_action(w.users["resident"], actor="network",
                        description="De buurman doet boodschappen")
    db.session.commit()
    return {**_resident(w, m), "action_id": action.id}


def _network_path(w: Any, m: Any) -> str:
    return f"/dossier/{w.users['resident'].id}/netwerk"


def _member(w: Any, m: Any) -> dict[str, Any]:
    from marketplace.extensions import db
    from marketplace.residents.services import save_member

    member = save_member(w.users["resident"], name="Anna", relation="neighbour", can_help=[])
    db.session.commit()
    return {**_resident(w, m), "member_id": member.id}


def _partner(w: Any, m: Any) -> Any:
    from marketplace.casework.referrals import partners, save_partner
    from marketplace.extensions import db

    partner = save_partner(f"Thuiszorg {len(partners(False)) + 1}", line=2)
    db.session.commit()
    return partner


def _referral(w: Any, m: Any) -> dict[str, Any]:
    from marketplace.casework.referrals import refer
    from marketplace.extensions import db

    referral = refer(w.users["worker"], w.users["resident"], partner_id=_partner(w, m).id,
                     reason="Er is meer zorg nodig dan de buurt kan geven.", consent=True)
    db.session.commit()
    return {**_resident(w, m), "referral_id": referral.id}


MATRIX = {
    # The resident's file: workers of the resident's area only
    ("casework.file", "GET"): only("worker"),
    ("casework.intake", "GET"): only("worker"),
    ("casework.intake", "POST"): only("worker"),  # blank question: shown again
    ("casework.notes", "GET"): only("worker"),
    ("casework.notes", "POST"): only("worker"),
    ("casework.plan", "GET"): only("worker"),
    ("casework.add_goal", "POST"): only("worker"),
    ("casework.add_action", "POST"): only("worker"),
    ("casework.goal_status", "POST"): only("worker", outcome=to(_plan_path)),
    ("casework.action_done", "POST"): only("worker", outcome=to(_plan_path)),
    ("casework.network", "GET"): only("worker"),
    ("casework.network", "POST"): only("worker", outcome=422),  # no name: shown again
    ("casework.network_edit", "GET"): only("worker"),
    ("casework.network_edit", "POST"): only("worker", outcome=422),  # no name: shown again
    ("casework.network_delete", "GET"): only("worker"),
    ("casework.network_delete", "POST"): only("worker", outcome=to(_network_path)),
    ("casework.refer", "GET"): only("worker"),
    ("casework.refer", "POST"): only("worker"),
    ("casework.referral_step", "POST"): only("worker"),  # no step chosen: shown again
    # The worker's actions on a request
    ("casework.propose", "POST"): only("worker", outcome=to(DETAIL)),
    ("casework.publish", "POST"): only("worker", outcome=to(DETAIL)),
    # The evaluation of an arrangement
    ("followup.evaluate", "GET"): only("worker"),
    ("followup.evaluate", "POST"): only("worker"),
    # Partner organisations, managed by the administrator
    ("casework.partners", "GET"): only("admin"),
    ("casework.partner_new", "GET"): only("admin"),
    ("casework.partner_new", "POST"): only("admin"),
    ("casework.partner_edit", "GET"): only("admin"),
    ("casework.partner_edit", "POST"): only("admin"),
    # Everyone's own data
    ("casework.my_data", "GET"): signed_in(200),
    ("casework.my_data_page", "GET"): signed_in(200),
    ("casework.data_at_desk", "GET"): only("worker"),
    ("casework.download_my_data", "POST"): signed_in(200),
    # API
    ("api.candidates", "GET"): api_rows(404, worker=200),
    ("api.resident_file", "GET"): api_only("worker"),
    ("api.resident_intake", "POST"): api_only("worker", outcome=400),  # no JSON sent
    ("api.resident_goal", "POST"): api_only("worker", outcome=400),
    ("api.resident_note", "POST"): api_only("worker", outcome=400),
    ("api.resident_referral", "POST"): api_only("worker", outcome=400),
    ("api.resident_referral_status", "POST"): api_only("worker", outcome=400),
}

URL_ARGS = {
    "casework.file": _resident,
    "casework.intake": _resident,
    "casework.notes": _resident,
    "casework.plan": _resident,
    "casework.add_goal": _resident,
    "casework.add_action": _resident,
    "casework.goal_status": _goal,
    "casework.action_done": _action,
    "casework.network": _resident,
    "casework.data_at_desk": _resident,
    "casework.network_edit": _member,
    "casework.network_delete": _member,
    "casework.refer": _resident,
    "casework.referral_step": _referral,
    "casework.propose": lambda w, m: {"request_id": m.web_request},
    "casework.publish": lambda w, m: {"request_id": m.web_request},
    "followup.evaluate": lambda w, m: {"arrangement_id": m.arrangement},
    "casework.partner_edit": lambda w, m: {"partner_id": _partner(w, m).id},
    "api.candidates": lambda w, m: {"request_id": m.api_request},
    "api.resident_file": _resident,
    "api.resident_intake": _resident,
    "api.resident_goal": _resident,
    "api.resident_note": _resident,
    "api.resident_referral": _resident,
    "api.resident_referral_status": _referral,
}

FORM_DATA = {
    "casework.intake": {"question_as_asked": ""},
    "casework.notes": {"kind": "note", "body": ""},
    "casework.network": {"name": ""},
    "casework.network_edit": {"name": ""},
    "casework.refer": {"reason": ""},
    "casework.partner_edit": {"name": "", "line": "2"},
    "followup.evaluate": {"continuation": ""},
}
