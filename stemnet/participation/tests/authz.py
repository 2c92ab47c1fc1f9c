"""Who may reach the participation URLs, for ``portal/tests/authz_table.py``.

The world (``world_add``): a consultation for logged-in users with its ideas and voting open;
the owner (coordinator of academy A) has joined it and posted an idea with a suggestion; VLAIO
staff and superusers moderate; an open needs survey that A's coordinator answers."""

from __future__ import annotations

from stemnet.portal.tests.authz_table import (
    EVERYONE,
    LOGGED_IN,
    NOBODY,
    OTHER,
    OWNER,
    STAFF,
    Access,
)

PARTICIPANT = frozenset({OWNER})
PARTICIPANT_OR_STAFF = STAFF | PARTICIPANT


def _c(w):
    return {"pk": w["consultation"].pk}


def _code(w):
    return {"code": w["consultation"].join_code}


def _idea(w):
    return {"pk": w["idea"].pk}


def _suggestion(w):
    return {"pk": w["suggestion"].pk}


def _survey(w):
    return {"pk": w["survey"].pk}


ACCESS = {
    "consultation_list": Access(EVERYONE),
    "join_code": Access(EVERYONE),
    "participant_join": Access(LOGGED_IN, kwargs=_code),
    "consultation_detail": Access(PARTICIPANT_OR_STAFF, kwargs=_c),
    "results": Access(STAFF, kwargs=_c),  # participants once the results are public
    "idea_create": Access(
        PARTICIPANT,
        method="POST",
        kwargs=lambda w: {"pk": w["idea"].theme_id},
        data=lambda w: {"title": "Idee", "text": "Tekst"},
    ),
    "idea_detail": Access(PARTICIPANT_OR_STAFF, kwargs=_idea),
    "idea_image": Access(NOBODY, kwargs=_idea),  # the world's idea has no image: 404
    "vote": Access(PARTICIPANT, method="POST", kwargs=_idea, data=lambda w: {"score": "3"}),
    "support": Access(PARTICIPANT, method="POST", kwargs=_idea, data=lambda w: {"support": "1"}),
    "comment": Access(
        PARTICIPANT, method="POST", kwargs=_idea, data=lambda w: {"comment-text": "Ja"}
    ),
    "suggestion": Access(
        PARTICIPANT, method="POST", kwargs=_idea, data=lambda w: {"suggestion-text": "Beter"}
    ),
    "suggestion_accept": Access(PARTICIPANT_OR_STAFF, kwargs=_suggestion),
    "suggestion_decline": Access(PARTICIPANT_OR_STAFF, method="POST", kwargs=_suggestion),
    "live_phone": Access(LOGGED_IN, kwargs=_code),  # others are sent to the join form
    "live_phone_state": Access(PARTICIPANT, kwargs=_code),
    "projector": Access(STAFF, kwargs=_c),
    "projector_state": Access(STAFF, kwargs=_c),
    "live_move": Access(STAFF, method="POST", kwargs=_c, data=lambda w: {"idea": w["idea"].pk}),
    "live_timer": Access(STAFF, method="POST", kwargs=_c, data=lambda w: {"seconds": "60"}),
    "join_qr": Access(STAFF, kwargs=_c),
    "manage_list": Access(STAFF),
    "consultation_create": Access(STAFF),
    "consultation_moderate": Access(STAFF, kwargs=_c),
    "consultation_edit": Access(STAFF, kwargs=_c),
    "results_xlsx": Access(STAFF, kwargs=_c),
    "results_pdf": Access(STAFF, kwargs=_c),
    "idea_hide": Access(STAFF, kwargs=_idea),
    "idea_show": Access(STAFF, method="POST", kwargs=_idea),
    "idea_merge": Access(STAFF, kwargs=_idea),
    "idea_answer": Access(STAFF, kwargs=_idea),
    "idea_link": Access(STAFF, kwargs=_idea),
    "survey_list": Access(frozenset({OWNER, OTHER})),  # coordinators of academies
    "survey_create": Access(STAFF),
    "survey_results": Access(STAFF, kwargs=_survey),
    "survey_answer": Access(PARTICIPANT, kwargs=lambda w: {**_survey(w), "slug": w["org_a"].slug}),
}


def world_add(w: dict) -> None:
    import datetime as dt

    from django.utils import timezone

    from stemnet.participation import services
    from stemnet.participation.models import Consultation
    from stemnet.participation.tests.factories import consultation, participant

    c = w["consultation"] = consultation(access=Consultation.Access.ACCOUNTS)
    author = participant(c, name="Owner", group="academy", user=w["users"][OWNER])
    idea = w["idea"] = services.idea_create(
        theme=c.themes.first(), author=author, title="Idee", text="Tekst"
    )
    w["suggestion"] = services.suggestion_create(idea=idea, author=author, text="Beter")
    now = timezone.now()
    w["survey"] = services.survey_create(
        title="Noden",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
        questions=[{"text": "Wat?", "kind": "text"}],
    )
