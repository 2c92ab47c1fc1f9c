"""Sections that apps to the right of organisations add to an organisation's public page.

Organisations must not import the apps that build on it (the agenda, reach …), yet an
academy's page should show, say, its upcoming activities. Such an app registers a callable
in its ``AppConfig.ready()``::

    from stemnet.organisations import sections
    sections.register(upcoming_activities)   # (request, organisation) -> HTML, "" for none

``organisation_detail`` renders every registered section, in the order they registered,
after the organisation's description. A section returns safe HTML (rendered from its own
template) or an empty string when it has nothing to show for this organisation.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

Section = Callable[[HttpRequest, object], str]

_sections: list[Section] = []


def register(section: Section) -> None:
    """Add a section (idempotent: registering the same callable twice keeps one)."""
    if section not in _sections:
        _sections.append(section)


def unregister(section: Section) -> None:
    if section in _sections:
        _sections.remove(section)


def render(request: HttpRequest, organisation) -> list[SafeString]:
    """The HTML of every registered section that has something to show."""
    out = []
    for section in list(_sections):
        html = section(request, organisation)
        if html:
            out.append(SafeString(html))
    return out
