"""The OpenAPI document is valid 3.1 and describes every API route the app serves."""

import re

from openapi_spec_validator import validate


def test_document_is_valid_and_complete(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)[len("/api/v1"):]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method.lower() not in document["paths"].get(path, {}):
                missing.append(f"{method} {path}")
    assert missing == [], f"add these to marketplace/api/openapi*.py: {missing}"


def test_every_path_is_listed_once(client):
    """/requests/{id}/candidates and /requests/{request_id}/candidates are one path: the
    document lists each path once, under the names the routes use."""
    from collections import Counter

    document = client.get("/api/v1/openapi.json").get_json()
    spellings = Counter(re.sub(r"\{[^}]*\}", "{}", path) for path in document["paths"])
    assert [path for path, n in spellings.items() if n > 1] == []
