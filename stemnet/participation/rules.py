"""Permissions of the participation component (django-rules).

Moderators (VLAIO staff, superusers) run consultations and surveys. Participants are not users:
someone joined by code has no account, so the views find the participant with
``selectors.participant_for(request, consultation)`` and check it with the helpers below.
"""

import rules

from stemnet.organisations import selectors as org_selectors
from stemnet.participation import selectors


@rules.predicate
def is_moderator(user) -> bool:
    return selectors.is_moderator(user)


@rules.predicate
def is_academy_coordinator(user, organisation) -> bool:
    from stemnet.organisations.models import Organisation

    return (
        organisation is not None
        and organisation.type == Organisation.Type.ACADEMY
        and org_selectors.is_coordinator(user, organisation)
    )


rules.add_perm("participation.moderate", is_moderator)
rules.add_perm("participation.answer_survey", is_academy_coordinator)


def may_accept(user, participant, suggestion) -> bool:
    """The idea's author or a moderator accepts or declines a suggestion."""
    if selectors.is_moderator(user):
        return True
    return participant is not None and participant.pk == suggestion.idea.author_id


def may_see_results(user, participant, consultation) -> bool:
    if selectors.is_moderator(user):
        return True
    return participant is not None and consultation.results_public()
