"""Security headers on every kind of answer, CSRF on every form, no inline code in pages."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.conftest import TEST_PASSWORD, build_app
from tests.security.security_support import csrf_token_of
from tests.security.test_security_matrix import MATRIX, build_urls

# (description, method, url, headers): an HTML page, JSON, problem+json and error pages.
SAMPLES = [
    ("html page", "GET", "/", {}),
    ("form page", "GET", "/inloggen", {}),
    ("json", "GET", "/healthz", {}),
    ("openapi json", "GET", "/api/v1/openapi.json", {}),
    ("api 401", "GET", "/api/v1/me", {}),
    ("api 404", "GET", "/api/v1/bestaat-niet", {}),
    ("api 405", "DELETE", "/api/v1/me", {}),
    ("html 404", "GET", "/bestaat-niet", {}),
    ("html 405", "DELETE", "/inloggen", {}),
    ("redirect", "GET", "/account/", {}),
]


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    parts = [d.strip().split() for d in policy.split(";") if d.strip()]
    return {p[0]: p[1:] for p in parts}


def assert_secure_headers(response, label: str) -> None:
    csp = csp_directives(response)
    assert csp, f"{label}: no Content-Security-Policy"
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], label
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"], label
    assert csp.get("frame-ancestors") == ["'none'"], label
    assert csp.get("object-src") == ["'none'"], label
    script_src = csp.get("script-src", csp.get("default-src"))
    assert script_src == ["'self'"], f"{label}: script-src {script_src}"
    assert response.headers.get("X-Content-Type-Options") == "nosniff", label
    assert response.headers.get("X-Frame-Options") == "DENY", label
    assert response.headers.get("Referrer-Policy"), label


@pytest.mark.parametrize("label,method,url,headers", SAMPLES, ids=[s[0] for s in SAMPLES])
def test_security_headers_on_every_kind_of_answer(client, label, method, url, headers):
    response = client.open(url, method=method, headers=headers)
    assert_secure_headers(response, label)
    assert "Strict-Transport-Security" not in response.headers, "HSTS only when configured"


def test_personal_pages_are_not_cached(client, make_user, api_token):
    user = make_user("resident")
    client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD})
    for response in (client.get("/account/"), client.get("/api/v1/me", headers=api_token(user))):
        assert "no-store" in response.headers.get("Cache-Control", "")


def test_hsts_only_when_configured(app, client):
    before = app.config["HSTS"]
    app.config["HSTS"] = True
    try:
        for _label, method, url, headers in SAMPLES:
            response = client.open(url, method=method, headers=headers)
            hsts = response.headers.get("Strict-Transport-Security", "")
            assert "max-age=" in hsts and int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000
    finally:
        app.config["HSTS"] = before
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_production_config_turns_on_hsts_and_secure_cookies(monkeypatch):
    from config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    config = ProductionConfig()
    assert config.HSTS is True and config.SESSION_COOKIE_SECURE is True
    assert config.SESSION_COOKIE_HTTPONLY is True and config.SESSION_COOKIE_SAMESITE == "Lax"


def test_server_error_page_has_headers_and_no_stack_trace(database, tmp_path):
    app = build_app(database[1], tmp_path, PROPAGATE_EXCEPTIONS=False)

    @app.get("/stuk")
    def broken():
        raise RuntimeError("geheime details uit de database")

    @app.get("/api/v1/stuk")
    def broken_api():
        raise RuntimeError("geheime details uit de database")

    with app.app_context():
        from marketplace.extensions import db

        for url in ("/stuk", "/api/v1/stuk"):
            response = app.test_client().get(url)
            assert response.status_code == 500
            assert "geheime details" not in response.text
            assert "Traceback" not in response.text
            assert_secure_headers(response, url)
        assert "Er ging iets mis" in app.test_client().get("/stuk").text
        assert app.test_client().get("/api/v1/stuk").mimetype == "application/problem+json"
        db.engine.dispose()


# --- CSRF ---------------------------------------------------------------------------------

def sign_in_with_token(client, user) -> None:
    token = csrf_token_of(client.get("/inloggen").text)
    response = client.post("/inloggen", data={"email": user.email, "password": TEST_PASSWORD,
                                              "csrf_token": token})
    assert response.status_code == 302, response.status_code


def web_posts() -> list[str]:
    """Every POST route of the matrix outside the API (which uses bearer tokens)."""
    return sorted(endpoint for endpoint, method in MATRIX
                  if method == "POST" and not endpoint.startswith("api."))


@pytest.mark.parametrize("actor", ["anonymous", "resident", "admin"])
def test_every_form_post_without_token_is_refused(csrf_enabled, world, market, actor):
    app = csrf_enabled
    urls = build_urls(app, world, market)
    client = app.test_client()
    if actor != "anonymous":
        sign_in_with_token(client, world.users[actor])
    refused = {}
    for endpoint in web_posts():
        response = client.post(urls[endpoint], data={"name": "x", "email": "a@example.org"})
        refused[endpoint] = response.status_code
        if response.status_code == 400:
            assert "De pagina was te lang open" in response.text
    assert refused == {endpoint: 400 for endpoint in web_posts()}
    # A token from another session does not help either.
    other = app.test_client()
    foreign = csrf_token_of(other.get("/inloggen").text)
    response = client.post("/account-maken", data={"csrf_token": foreign, "name": "x"})
    assert response.status_code == 400
    if actor != "anonymous":
        assert client.get("/account/").status_code == 200, "still signed in: logout was refused"


def test_login_and_logout_work_with_the_token_from_the_form(csrf_enabled, make_user):
    app = csrf_enabled
    user = make_user("resident")
    client = app.test_client()
    sign_in_with_token(client, user)
    page = client.get("/account/")
    assert page.status_code == 200
    # The logout button in the header carries its own token.
    form = BeautifulSoup(page.text, "html.parser").find("form", action="/uitloggen")
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    assert client.post("/uitloggen").status_code == 400
    assert client.get("/account/").status_code == 200
    assert client.post("/uitloggen", data={"csrf_token": token}).status_code == 302
    assert client.get("/account/").status_code == 302


def test_every_page_form_carries_a_csrf_token(csrf_enabled, world, market):
    app = csrf_enabled
    urls = build_urls(app, world, market)
    for actor in ("anonymous", "admin"):
        client = app.test_client()
        if actor == "admin":
            sign_in_with_token(client, world.users["admin"])
        for (endpoint, method) in MATRIX:
            if method != "GET" or endpoint.startswith("api."):
                continue
            response = client.get(urls[endpoint])
            if response.mimetype != "text/html":
                continue
            for form in BeautifulSoup(response.text, "html.parser").find_all("form"):
                if (form.get("method") or "get").lower() == "post":
                    assert form.find("input", attrs={"name": "csrf_token"}), (
                        f"{urls[endpoint]} as {actor}: a POST form without csrf_token")


# --- no inline code -----------------------------------------------------------------------

def inline_code(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag in soup.find_all(True):
        if tag.name == "script" and (not tag.get("src") or tag.string and tag.string.strip()):
            found.append(f"inline <script>: {str(tag)[:80]}")
        if tag.name == "style":
            found.append("a <style> element")
        for attr, value in tag.attrs.items():
            if attr == "style":
                found.append(f"style= on <{tag.name}>")
            if attr.startswith("on"):
                found.append(f"{attr}= on <{tag.name}>")
            if attr in ("href", "src", "action") and str(value).strip().lower().startswith(
                    "javascript:"):
                found.append(f"javascript: URL on <{tag.name}>")
    return found


@pytest.mark.parametrize("actor", ["anonymous", "resident", "worker", "admin"])
def test_no_inline_script_or_style_in_any_page(app, world, market, actor):
    from tests.security.security_support import sign_in

    urls = build_urls(app, world, market)
    client = app.test_client() if actor == "anonymous" else sign_in(app, world.users[actor])
    problems, seen = [], 0
    extra_pages = [("GET", "/bestaat-niet"), ("GET", "/?lang=en")]
    requests = [(m, urls[e]) for (e, m) in sorted(MATRIX)
                if not e.startswith("api.") and e != "auth.logout"] + extra_pages
    for method, url in requests:
        data = {"name": "", "email": "geen-adres"} if method == "POST" else None
        response = client.open(url, method=method, data=data, follow_redirects=True)
        if response.mimetype == "text/html":
            seen += 1
            problems += [f"{method} {url}: {p}" for p in inline_code(response.text)]
    assert seen >= 10
    assert not problems, "\n".join(problems)


def test_inline_code_detector_finds_what_it_should():
    page = ('<p style="color:red">x</p><script>alert(1)</script><a href="javascript:x">y</a>'
            '<button onclick="x()">b</button><style>p{}</style><script src="/s.js"></script>')
    assert len(inline_code(page)) == 5

