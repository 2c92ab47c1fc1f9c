"""Factories for consultations: a consultation in a chosen phase, participants, ideas."""

import datetime as dt

from django.utils import timezone

from stemnet.participation import services
from stemnet.participation.models import Consultation


def consultation(
    *,
    phase: str = "voting",
    access: str = Consultation.Access.CODE,
    themes=("Sensibiliseren", "STEM in de vrije tijd"),
    title="Workshop",
) -> Consultation:
    """A consultation whose ideas and voting phases are open now (``voting``), whose voting
    closed an hour ago (``closed``) or that has not started (``future``)."""
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    if phase == "voting":
        start, end = now - hour, now + hour
    elif phase == "closed":
        start, end = now - 3 * hour, now - hour
    else:
        start, end = now + hour, now + 3 * hour
    return services.consultation_create(
        title=title,
        ideas_from=start,
        ideas_until=end,
        voting_from=start,
        voting_until=end,
        results_from=end,
        themes=list(themes),
        access=access,
    )


def participant(c: Consultation, name="Ann", group="company", user=None):
    return services.participant_join(consultation=c, name=name, group=group, user=user)


def idea(c: Consultation, author=None, title="STEM-bus", text="Een bus vol proefjes"):
    author = author or participant(c, name="Auteur", group="academy")
    return services.idea_create(theme=c.themes.first(), author=author, title=title, text=text)


def vlaio_staff():
    """A VLAIO staff member (with TOTP, as the MFA middleware wants): a moderator."""
    from stemnet.accounts.tests.factories import UserFactory, activate_totp
    from stemnet.organisations.models import Membership, Organisation
    from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

    vlaio = Organisation.objects.filter(type=Organisation.Type.VLAIO).first()
    vlaio = vlaio or OrganisationFactory(type=Organisation.Type.VLAIO, name="VLAIO")
    user = UserFactory()
    MembershipFactory(user=user, organisation=vlaio, role=Membership.Role.MEMBER)
    activate_totp(user)
    return user
