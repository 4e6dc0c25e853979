"""Every answer an API operation gives is one the OpenAPI document lists for it.

Schemathesis (status-code conformance) found operations that answer 400 (a body that is not
JSON) or 403 (signed in, another role) without the document saying so. Here every API route
of the authorization matrix is called as every role, with the matrix's own request, a broken
JSON body, junk and an almost valid body (the same payloads as the hostile-input test), and
each status is looked up in the document: the answer's own code, or a "4XX"/"default".
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.security.security_support import ROLES, sign_in
from tests.security.test_security_matrix import (
    ALMOST_VALID,
    FORM_DATA,
    JUNK,
    MATRIX,
    build_urls,
    ordered,
)

BROKEN_JSON = b'{"category": "garden", "description": '


def documented(document: dict[str, Any], rule: str, method: str) -> set[str]:
    """The response keys the document lists for the operation behind a Flask rule."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", "{}", rule)[len("/api/v1"):]
    for listed, item in document["paths"].items():
        if re.sub(r"\{[^}]*\}", "{}", listed) == path:
            return set(item.get(method.lower(), {}).get("responses", {}))
    return set()


def is_listed(status: int, keys: set[str]) -> bool:
    return str(status) in keys or f"{status // 100}XX" in keys or "default" in keys


def calls(endpoint: str, method: str, headers: dict[str, str]) -> list[tuple[str, dict]]:
    """The requests sent to one operation: the matrix's, then bodies good and bad."""
    sent = [("matrix request", {"headers": headers, **(
        {} if method == "GET" else {"data": FORM_DATA.get(endpoint, {})})})]
    if method != "GET":
        sent += [("broken JSON", {"headers": headers, "data": BROKEN_JSON,
                                  "content_type": "application/json"}),
                 ("junk", {"headers": headers, "json": JUNK}),
                 ("almost valid", {"headers": headers, "json": ALMOST_VALID})]
    return sent


@pytest.mark.parametrize("actor", ROLES)
def test_every_status_an_operation_gives_is_documented(app, client, world, market, api_token,
                                                       actor):
    document = client.get("/api/v1/openapi.json").get_json()
    rules = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()}
    urls = build_urls(app, world, market)
    headers = api_token(world.users[actor])
    signed = sign_in(app, world.users[actor])
    missing = []
    for endpoint, method in ordered([key for key in MATRIX if key[0].startswith("api.")]):
        keys = documented(document, rules[endpoint], method)
        for name, extra in calls(endpoint, method, headers):
            response = signed.open(urls[endpoint], method=method, **extra)
            if response.status_code != 401 and not is_listed(response.status_code, keys):
                missing.append(f"{method} {rules[endpoint]} as {actor} ({name}): "
                               f"{response.status_code} not in {sorted(keys)}")
    assert not missing, "\n".join(missing)
