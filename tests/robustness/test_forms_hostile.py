"""Every form page of the web side, as every role: a file upload in every field, NUL bytes
with invalid UTF-8 (what a lone surrogate becomes on the wire) in every field, and a digit
that is not a number ("²") in every field. Never a 5xx.

The field names come from the forms the pages really show (every GET page of the security
matrix, parsed), so a new form of any feature is covered once its route is in the matrix.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.security.security_support import ACTORS, sign_in
from tests.security.test_security_matrix import MATRIX, build_urls, ordered

HOSTILE_BYTES = "%00%ED%A0%80x%00"  # NUL, a UTF-8-encoded lone surrogate (invalid), NUL
SUPERSCRIPT_TWO = "%C2%B2"  # "²": str.isdigit() says yes, int() refuses it


def field_names(client: Any, urls: dict[str, str]) -> set[str]:
    names: set[str] = set()
    for endpoint, method in MATRIX:
        if method != "GET" or endpoint.startswith("api.") or endpoint == "auth.logout":
            continue
        response = client.get(urls[endpoint])
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        for form in page.find_all("form"):
            for element in form.find_all(["input", "textarea", "select"]):
                name = element.get("name")
                if name and name != "csrf_token" and element.get("type") != "file":
                    names.add(name)
    return names


@pytest.mark.parametrize("actor", ACTORS)
def test_files_and_bad_bytes_in_every_form_field(app, world, market, actor):
    urls = build_urls(app, world, market)
    client = app.test_client() if actor == "anonymous" else sign_in(app, world.users[actor])
    names = sorted(field_names(client, urls))
    assert names, "no form fields found"
    errors = []
    posts = [key for key in ordered(list(MATRIX))
             if key[1] == "POST" and not key[0].startswith("api.")]
    for endpoint, _method in posts:
        files = {name: (io.BytesIO(b"%PDF-1.4 \x00\xff"), f"{name}.pdf") for name in names}
        response = client.post(urls[endpoint], data=files, content_type="multipart/form-data")
        if response.status_code >= 500:
            errors.append(f"POST {urls[endpoint]} as {actor} (files): {response.status_code}")
        raw = "&".join(f"{name}={HOSTILE_BYTES}" for name in names)
        response = client.post(urls[endpoint], data=raw,
                               content_type="application/x-www-form-urlencoded")
        if response.status_code >= 500:
            errors.append(f"POST {urls[endpoint]} as {actor} (bytes): {response.status_code}")
        raw = "&".join(f"{name}={SUPERSCRIPT_TWO}" for name in names)
        response = client.post(urls[endpoint], data=raw,
                               content_type="application/x-www-form-urlencoded")
        if response.status_code >= 500:
            errors.append(f"POST {urls[endpoint]} as {actor} (²): {response.status_code}")
    assert not errors, "\n".join(errors)
