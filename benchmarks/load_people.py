"""What every simulated person of the load test shares (``load_locustfile`` has the roles).

Only ever imported by the locustfile, in locust's process: never by the app, the tests or
``python -m benchmarks`` (locust patches the standard library with gevent when it is
imported). Reads the world (accounts, ids) from the JSON file in ``LOAD_WORLD``; writes into
the folder ``LOAD_OUT``:

- ``journal.jsonl``: every write that got a success answer (the page after the redirect says
  "Gelukt", or the request's own page after the last step), with what to read back;
- ``summary.json``: status codes, refusals per action, requests, p50/p95 (at quitting).

Each user signs in once with its own account (the site's forms, CSRF token included) and
then does what people of its role do, with 1-5 s between actions.
"""

from __future__ import annotations

import base64
import email
import json
import os
import re
from collections import Counter
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events

WORLD: dict[str, Any] = json.loads(Path(os.environ["LOAD_WORLD"]).read_text())
OUT = Path(os.environ["LOAD_OUT"])
OUTBOX = Path(WORLD["outbox"])
STATUS: Counter[str] = Counter()
ACTIONS: Counter[str] = Counter()  # "<action> ok" / "<action> refused" / "<action> none"
JOURNAL = (OUT / "journal.jsonl").open("a", buffering=1)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
POOLS = {role: list(accounts) for role, accounts in WORLD["accounts"].items()}
USED_TOKENS: set[str] = set()
_serial = iter(range(1, 10**9))


def _secure_cookies_over_http(self: Any, cookie: Any, request: Any) -> bool:
    return True


# The production config marks the session cookie Secure; the load runs on plain HTTP on the
# loopback, so send it anyway (as a browser behind the TLS proxy would). requests merges the
# session's cookies into a fresh jar per request, so the policy is patched for the class
# (in this load-generating process only).
DefaultCookiePolicy.return_ok_secure = _secure_cookies_over_http  # type: ignore[method-assign]


@events.request.add_listener
def _count(response: Any = None, exception: Any = None, **kwargs: Any) -> None:
    STATUS[str(getattr(response, "status_code", 0) or 0)] += 1
    if exception is not None and not getattr(response, "status_code", 0):
        STATUS["connection_error"] += 1


@events.quitting.add_listener
def _summary(environment: Any, **kwargs: Any) -> None:
    total = environment.stats.total
    (OUT / "summary.json").write_text(json.dumps({
        "status": dict(STATUS), "actions": dict(ACTIONS), "requests": total.num_requests,
        "failures": total.num_failures,
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "req_per_s": round(total.total_rps, 1)}))
    JOURNAL.close()


def marker(kind: str) -> str:
    return f"load-{kind}-{os.getpid()}-{next(_serial)}"


def ids(pattern: str, html: str) -> list[int]:
    return sorted({int(x) for x in re.findall(pattern, html)})


def record(action: str, ok: bool, **what: Any) -> None:
    ACTIONS[f"{action} {'ok' if ok else 'refused'}"] += 1
    if ok:
        JOURNAL.write(json.dumps({"kind": action, **what}) + "\n")


def succeeded(response: Any) -> bool:
    return response.status_code == 200 and "flash--success" in response.text


class Person(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 5)

    def on_start(self) -> None:
        self.account = POOLS[self.role].pop()
        self.token = ""
        page = self.client.get("/inloggen")
        self.remember(page)
        done = self.client.post("/inloggen", name="POST /inloggen", data={
            "email": self.account["email"], "password": WORLD["password"],
            "csrf_token": self.token})
        self.remember(done)

    def remember(self, response: Any) -> Any:
        found = CSRF.search(response.text or "") if response.status_code == 200 else None
        if found:
            self.token = found.group(1)
        return response

    def get(self, path: str, name: str | None = None) -> Any:
        return self.remember(self.client.get(path, name=name or path))

    def post(self, path: str, data: dict[str, Any], name: str) -> Any:
        return self.remember(self.client.post(path, name=name,
                                              data={**data, "csrf_token": self.token}))

    def check_in(self) -> None:
        """Answer a check-in from a mail to this account in the outbox (the scheduler sent
        it, the relay wrote it)."""
        for path in sorted(OUTBOX.glob("*.eml")) if OUTBOX.is_dir() else []:
            mail = email.message_from_bytes(path.read_bytes())
            if self.account["email"] not in str(mail.get("To", "")):
                continue
            body = "".join(part.get_payload(decode=True).decode("utf-8", "replace")
                           for part in mail.walk() if part.get_content_type() == "text/plain")
            for token in re.findall(r"/hoe-gaat-het/([A-Za-z0-9_.\-]+)/going_well", body):
                if token in USED_TOKENS:
                    continue
                USED_TOKENS.add(token)
                link = f"/hoe-gaat-het/{token}/going_well"
                self.get(link, name="/hoe-gaat-het/[token]/[answer]")
                done = self.post(link, {"answer": "going_well"},
                                 name="POST /hoe-gaat-het/[token]/[answer]")
                checkin_id, role = json.loads(base64.urlsafe_b64decode(
                    token.split(".")[0] + "=" * (-len(token.split(".")[0]) % 4)))
                record("checkin", done.status_code == 200 and "Bedankt voor uw antwoord"
                       in done.text, checkin_id=checkin_id, role=role, answer="going_well")
                return
        ACTIONS["checkin none"] += 1
