"""Error answers every operation of the OpenAPI document gets where it can give them.

The operations are described in several modules; two answers follow from how the API is
built rather than from one operation, so they are added here, once, to the whole document:

- **400** (a body that is not JSON we can read: `marketplace.api.body`) for every operation
  that takes a JSON body (`requestBody` in the document);
- **403** (signed in, but a role this operation is not for: `roles_required`) for every
  operation whose view is guarded by it. (A service's own `Forbidden` is documented by its
  operation.)

What is already there stays. `tests/security/test_openapi_statuses.py` sends every operation
bad and good bodies as every role and checks that each answer's status is documented.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app

METHODS = ("get", "put", "post", "delete", "patch")
PROBLEM = {"$ref": "#/components/responses/Problem"}
_VARIABLE = re.compile(r"<(?:\w+:)?(\w+)>")
_SAME_PATH = re.compile(r"\{[^}]*\}")


def _role_guarded(prefix: str) -> set[tuple[str, str]]:
    """(path with {} for every variable, method) of the API views behind roles_required."""
    guarded = set()
    for rule in current_app.url_map.iter_rules():
        view = current_app.view_functions.get(rule.endpoint)
        if not rule.endpoint.startswith("api.") or not getattr(view, "api_roles", None):
            continue
        path = _SAME_PATH.sub("{}", _VARIABLE.sub("{}", rule.rule)[len(prefix):])
        guarded.update((path, method.lower()) for method in rule.methods or ())
    return guarded


def add_error_answers(paths: dict[str, Any], prefix: str = "/api/v1") -> None:
    """Add 400 and 403 (see the module docstring) where an operation lacks them."""
    guarded = _role_guarded(prefix)
    for path, item in paths.items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation:
                responses.setdefault("400", PROBLEM)
            if (_SAME_PATH.sub("{}", path), method) in guarded:
                responses.setdefault("403", PROBLEM)
