"""Role × URL × method: every URL pattern of the site, every role, GET and POST.

The URL patterns come from the resolver, so a new view fails here until ``authz_table``
declares who may reach it. For each URL, the roles that are not declared are refused on GET
and on POST (403, 404, 401, 405 or a redirect to the login); the declared roles reach it
with the declared method.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stemnet.portal.tests import authz_table as table

pytestmark = pytest.mark.django_db


def url_patterns(patterns=None, namespace: str | None = None, prefix: str = ""):
    """(name with namespace, route) for every pattern, descending into includes."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from url_patterns(pattern.url_patterns, ns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, namespace, prefix + str(pattern.pattern)


ALL = list(url_patterns())
NAMED = sorted(
    {
        name
        for name, ns, _route in ALL
        if name and (ns not in table.NAMESPACES or name in table.ACCESS)
    }
)


def test_every_url_pattern_is_declared():
    unnamed = [route for name, ns, route in ALL if not name and ns not in table.NAMESPACES]
    assert not unnamed, (
        f"URL patterns without a name: {unnamed}. Give each a name and declare who may reach "
        "it in stemnet/portal/tests/authz_table.py (ACCESS)."
    )
    unknown = [name for name in NAMED if name not in table.ACCESS]
    assert not unknown, (
        f"URL names without a declared permission: {unknown}. Add each to ACCESS in "
        "stemnet/portal/tests/authz_table.py with the roles that may reach it; the matrix "
        "then checks that every other role is refused."
    )
    stale = sorted(set(table.ACCESS) - set(NAMED))
    assert not stale, f"ACCESS declares URL names that no longer exist: {stale}"


# --- the world: organisation A's objects, and one person per role -----------------------------


