"""Configuration classes. Only this module reads the environment (STYLE.md habit 3)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = Path(os.environ.get("MARKETPLACE_INSTANCE", ROOT / "instance"))


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whichever spelling the operator gives."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _dev_secret_key() -> str:
    """Development generates a key once into instance/ so sessions survive restarts."""
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Shared defaults; subclasses differ per deployment."""

    ENV_NAME = "base"
    INSTANCE_PATH = str(INSTANCE)
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'marketplace.db'}")
    )
    SQLITE_BUSY_TIMEOUT_MS = 10_000
    # Register `flask db` (Flask-Migrate). wsgi.py turns it off in gunicorn's web workers.
    MIGRATIONS_CLI = True
    # Server settings for every PostgreSQL connection, sent with the connection request (libpq
    # "options": no round trip; options in the URL come last and win). The app is OLTP: JIT
    # and parallel workers cost more than any of its queries (docs/decisions.md); a report
    # that wants them can SET LOCAL them back on in its own transaction.
    POSTGRESQL_SETTINGS = {"jit": "off", "max_parallel_workers_per_gather": "0"}
    PORT = int(os.environ.get("PORT", "5000"))
    # smtp://host:port sends real mail; empty writes .eml files into instance/outbox/.
    MAIL_URL = os.environ.get("MAIL_URL", "")
    MAIL_OUTBOX_DIR = str(INSTANCE / "outbox")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Buurtmakelaar <noreply@buurtmakelaar.local>")
    # Base URL used in mails sent from the scheduler, where there is no request.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", f"http://127.0.0.1:{os.environ.get('PORT', '5000')}")

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")
    DOMAIN_TIMEZONE = "Europe/Amsterdam"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "bm_session"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    HSTS = False
    SHOW_DEMO_CREDENTIALS = False

    # Login throttle, kept in the database so it holds across web workers.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_IP = 20
    LOGIN_THROTTLE_WINDOW_SECONDS = 15 * 60
    # Creating an account and asking for a reset link: also in the database (accounts/throttle.py).
    REGISTER_LIMIT_PER_IP = 10
    REGISTER_LIMIT_PER_ADDRESS = 3
    PASSWORD_RESET_LIMIT_PER_IP = 10
    PASSWORD_RESET_LIMIT_PER_ADDRESS = 5

    PASSWORD_RESET_MAX_AGE_SECONDS = 60 * 60 * 2
    EMAIL_CONFIRM_MAX_AGE_SECONDS = 60 * 60 * 24 * 3

    # Closed cases are anonymised after this many days (GDPR retention).
    RETENTION_DAYS = int(os.environ.get("RETENTION_DAYS", str(2 * 365)))
    SCHEDULER_LEASE_SECONDS = int(os.environ.get("SCHEDULER_LEASE_SECONDS", "30"))
    OUTBOX_MAX_ATTEMPTS = 8
    OUTBOX_RELAY_SECONDS = int(os.environ.get("OUTBOX_RELAY_SECONDS", "15"))

    # Number of trusted reverse proxies in front of the app (X-Forwarded-For etc.).
    # Bytes of drawn pages each web worker keeps (marketplace/page_cache): a page is served
    # from there to the same login session while nothing was written and the minute is the
    # same. 0 turns it off.
    PAGE_CACHE_BYTES = int(os.environ.get("PAGE_CACHE_BYTES", str(4 * 1024 * 1024)))
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    # Weights of the matching engine's soft factors; empty = the defaults in matching/scorers.py.
    MATCHING_WEIGHTS: dict[str, float] = {}
    # The geocoder is swappable: "offline" (the PC4 gazetteer) or a geopy class path.
    GEOCODER = os.environ.get("GEOCODER", "offline")
    # Map tiles beside "Activiteiten in de buurt", e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png
    # Empty (the default): no map, and no request leaves the machine; the list works alone.
    MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "")
    MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = False  # the interactive debugger never runs on a site with personal data
    SHOW_DEMO_CREDENTIALS = True

    @property
    def SECRET_KEY(self) -> str:  # noqa: N802 - Flask reads the upper-case name
        return os.environ.get("SECRET_KEY") or _dev_secret_key()


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    HSTS = True

    @property
    def SECRET_KEY(self) -> str:  # noqa: N802
        key = os.environ.get("SECRET_KEY")
        if not key:
            raise RuntimeError("SECRET_KEY must be set in production")
        return key


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    WTF_CSRF_ENABLED = False
    SQLITE_BUSY_TIMEOUT_MS = 30_000


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def load_config(name: str | None = None) -> Config:
    """Pick the configuration named by MARKETPLACE_CONFIG (default: development)."""
    name = name or os.environ.get("MARKETPLACE_CONFIG", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise RuntimeError(
            f"MARKETPLACE_CONFIG={name!r} is unknown; use one of {', '.join(CONFIGS)}"
        ) from None


def test_database_urls() -> list[str]:
    """Extra databases the test suite runs against (TEST_DATABASE_URL)."""
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    return [normalise_database_url(url)] if url else []
