"""Who may see and retry the UiTdatabank sync (django-rules).

Coordinators of the organiser see its activities' UiT state and may ask for a new sync;
superusers may do everything.
"""

import rules


@rules.predicate
def coordinates_organiser(user, activity) -> bool:
    from stemnet.organisations.selectors import is_coordinator

    return activity is not None and is_coordinator(user, activity.organiser)


@rules.predicate
def coordinates_organisation(user, organisation) -> bool:
    from stemnet.organisations.selectors import is_coordinator

    return is_coordinator(user, organisation)


rules.add_perm("uit.view_sync", coordinates_organisation | rules.is_superuser)
rules.add_perm("uit.retry_sync", coordinates_organiser | rules.is_superuser)