def _world() -> dict:
    from stemnet.accounts.tests.factories import UserFactory, activate_totp
    from stemnet.agenda import services as agenda_services
    from stemnet.agenda.importing import JOB_KIND
    from stemnet.agenda.tests.factories import ActivityFactory
    from stemnet.core.models import Job
    from stemnet.funding import services as funding
    from stemnet.funding.tests.factories import (
        ApplicationFactory,
        RoundFactory,
        coordinator_of,
        in_review,
        officer,
        pdf_upload,
        reviewer,
        submitted,
    )
    from stemnet.organisations import services as org_services
    from stemnet.organisations.models import Membership, Organisation
    from stemnet.organisations.tests.factories import (
        MembershipFactory,
        OrganisationFactory,
        PartnershipMemberFactory,
    )
    from stemnet.portal.tests.factories import NewsArticleFactory
    from stemnet.reach.tests.factories import held_activity
    from stemnet.scoring import services as scoring

    w: dict = {}
    org_a = w["org_a"] = OrganisationFactory(name="Academie A")
    owner = coordinator_of(org_a)
    other = coordinator_of(OrganisationFactory(name="Academie B"))
    staff = officer()
    colleague = officer()
    pool = reviewer()
    root = UserFactory(is_superuser=True, is_staff=True)
    activate_totp(root)
    RoundFactory().officers.add(colleague)
    w["users"] = {
        table.ANON: None,
        table.USER: UserFactory(),
        table.OTHER: other,
        table.OWNER: owner,
        table.REVIEWER: pool,
        table.VLAIO: colleague,
        table.OFFICER: staff,
        table.SUPER: root,
    }
    w["news"] = NewsArticleFactory()
    from stemnet.events.tests.factories import EventFactory, RegistrationFactory

    w["event"] = EventFactory(organiser=org_a)
    person = w["users"][table.USER]
    w["registration"] = RegistrationFactory(
        event=w["event"], person=person, email=person.email, name=person.name
    )
    w["membership"] = MembershipFactory(organisation=org_a, role=Membership.Role.MEMBER)
    w["invitation"] = org_services.invitation_create(
        organisation=org_a, email="nieuw@example.org", role="member", actor=owner
    )
    partnership = w["partnership"] = OrganisationFactory(type=Organisation.Type.PARTNERSHIP)
    MembershipFactory(user=owner, organisation=partnership, role=Membership.Role.COORDINATOR)
    w["partner_member"] = PartnershipMemberFactory(partnership=partnership, member=org_a)
    w["school"] = OrganisationFactory(type=Organisation.Type.SCHOOL)
    w["activity"] = ActivityFactory(organiser=org_a)
    w["held_activity"] = held_activity(organiser=org_a)
    w["job"] = Job.objects.create(
        kind=JOB_KIND, owner=owner, result={"organisation": org_a.pk, "rows": []}
    )
    agenda_services.api_token_create(organisation=org_a, actor=owner, name="Website")
    w["api_token"] = org_a.agenda_api_tokens.get()

    def application(**kwargs):
        round = RoundFactory(grant_start=dt.date(2020, 1, 1))
        round.officers.add(staff)
        return ApplicationFactory(round=round, organisation=org_a, **kwargs)

    draft = w["draft"] = application()
    w["partner"] = funding.partner_add(
        application=draft, organisation=OrganisationFactory(), role="school", actor=owner
    )
    w["budget_line"] = funding.budget_line_add(
        application=draft,
        category="staff",
        year_index=1,
        amount=Decimal("100"),
        cofinancing=Decimal("0"),
        actor=owner,
    )
    w["attachment"] = funding.attachment_add(
        application=draft, label="Plan", upload=pdf_upload(), actor=owner
    )
    w["submitted"] = submitted(application())
    asked = submitted(application())
    w["info_request"] = funding.info_request_create(application=asked, question="?", actor=staff)
    reviewed = w["reviewed"] = in_review(application(), officer_user=staff)
    w["round"] = reviewed.round
    w["panel"] = reviewed.round.panel
    w["assignment"] = scoring.assignment_create(entry=reviewed.entry, reviewer=pool, actor=staff)
    scoring.assignment_declare(assignment=w["assignment"], has_conflict=False, actor=pool)
    decided = w["decided"] = in_review(application(), officer_user=staff)
    funding.decision_record(application=decided, recognised=True, amount=1000, actor=staff)
    grant = decided.grant
    w["report"] = grant.reports.first()
    w["tranche"] = grant.tranches.first()
    w["recognition"] = funding.recognition_grant(
        organisation=org_a, actor=staff, start=dt.date(2020, 1, 1)
    )
    from stemnet.matching.tests.factories import company_request, introduction

    w["company_request"] = company_request()
    w["introduction"] = introduction(w["company_request"], org_a)
    from stemnet.newsletters.tests.factories import IssueFactory

    w["sent_issue"] = IssueFactory(status="sent")
    w["draft_issue"] = IssueFactory()
    w["block"] = w["draft_issue"].blocks.get()
    from stemnet.stempact.tests.factories import authz_world as stempact_world

    stempact_world(w, owner=owner, staff=staff)
    from stemnet.participation.tests.authz import world_add

    world_add(w)
    _lending_world(w, owner)
    assert coordinator_of  # noqa: S101 - imported for the owner above
    return w


def _lending_world(w: dict, owner) -> None:
    """A hub run by the owner (also coordinator of A), an item, and A's loan and booking."""
    from stemnet.lending import services as lending
    from stemnet.lending.tests.factories import HubFactory, ItemFactory, at
    from stemnet.organisations.models import Membership, Organisation
    from stemnet.organisations.tests.factories import MembershipFactory

    # A knowledge institution: a gangmaker's coordinator would also edit newsletters.
    hub = w["hub"] = HubFactory(organisation__type=Organisation.Type.KNOWLEDGE_INSTITUTION)
    MembershipFactory(user=owner, organisation=hub.organisation, role=Membership.Role.COORDINATOR)
    item = w["lending_item"] = ItemFactory(hub=hub, units=2)
    w["loan"] = lending.loan_request(
        item=item, borrower=w["org_a"], actor=owner, quantity=1, start_at=at(2), end_at=at(3)
    )
    w["lending_unit"] = lending.unit_maintenance(unit=item.units.last(), actor=owner)
    session = w["lab_session"] = lending.lab_session_create(
        hub=hub, actor=owner, title="Open Fablab", starts_at=at(5), ends_at=at(5, 12), capacity=9
    )
    w["lab_booking"] = lending.lab_booking_create(session=session, user=owner, places=1)


