"""What the agenda adds to other apps' pages without those apps importing it.

``upcoming_activities`` is registered (``AgendaConfig.ready``) as a section of an
organisation's public page (``stemnet.organisations.sections``): an academy's page lists
the activities it organises that are still to come, from ``selectors``.
"""

from django.template.loader import render_to_string

from stemnet.agenda import selectors

LIMIT = 30


def upcoming_activities(request, organisation) -> str:
    """The organisation's upcoming activities as a page section; "" when it has none."""
    activities, total = selectors.activity_list_upcoming_of_organisation(
        organisation.pk, limit=LIMIT
    )
    if not activities:
        return ""
    return render_to_string(
        "agenda/_organisation_activities.html",
        {"activities": activities, "total": total, "organisation": organisation},
        request=request,
    )
