"""Outcome helpers for the authorization matrix (see test_security_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.security.security_support import ACTORS, ROLES

LOGIN = "login"
Outcome = Any  # an int status code, LOGIN, or ("redirect", path)
Expectation = dict[str, Outcome]


def to(path: str | Callable[[Any, Any], str]) -> tuple[str, Any]:
    """302 to this path; a callable gets (world, market) for paths with ids in them."""
    return ("redirect", path)


def everyone(outcome: Outcome = 200) -> Expectation:
    return {actor: outcome for actor in ACTORS}


def signed_in(outcome: Outcome = 200) -> Expectation:
    return {"anonymous": LOGIN, **{role: outcome for role in ROLES}}


def only(*roles: str, outcome: Outcome = 200) -> Expectation:
    return {"anonymous": LOGIN, **{r: outcome if r in roles else 403 for r in ROLES}}


def api(outcome: Outcome = 200) -> Expectation:
    return {"anonymous": 401, **{role: outcome for role in ROLES}}


def api_only(*roles: str, outcome: Outcome = 200) -> Expectation:
    return {"anonymous": 401, **{r: outcome if r in roles else 403 for r in ROLES}}


def api_rows(default: Outcome, **outcomes: Outcome) -> Expectation:
    """API row with per-role outcomes; roles not named get `default` (often 404: a row
    the caller may not see answers exactly like a missing one)."""
    return {"anonymous": 401, **{role: outcomes.get(role, default) for role in ROLES}}


def rows(default: Outcome, **outcomes: Outcome) -> Expectation:
    """Web row with per-role outcomes; anonymous → login page, roles not named → default
    (often 404: a row the person may not see answers exactly like a missing one)."""
    return {"anonymous": LOGIN, **{role: outcomes.get(role, default) for role in ROLES}}


def DETAIL(w: Any, m: Any) -> str:  # noqa: N802 - reads as a constant in the table
    return f"/hulpvragen/{m.web_request}"


def anonymous_only(outcome: Outcome, signed_in_outcome: Outcome) -> Expectation:
    return {"anonymous": outcome, **{role: signed_in_outcome for role in ROLES}}
