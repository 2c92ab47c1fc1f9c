"""Content-Security-Policy (issue 13): the header is sent, and no template needs an exception.

The browser tests fail on any refusal Chromium reports (tests/browser/conftest.py); this
test keeps templates from needing one in the first place."""

import re
from pathlib import Path

import pytest

import stemnet

pytestmark = pytest.mark.django_db

TEMPLATES = [
    path
    for path in Path(stemnet.__file__).resolve().parent.rglob("templates/**/*.html")
    if "/pdf/" not in path.as_posix()  # rendered by WeasyPrint, never by a browser
]
DATA_BLOCK = re.compile(r'type="application/(ld\+)?json"')


def test_pages_send_a_policy_without_inline_scripts_or_styles(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_the_api_answers_carry_the_policy_too(client):
    assert "Content-Security-Policy" in client.get("/api/v1/activities").headers


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_no_template_has_inline_script_handler_or_style(path):
    html = path.read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or DATA_BLOCK.search(tag), f"inline script in {path}: {tag}"
    assert not re.search(r"\son[a-z]+=\"", html), f"inline event handler in {path}"
    assert not re.search(r"\sstyle=\"", html), f"style attribute in {path}"
    assert "<style" not in html, f"<style> element in {path}"
