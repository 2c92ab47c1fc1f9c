"""Who edits and sends the newsletters: the STEM-gangmakers (coordinators and members of a
gangmaker organisation), VLAIO staff and superusers. Subscribers need no account: their
signed links are their permission (``tokens``)."""

import rules

from stemnet.organisations.models import Membership, Organisation


@rules.predicate
def is_gangmaker(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=user,
        organisation__type=Organisation.Type.GANGMAKER,
        organisation__is_active=True,
        role__in=[Membership.Role.COORDINATOR, Membership.Role.MEMBER],
    ).exists()


@rules.predicate
def is_vlaio_staff(user) -> bool:
    from stemnet.organisations.selectors import is_vlaio_staff as staff

    return staff(user)


is_editor = rules.is_superuser | is_gangmaker | is_vlaio_staff
rules.add_perm("newsletters.edit", is_editor)
