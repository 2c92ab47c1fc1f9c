"""Permissions of the contact point (django-rules).

* ``matching.triage``: VLAIO staff (not reviewers) and superusers work the queue.
* ``matching.answer_introduction`` (object: an Introduction or an academy Organisation):
  members of the academy that received it, and superusers.
"""

import rules

from stemnet.organisations import selectors as org_selectors


@rules.predicate
def is_vlaio_staff(user) -> bool:
    return org_selectors.is_vlaio_staff(user)


@rules.predicate
def is_academy_member(user, obj) -> bool:
    academy = getattr(obj, "academy", obj)
    return org_selectors.is_member(user, academy)


rules.add_perm("matching.triage", is_vlaio_staff | rules.is_superuser)
rules.add_perm("matching.answer_introduction", is_academy_member | rules.is_superuser)
