"""RFC 9457 problem details for every API error."""

from __future__ import annotations

from typing import Any

from flask import Response, json


def problem(
    status: int, title: str, detail: str, errors: dict[str, list[str]] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "status": status, "title": title,
                            "detail": detail}
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="buurtmakelaar"'
    return response
