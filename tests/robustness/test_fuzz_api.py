"""Schemathesis against our own OpenAPI document, in-process through the Flask app, as every
role (bearer tokens), on whichever database the session runs on.

Every operation the document lists at run time is fuzzed, with data that fits its schema
(positive), data that does not (negative), and valid data aimed at real rows of the security
tests' World and Market where the path holds an id we know. Checks: no 5xx
(`not_a_server_error`), every status is one the document lists for the operation
(`status_code_conformance`) and, where the document states a response schema, that the
answer conforms to it. Anonymous (no token) is one of the roles. Operations that end the caller's
account (DELETE /me) run last. Bounded and
reproducible: few examples per operation and mode, derandomized, no example database.

Figures: FUZZ_REPORT=path.json writes requests sent and statuses per role (see
docs/robustness.md); FUZZ_MAX_EXAMPLES raises the number of examples per operation/mode.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.security.security_support import ROLES

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "2"))
FUZZ_ROLES = ["anonymous"] + [role for role in ROLES if role != "partner"] + (
    ["partner"] if "partner" in ROLES else [])  # anonymous: no token at all
SETTINGS = settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck))
STATS: dict[str, Counter] = {}


def passes(path: str, real_ids: dict[str, int]) -> list[tuple[str, GenerationMode, dict]]:
    """Valid data, invalid data, and valid data aimed at real rows (when the path has ids
    we know: random ids mostly meet a 404, real ones reach the code behind it)."""
    known = {name: value for name, value in real_ids.items() if f"{{{name}}}" in path}
    runs = [("positive", GenerationMode.POSITIVE, {}), ("negative", GenerationMode.NEGATIVE, {})]
    if known:
        runs.append(("real ids", GenerationMode.POSITIVE, known))
    return runs


def runner(strategy: Any, name: str, headers: dict[str, str], stats: Counter,
           failures: list[str]) -> Any:
    """A Hypothesis test over one operation's cases: calls the app, checks the answer."""

    @SETTINGS
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        stats["requests"] += 1
        stats[str(response.status_code)] += 1
        try:
            case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                                      response_schema_conformance])
        except (Failure, FailureGroup, AssertionError) as error:
            detail = " | ".join(line.strip() for line in str(error).splitlines()
                                if line.strip())[:600]
            failures.append(f"{case.method} {case.formatted_path} ({name}): "
                            f"{response.status_code} {detail}")

    return run


def fuzz(app: Any, headers: dict[str, str], stats: Counter,
         real_ids: dict[str, int] | None = None, only: str | None = None) -> list[str]:
    """Every operation (or those whose path is `only`), every pass: what failed."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    operations = sorted((result.ok() for result in schema.get_all_operations()),
                        key=lambda op: (op.method.upper() == "DELETE" and op.path == "/me"))
    operations = [op for op in operations if only is None or op.path == only]
    for operation in operations:
        for name, mode, ids in passes(operation.path, real_ids or {}):
            strategy = operation.as_strategy(generation_mode=mode, headers=headers,
                                             path_parameters=ids or None)
            run = runner(strategy, name, headers, stats, failures)
            try:
                run()
            except Unsatisfiable:  # nothing in this operation can be made invalid
                stats[f"no {name} cases"] += 1
    return failures


def real_ids(app: Any, world: Any, market: Any, api_token: Any) -> dict[str, int]:
    signal = app.test_client().post("/api/v1/signals", headers=api_token(world.users["resident"]),
                                    json={"postcode": "5527", "concern": "De post stapelt zich "
                                          "al een week op bij nummer 12."})
    assert signal.status_code == 201, signal.get_json()
    return {"request_id": market.arrangement_request, "match_id": market.api_match_to_accept,
            "arrangement_id": market.arrangement, "resident_id": world.users["resident"].id,
            "signal_id": signal.get_json()["id"]}


@pytest.mark.parametrize("role", FUZZ_ROLES)
def test_the_fuzzer_finds_no_server_error(app, world, market, api_token, backend, role):
    stats = STATS.setdefault(f"{backend}/{role}", Counter())
    headers = {} if role == "anonymous" else api_token(world.users[role])
    failures = fuzz(app, headers, stats,
                    real_ids(app, world, market, api_token))
    report = os.environ.get("FUZZ_REPORT")
    if report:
        Path(report).write_text(json.dumps(STATS, indent=1, sort_keys=True))
    assert stats["requests"] > 0
    assert failures == [], "\n".join(sorted(set(failures)))


def test_the_fuzzer_reports_a_server_error_when_there_is_one(app, world, api_token,
                                                             monkeypatch):
    """The check is honest: a handler that breaks is found and named."""
    from marketplace.api import views

    def broken() -> list:
        raise RuntimeError("deliberately broken for this test")

    monkeypatch.setattr(views, "active_categories", broken)
    stats: Counter = Counter()
    failures = fuzz(app, api_token(world.users["resident"]), stats, only="/categories")
    assert stats["500"] > 0
    assert failures and all(f.startswith("GET /categories") for f in failures)
