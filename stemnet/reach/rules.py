"""Permissions of the reach monitor (django-rules).

* ``reach.record_participation`` (object: an Activity or an Organisation): coordinators of the
  organiser record participation for their own organisation's activities only.
* ``reach.view_dashboard`` and ``reach.import_history``: VLAIO staff (a membership other than
  reviewer in an organisation of type ``vlaio``) and superusers. The history import creates
  academies and replaces a year's figures: reviewers get neither.
* ``reach.view_organisation`` (object: an Organisation): its members, VLAIO staff, superusers.
"""

import rules

from stemnet.organisations import selectors as org_selectors
from stemnet.organisations.models import Organisation
from stemnet.organisations.selectors import is_coordinator, is_member


def _organisation_of(obj):
    if obj is None:
        return None
    if isinstance(obj, Organisation):
        return obj
    organiser = getattr(obj, "organiser", None)
    if organiser is not None:
        return organiser
    return getattr(obj, "organisation", None)


@rules.predicate
def is_vlaio_staff(user) -> bool:
    return org_selectors.is_vlaio_staff(user)


@rules.predicate
def coordinates_organiser(user, obj) -> bool:
    return is_coordinator(user, _organisation_of(obj))


@rules.predicate
def is_organisation_member(user, obj) -> bool:
    return is_member(user, _organisation_of(obj))


rules.add_perm("reach.record_participation", coordinates_organiser | rules.is_superuser)
rules.add_perm("reach.view_dashboard", is_vlaio_staff | rules.is_superuser)
rules.add_perm("reach.import_history", is_vlaio_staff | rules.is_superuser)
rules.add_perm(
    "reach.view_organisation", is_organisation_member | is_vlaio_staff | rules.is_superuser
)