# --- one request, and what counts as refused -------------------------------------------------

LOGIN_PATHS = ("/accounts/login/", "/en/accounts/login/", "/admin/login/")
REFUSED = {401, 403, 404, 405}


def _refused(response) -> bool:
    if response.status_code in REFUSED:
        return True
    if response.status_code in (301, 302, 303):
        location = response.get("Location", "")
        return any(location.startswith(p) for p in LOGIN_PATHS)
    return False


def _url(name: str, access: table.Access, w: dict) -> str:
    url = reverse(name, kwargs=access.kwargs(w))
    if access.query:
        url += "?" + access.query.format(org=w["org_a"].slug, school=w["school"].slug)
    return url


def _request(client, method: str, url: str, data: dict):
    send = getattr(client, method.lower())
    if url.startswith("/api/"):
        return send(url, content_type="application/json")
    return send(url, data) if method == "POST" else send(url)


def _as(client, w: dict, role: str):
    client.logout()
    user = w["users"][role]
    if user is not None:
        client.force_login(user)


def _check(client, w: dict, name: str) -> list[str]:
    access = table.ACCESS[name]
    url = _url(name, access, w)
    data = access.data(w)
    wrong = []
    # Forbidden roles first: they must change nothing the allowed roles then see.
    for role in table.ROLES:
        allowed = role in access.roles
        methods = [access.method] if allowed else sorted({"GET", "POST", access.method})
        for method in methods:
            # Each request in a savepoint rolled back: what one role's POST changes (a
            # removed partner, a revoked token) does not hide the object from the next.
            with transaction.atomic():
                _as(client, w, role)
                response = _request(client, method, url, data)
                transaction.set_rollback(True)
            if _refused(response) == allowed:
                expected = "must reach" if allowed else "must be refused"
                wrong.append(f"{role} {method} {url} -> {response.status_code} ({expected})")
    return wrong


def test_role_url_method_matrix(client):
    """One world for every URL; each request runs in a savepoint that is rolled back."""
    from django.core.cache import cache

    w = _world()
    wrong = []
    for name in NAMED:
        if name not in table.ACCESS:
            continue  # test_every_url_pattern_is_declared names it
        cache.clear()  # rate limits count every login page request
        wrong += [f"{name}: {line}" for line in _check(client, w, name)]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("namespace", sorted(table.NAMESPACES))
def test_namespace_matrix(client, namespace):
    """Every URL of a namespace (the admin: each ModelAdmin's pages), GET: refused to every
    other role; its index and lists reach the allowed roles (a ModelAdmin may still refuse to
    add or delete, as the audit trail's does)."""
    from stemnet.accounts.tests.factories import UserFactory, activate_totp
    from stemnet.funding.tests.factories import officer

    root = UserFactory(is_superuser=True, is_staff=True)
    activate_totp(root)
    users = {
        table.ANON: None,
        table.USER: UserFactory(),
        table.OFFICER: officer(),
        table.SUPER: root,
    }
    allowed = table.NAMESPACES[namespace]
    wrong = []
    for name, ns, route in ALL:
        if ns != namespace or not name or name in table.ACCESS:
            continue
        url = _admin_url(name, route)
        for role, user in users.items():
            client.logout()
            if user is not None:
                client.force_login(user)
            refused = _refused(client.get(url))
            if role in allowed and not name.endswith(("index", "_changelist")):
                continue
            if refused == (role in allowed):
                wrong.append(f"{role} GET {url}: {'refused' if refused else 'reached'}")
    assert not wrong, "\n".join(wrong)


def _admin_url(name: str, route: str) -> str:
    from django.urls import NoReverseMatch

    for kwargs in ({}, {"object_id": "0"}, {"id": "0"}, {"app_label": "accounts"}):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return reverse(name, kwargs={"content_type_id": 1, "object_id": 1})
