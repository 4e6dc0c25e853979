"""Matrix rows for associations and activities (pages and API).

The builders make, once per World: an association in Bladel (PC4 5531, the World's area)
whose member is the World's association user, and a weekly activity of it with a few
places. Managers of the activity are that member and the area's worker; an administrator
manages associations (profile, members) but not their activities. Objects of another
association or area answering 404 are tested in tests/functional/test_associations_web.py.
"""

from __future__ import annotations

from typing import Any

from tests.security.matrix_rules import (
    Expectation,
    api,
    api_only,
    api_rows,
    only,
    rows,
    signed_in,
    to,
)
from tests.security.security_support import once, weekly_activity, world_association


def _make(world: Any) -> dict[str, int]:
    member = world.users["association"]
    association = world_association(world, "Buurtvereniging Rij")
    activity = weekly_activity(member, "Wandelclub", category="companionship",
                               venue="Kerkplein", association=association, capacity=5)
    return {"association": association.id, "activity": activity.id,
            "occurrence": activity.occurrences[0].id}


def _id(key: str):
    def build(w: Any, m: Any) -> int:
        return once(w, "associations", lambda: _make(w))[key]

    return build


association_id, activity_id, occurrence_id = _id("association"), _id("activity"), \
    _id("occurrence")


def activity_page(w: Any, m: Any) -> str:
    return f"/activiteiten/{activity_id(w, m)}"


def _activity_args(w: Any, m: Any) -> dict[str, int]:
    return {"activity_id": activity_id(w, m)}


def _occurrence_args(w: Any, m: Any) -> dict[str, int]:
    return {"activity_id": activity_id(w, m), "occurrence_id": occurrence_id(w, m)}


MANAGERS = {"association": 200, "worker": 200}

MATRIX: dict[tuple[str, str], Expectation] = {
    # Associations: a member's home, the list, profiles, members
    ("associations.home", "GET"): only("association", "worker", "admin"),
    ("associations.index", "GET"): signed_in(200),
    ("associations.new", "GET"): only("admin", "worker"),
    ("associations.new", "POST"): only("admin", "worker"),  # blank name: form again
    ("associations.profile", "GET"): signed_in(200),
    ("associations.edit", "GET"): rows(404, admin=200, **MANAGERS),
    ("associations.edit", "POST"): rows(404, admin=200, **MANAGERS),  # blank: form again
    ("associations.add_member", "POST"): rows(404, admin=200, **MANAGERS),  # blank e-mail
    # Activities: create (for this association), edit, the page, sign up and off
    ("associations.new_activity", "GET"): only("association", "worker", "admin"),
    ("associations.new_activity", "POST"): only("association", "worker", "admin"),
    ("associations.edit_activity", "GET"): rows(404, **MANAGERS),
    ("associations.edit_activity", "POST"): rows(404, **MANAGERS),  # blank title: form again
    ("associations.activity", "GET"): signed_in(200),
    # Stopping the activity: the rows after it answer the same for a stopped activity.
    ("associations.cancel_activity", "POST"): rows(404, association=to(activity_page),
                                                   worker=to(activity_page)),
    ("associations.sign_up", "POST"): only("resident", "worker", outcome=to(activity_page)),
    ("associations.sign_off", "POST"): signed_in(to(activity_page)),  # not signed up: a note
    ("associations.nearby", "GET"): signed_in(200),
    # One time of the series: cancel, move, attendance (managers only)
    ("associations.cancel_occurrence", "POST"): rows(404, association=to(activity_page),
                                                     worker=to(activity_page)),
    ("associations.move_occurrence", "GET"): rows(404, **MANAGERS),
    ("associations.move_occurrence", "POST"): rows(404, **MANAGERS),  # blank: form again
    ("associations.attendance", "GET"): rows(404, **MANAGERS),
    ("associations.attendance", "POST"): rows(404, **MANAGERS),  # not yet happened: again
    # JSON API
    ("api.create_association", "POST"): api_only("admin", "worker", outcome=400),  # no JSON
    ("api.list_associations", "GET"): api(200),
    ("api.add_member", "POST"): api(400),  # no JSON sent
    ("api.create_activity", "POST"): api_only("association", "worker", "admin", outcome=400),
    # Without ?postcode= the caller's own PC4: the resident (a request) and the volunteer
    # (a profile) have one, the others are asked for a postcode.
    ("api.activities_nearby", "GET"): api_rows(422, resident=200, volunteer=200),
    ("api.get_activity", "GET"): api(200),
    ("api.sign_up", "POST"): api_rows(403, resident=201, worker=422),  # worker: resident_id?
    ("api.sign_off", "DELETE"): api(404),  # nobody is signed up yet
}

URL_ARGS = {
    "associations.profile": lambda w, m: {"association_id": association_id(w, m)},
    "associations.edit": lambda w, m: {"association_id": association_id(w, m)},
    "associations.add_member": lambda w, m: {"association_id": association_id(w, m)},
    "associations.new_activity": lambda w, m: {"association_id": association_id(w, m)},
    "associations.edit_activity": _activity_args,
    "associations.activity": _activity_args,
    "associations.cancel_activity": _activity_args,
    "associations.sign_up": _activity_args,
    "associations.sign_off": _activity_args,
    "associations.cancel_occurrence": _occurrence_args,
    "associations.move_occurrence": _occurrence_args,
    "associations.attendance": _occurrence_args,
    "api.add_member": lambda w, m: {"association_id": association_id(w, m)},
    "api.get_activity": _activity_args,
    "api.sign_up": _activity_args,
    "api.sign_off": _activity_args,
}

# A blank required field, so the form is shown again and nothing is saved.
FORM_DATA: dict[str, dict[str, Any]] = {
    "associations.new": {"name": "", "postcode": ""},
    "associations.edit": {"name": ""},
    "associations.add_member": {"email": ""},
    "associations.new_activity": {"title": ""},
    "associations.edit_activity": {"title": ""},
    "associations.move_occurrence": {"day": ""},
}
