"""The hub's part of its organisation's public page: catalogue, opening hours, lab sessions."""

from django.template.loader import render_to_string
from django.utils import timezone

from stemnet.lending import selectors
from stemnet.lending.hours import week_rows


def hub_section(request, organisation) -> str:
    hub = selectors.hub_for_organisation(organisation)
    if hub is None:
        return ""
    today = timezone.localdate()
    return render_to_string(
        "lending/_hub_section.html",
        {
            "hub": hub,
            "item_count": hub.items.filter(is_active=True).count(),
            "week": week_rows(hub),
            "exceptions": hub.opening_exceptions.filter(date__gte=today)[:10],
            "sessions": selectors.lab_sessions_upcoming(hub),
            "organisations": selectors.borrower_organisations(request.user),
        },
        request=request,
    )
