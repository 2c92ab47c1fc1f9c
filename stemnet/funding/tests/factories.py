"""Factories and helpers for funding tests."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from stemnet.accounts.tests.factories import UserFactory, activate_totp
from stemnet.funding.models import Application, Round
from stemnet.organisations.models import Membership, Organisation
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

CRITERIA = [
    {"title_nl": "Aansluiting bij de oproep", "title_en": "Fit with the call", "weight": 2},
    {"title_nl": "Bereik", "title_en": "Reach", "weight": 1},
]


def now():
    return timezone.now()


class RoundFactory(factory.django.DjangoModelFactory):
    """An academy round that opened yesterday and closes in 30 days."""

    class Meta:
        model = Round

    type = Round.Type.ACADEMY
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    title_nl = factory.Sequence(lambda n: f"Oproep STEM-academies {n}")
    title_en = factory.Sequence(lambda n: f"Call for STEM academies {n}")
    opens_at = factory.LazyFunction(lambda: now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: now() + dt.timedelta(days=30))
    budget = Decimal("10000.00")
    max_per_application = Decimal("5000.00")
    duration_years = 1
    grants_recognition = True
    appeal_nl = "Test: beroep bij de testinstantie binnen 30 dagen."
    appeal_en = "Test: appeal to the test body within 30 days."


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft for an academy round without rules (ready to submit)."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    title = "STEM in elke wijk"
    plan = "Wekelijkse reeksen in drie gemeenten."
    motivation = "Meer meisjes bereiken."
    planned_activities_text = "Robotica-reeks, kamp in de zomer."
    requested_amount = Decimal("3000.00")

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):  # noqa: N805
        from stemnet.places.models import Municipality

        if create:
            obj.municipalities.set(
                extracted
                if extracted is not None
                else Municipality.objects.current().filter(nis_code__in=["12025", "11002"])
            )


def coordinator_of(organisation: Organisation, **user_kwargs):
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, organisation=organisation, role=Membership.Role.COORDINATOR)
    return user


def _vlaio() -> Organisation:
    return Organisation.objects.filter(type=Organisation.Type.VLAIO).first() or OrganisationFactory(
        name="VLAIO", type=Organisation.Type.VLAIO
    )


def officer(**user_kwargs):
    """VLAIO staff (with TOTP, as the MFA middleware wants)."""
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, organisation=_vlaio(), role=Membership.Role.MEMBER)
    activate_totp(user)
    return user


def reviewer(**user_kwargs):
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, organisation=_vlaio(), role=Membership.Role.REVIEWER)
    activate_totp(user)
    return user


def pdf_upload(name="plan.pdf", content=b"%PDF-1.4\n% test\n"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def submitted(application=None, **kwargs) -> Application:
    application = application or ApplicationFactory(**kwargs)
    if application.status != Application.Status.DRAFT:
        return application
    actor = coordinator_of(application.organisation)
    from stemnet.funding import services

    services.application_submit(application=application, actor=actor)
    application.refresh_from_db()
    return application


def in_review(application=None, *, officer_user=None, **kwargs) -> Application:
    """Submitted, eligible and in review (the round gets a panel with CRITERIA)."""
    from stemnet.funding import services

    application = submitted(application, **kwargs)
    officer_user = officer_user or officer()
    round = application.round
    if round.panel_id is None:
        services._panel_for(round, officer_user, CRITERIA)
    services.eligibility_record(
        application=application, eligible=True, reason="", actor=officer_user
    )
    services.review_open(round=round, actor=officer_user)
    application.refresh_from_db()
    return application
