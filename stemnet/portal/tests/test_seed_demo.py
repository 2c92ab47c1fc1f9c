"""The demo ecosystem: ``manage.py seed_demo`` and ``manage.py demo_accounts``."""

import datetime as dt
import io

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.utils import timezone

from stemnet.accounts.demo import ACCOUNTS, DEMO_PASSWORD
from stemnet.accounts.models import User
from stemnet.agenda.models import AGE_MAX, AGE_MIN, Activity, Session
from stemnet.organisations.models import Membership, Organisation, PartnershipMember
from stemnet.organisations.selectors import organisation_search
from stemnet.places.models import Province
from stemnet.places.selectors import Point, distance_km, point_for_postcode
from stemnet.portal.management.commands.demo_accounts import current_totp_code

pytestmark = pytest.mark.django_db

LEADS = {
    "Buurtmakers": "Arteveldehogeschool",
    "Digimobile": "Hogeschool PXL – PXL STEM Academy",
    "Groeituin 5.0": "Vrije Universiteit Brussel",
    "Neteland STEM-land": "Samenwerkingsverband Neteland",
    "Repair teens": "Katholieke Hogeschool VIVES Zuid",
    "SPARK": "RVO-Society (Brightlab)",
    "STEM&VORK": "LUCA school of arts",
}


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Everything seed_demo writes, without database ids."""
    return {
        "organisations": sorted(
            Organisation.objects.values_list("slug", "name", "type", "street", "postcode")
        ),
        "served": sorted(
            Organisation.municipalities_served.through.objects.values_list(
                "organisation__slug", "municipality__nis_code"
            )
        ),
        "partners": sorted(
            PartnershipMember.objects.values_list("partnership__slug", "member__slug", "role")
        ),
        "users": sorted(User.objects.values_list("email", "is_demo", "is_superuser")),
        "memberships": sorted(
            Membership.objects.values_list("user__email", "organisation__slug", "role")
        ),
        "authenticators": Authenticator.objects.count(),
        "activities": sorted(
            Activity.objects.values_list(
                "title", "organiser__slug", "kind", "status", "age_min", "age_max", "first_start"
            )
        ),
        "sessions": Session.objects.count(),
    }


def test_full_demo_ecosystem():
    output = seed()
    assert "Activities: " in output

    # The seven partnerships of 2020 with their lead institutions.
    partnerships = Organisation.objects.partnerships()
    assert set(partnerships.values_list("name", flat=True)) == set(LEADS)
    for project, lead in LEADS.items():
        link = PartnershipMember.objects.get(partnership__name=project, role="lead")
        assert link.member.name == lead
        assert PartnershipMember.objects.filter(partnership__name=project, role="academy").exists()

    # About 80 academies, in every province and in Brussels.
    academies = Organisation.objects.academies()
    assert 70 <= academies.count() <= 90
    provinces = set(academies.values_list("municipality__province__name_nl", flat=True))
    assert set(Province.objects.values_list("name_nl", flat=True)) <= provinces
    assert academies.filter(municipality__region_id="04000").count() >= 3
    for academy in academies:
        served = academy.municipalities_served.count()
        assert 1 <= served <= 6, academy
    for name in ("Ekoli", "Skillz vzw"):
        assert academies.filter(name=name).exists()
    for type_ in ("school", "company", "knowledge_institution", "gangmaker", "vlaio"):
        assert Organisation.objects.filter(type=type_).exists(), type_
    assert Organisation.objects.get(name="WiWeTeR Thomas More").type == "gangmaker"
    assert organisation_search(postcode="2800", types=["academy"]).count() >= 3

    # The demo STEMhub: 40 items and loans in every state (stemnet.lending.demo).
    from stemnet.lending.models import Item, Loan

    assert Item.objects.filter(is_demo=True).count() == 40
    assert set(Loan.objects.values_list("status", flat=True)) == set(Loan.Status.values)

    # Every organisation is demo data with demo contact details.
    for organisation in Organisation.objects.all():
        assert organisation.is_demo
        assert organisation.email.endswith("@demo.stemnet.invalid")
        assert organisation.website in ("",) or organisation.website.startswith(
            "https://example.org/"
        )
        assert "Demo-gegevens" in organisation.description

    # One login per role, verified, with its membership; MFA where the role requires it.
    # Other demo people (e.g. STEMpact's invented schools' contacts) cannot log in.
    assert not User.objects.filter(is_demo=False).exists()
    logins = [u.email for u in User.objects.all() if u.has_usable_password()]
    assert sorted(logins) == sorted(a.email for a in ACCOUNTS) and len(ACCOUNTS) == 8
    for account in ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.is_demo
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
        has_totp = Authenticator.objects.filter(user=user, type="totp").exists()
        assert has_totp == account.mfa, account.role
        if account.organisation:
            # The demo gangmaker also staffs the demo STEMhub (stemnet.lending.demo).
            membership = Membership.objects.exclude(
                organisation__slug="stemhub-kruidtuin-demo"
            ).get(user=user)
            assert membership.organisation.name == account.organisation
            assert membership.role == account.membership_role
    admin = User.objects.get(email="beheerder@demo.stemnet.invalid")
    assert admin.is_superuser and admin.is_staff
    assert Membership.objects.get(user__email="vlaio@demo.stemnet.invalid").organisation.type == (
        "vlaio"
    )

    # About 2,000 activities of every kind, past and upcoming, valid and demo.
    activities = Activity.objects.all()
    assert 1900 <= activities.count() <= 2100
    assert set(activities.values_list("kind", flat=True)) == set(Activity.Kind.values)
    assert set(activities.values_list("status", flat=True)) == set(Activity.Status.values)
    now = timezone.now()
    past = activities.filter(last_end__lt=now).count()
    upcoming = activities.filter(first_start__gte=now).count()
    assert 0.3 * activities.count() <= past <= 0.5 * activities.count()
    assert upcoming >= 0.4 * activities.count()
    assert activities.filter(status="published").count() >= 0.75 * activities.count()
    assert not activities.filter(is_demo=False).exists()
    assert not activities.exclude(source__in=["own", "uit"]).exists()
    assert not activities.filter(status="cancelled", cancel_reason="").exists()
    assert not activities.filter(first_start__isnull=True).exists()
    assert not activities.filter(domains__isnull=True).exists()
    assert activities.filter(price=0).count() > 0.3 * activities.count()
    assert activities.filter(price_reduced__isnull=False).exists()
    for age_min, age_max in activities.values_list("age_min", "age_max"):
        assert AGE_MIN <= age_min <= age_max <= AGE_MAX
    titles = set(activities.values_list("title", flat=True))
    assert len(titles) > 300
    assert not activities.filter(description__icontains="lorem").exists()
    assert all(
        "stemindevrijetijd" in labels for labels in activities.values_list("labels", flat=True)
    )

    # Session patterns: series 5-10 weekly, camps 3-5 consecutive days, one-offs 1.
    for activity in activities.prefetch_related("sessions")[:400]:
        starts = [timezone.localtime(s.starts_at).date() for s in activity.sessions.all()]
        if activity.kind == Activity.Kind.SERIES:
            assert 5 <= len(starts) <= 10
            assert all((b - a).days == 7 for a, b in zip(starts, starts[1:], strict=False))
        elif activity.kind == Activity.Kind.CAMP:
            assert 3 <= len(starts) <= 5
            assert all((b - a).days == 1 for a, b in zip(starts, starts[1:], strict=False))
        elif activity.kind in (Activity.Kind.ONE_OFF, Activity.Kind.WORKSHOP):
            assert len(starts) == 1

    # Robotics for a 10-year-old within 10 km of 2800 in the coming weeks (issue 3).
    centre = point_for_postcode("2800")
    soon = activities.published().filter(
        themes__slug="robotica",
        age_min__lte=10,
        age_max__gte=10,
        first_start__gte=now,
        first_start__lte=now + dt.timedelta(days=28),
    )
    near = [a for a in soon if distance_km(centre, Point(a.lat, a.lon)) <= 10]
    assert len(near) >= 3


def test_seed_demo_refuses_without_debug_or_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("seed_demo", "--small", stdout=io.StringIO())
    assert not User.objects.filter(is_demo=True).exists()


def test_seed_demo_keeps_real_data_and_is_idempotent():
    from stemnet.organisations.tests.factories import OrganisationFactory, municipality

    real = OrganisationFactory(name="Een echte academie", is_demo=False)
    # A real organisation whose slug a demo organisation would take.
    namesake = OrganisationFactory(
        name="Technopolis", slug="technopolis", postcode="9000", municipality=municipality("44021")
    )
    real_user = User.objects.create_user(email="echt@example.org", password="x" * 12)
    seed("--small")
    first = snapshot()
    assert 140 <= len(first["activities"]) <= 160
    seed("--small")
    assert snapshot() == first  # idempotent
    assert Organisation.objects.filter(pk=real.pk, is_demo=False).exists()
    namesake.refresh_from_db()
    assert (namesake.slug, namesake.is_demo, namesake.postcode) == ("technopolis", False, "9000")
    assert Organisation.objects.get(slug="technopolis-demo", is_demo=True).name == "Technopolis"
    assert User.objects.filter(pk=real_user.pk, is_demo=False).exists()


def test_current_totp_code_is_rfc6238():
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 -> last six digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert current_totp_code(secret, at=59) == "287082"


def test_demo_accounts_says_what_to_do_before_the_seed():
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    assert "seed_demo" in out.getvalue()  # nothing seeded yet: says what to do
