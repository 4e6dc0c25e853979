"""``DELETE /api/v1/me``: a resident or volunteer erases themselves (GDPR art. 17)."""

from __future__ import annotations

from flask import Response

from marketplace.api import api_bp
from marketplace.api.auth import api_user, roles_required
from marketplace.extensions import db
from marketplace.residents.erasure import erase_person


@api_bp.delete("/me")
@roles_required("resident", "volunteer")
def erase_me():
    user = api_user()
    erase_person(user, actor=user)
    db.session.commit()
    # 202: erased at once; mail already relayed and backups age out by their own schedule.
    return Response(status=202)


def add_openapi(paths: dict) -> None:
    """The OpenAPI operation of DELETE /me (the document lists every API route)."""
    problem = {"$ref": "#/components/responses/Problem"}
    paths.setdefault("/me", {})["delete"] = {
        "summary": "Erase the caller's personal data at once (GDPR art. 17)",
        "description": "Resident or volunteer. Name, e-mail, address, free text, network "
                       "and messages are erased or anonymised; what the reports need stays "
                       "without a name (docs/privacy.md). Every session and token of the "
                       "caller stops: the same token answers 401 afterwards.",
        "operationId": "deleteMe",
        "responses": {"202": {"description": "Erased"},
                      "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": problem, "409": problem},
    }
