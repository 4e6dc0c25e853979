"""Error pages in plain Dutch, and problem+json for the API. Never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from marketplace.errors import DomainError

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Dat ging niet goed"),
          _l("De pagina kon uw gegevens niet verwerken. Probeer het opnieuw.")),
    401: (_l("Log eerst in"), _l("U moet ingelogd zijn om dit te zien.")),
    403: (_l("Geen toegang"), _l("U heeft geen toegang tot deze pagina.")),
    404: (_l("Pagina niet gevonden"), _l("Deze pagina bestaat niet, of u mag hem niet zien.")),
    405: (_l("Dat kan hier niet"), _l("Deze actie kan niet op deze pagina.")),
    409: (_l("Iemand was u voor"), _l("Dit is net door iemand anders veranderd.")),
    413: (_l("Te groot"), _l("Wat u stuurde is te groot.")),
    422: (_l("Dat klopt niet"), _l("Controleer wat u heeft ingevuld.")),
    429: (_l("Even wachten"), _l("U deed te veel pogingen. Wacht even en probeer het opnieuw.")),
    500: (_l("Er ging iets mis bij ons"), _l("Probeer het later nog eens. Wij kijken ernaar.")),
    503: (_l("Even niet beschikbaar"), _l("De site is even niet bereikbaar. Probeer het later.")),
}
BUSY_MESSAGE = _l("Het is nu erg druk. Er is niets opgeslagen. Probeer het over een paar "
                  "seconden opnieuw.")
BUSY_RETRY_AFTER = "2"  # seconds
# PostgreSQL: serialization failure, deadlock, lock not available. The transaction was
# rolled back as a whole; the same request again is safe.
BUSY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
CSRF_MESSAGE = _l("De pagina was te lang open of is niet goed geladen. Ga terug, laad de pagina "
                  "opnieuw en probeer het nog een keer.")


FALLBACK_PAGE = (
    '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>{title}</title></head>'
    '<body><h1>{title}</h1><p>{message}</p><p><a href="/">Buurtmakelaar</a></p></body></html>'
)


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def render_error(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    if wants_problem_json():
        from marketplace.api.problems import problem

        return problem(code, str(title), message or str(default))
    try:
        page = render_template("errors/error.html", code=code, title=str(title),
                               message=message or str(default))
    except Exception:
        # The error page itself failed (say, a broken context processor): answer with a
        # bare page rather than letting the server print its own stack-trace page.
        log.exception("Error page for %s on %s could not be rendered", code, request.path)
        page = FALLBACK_PAGE.format(title=escape(str(title)),
                                    message=escape(message or str(default)))
    return page, code


def _rollback() -> None:
    """Undo the failed transaction, so the error page (and the rest of this request's
    context) does not run into "current transaction is aborted"."""
    from marketplace.extensions import db

    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone; the page must still render
        log.exception("Rollback after an error failed")


def database_busy(error: Exception) -> bool:
    """Did the database refuse for being busy rather than for a fault?

    SQLite has one write lock for the whole database: under a burst of writes a request can
    wait longer than ``SQLITE_BUSY_TIMEOUT_MS`` and get "database is locked" (SQLite's queue
    is not first come, first served). PostgreSQL ends one side of a deadlock or of a
    serialization conflict. Nothing of the request was written either way.
    """
    if not isinstance(error, OperationalError):
        return False
    cause = error.orig
    if "database is locked" in str(cause):
        return True
    return getattr(cause, "sqlstate", None) in BUSY_SQLSTATES


def init_errorhandlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        code = error.code or 500
        if code >= 500:
            log.error("HTTP %s on %s", code, request.path)
        message = str(CSRF_MESSAGE) if isinstance(error, CSRFError) else None
        response = app.make_response(render_error(code, message))
        # Keep protocol headers such as Allow (405) and Retry-After (429).
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(DomainError)
    def handle_domain(error: DomainError):
        return render_error(error.status, gettext(error.message))  # in the reader's language

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return handle_http(error)
        if database_busy(error):
            # Not a fault of ours or of the person: say so, and when to try again.
            log.warning("Database busy on %s: %s", request.path, error.orig)
            _rollback()
            response = app.make_response(render_error(503, str(BUSY_MESSAGE)))
            response.headers["Retry-After"] = BUSY_RETRY_AFTER
            return response
        log.exception("Unhandled error on %s", request.path)
        _rollback()
        return render_error(InternalServerError.code)
