"""The contact point: intake, triage, suggestions, introductions, follow-up, permissions."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from stemnet.accounts.tests.factories import UserFactory
from stemnet.funding.tests.factories import coordinator_of, officer
from stemnet.matching import selectors, services
from stemnet.matching.models import CompanyRequest, Introduction, MatchingRun
from stemnet.matching.tests.factories import academy_in, company_request, introduction

pytestmark = pytest.mark.django_db
Status = CompanyRequest.Status


def form_data(**changes):
    return {
        "company_name": "<b>Bouw</b> NV",
        "contact_name": "An Peeters",
        "email": "an@example.org",
        "kind": "visit",
        "description": "<script>alert(1)</script> Wij ontvangen graag een klas.",
        "postcode": "9000",
        "radius_km": "25",
        "academies_wanted": "2",
        "min_age": "10",
        "max_age": "14",
        "availability": "woensdagnamiddag",
        "consent": "on",
        "submission_key": "key-1",
    } | changes


def test_intake_stores_once_mails_and_escapes(client):
    url = reverse("matching:intake")
    first = client.post(url, form_data())
    again = client.post(url, form_data())  # a double click: same one-time key
    assert CompanyRequest.objects.count() == 1
    request = CompanyRequest.objects.get()
    assert (
        first["Location"]
        == again["Location"]
        == reverse("matching:follow", args=[request.follow_token])
    )
    assert len(mail.outbox) == 1 and request.follow_token in mail.outbox[0].body
    page = client.get(first["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;Bouw&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"postcode": "0001"}, "postcode", "We kennen postcode 0001 niet."),
        ({"radius_km": "0"}, "radius_km", "Kies een afstand van minstens 1 km."),
        ({"radius_km": "10000"}, "radius_km", "Kies een afstand van hoogstens 300 km"),
        ({"academies_wanted": "0"}, "academies_wanted", "Vraag minstens 1 academie."),
        ({"min_age": "14", "max_age": "10"}, "max_age", "De oudste leeftijd"),
    ],
)
def test_bad_intake_says_why_in_dutch_and_keeps_the_input(client, changes, field, message):
    response = client.post(reverse("matching:intake"), form_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "woensdagnamiddag" in response.content.decode()  # what was typed stays
    assert not CompanyRequest.objects.exists()


def test_the_honeypot_stores_nothing(client):
    response = client.post(reverse("matching:intake"), form_data(website="spam.example"))
    assert response.status_code == 302
    assert not CompanyRequest.objects.exists() and not mail.outbox


def test_every_status_transition_is_guarded():
    staff = officer()
    for start in Status.values:
        for target in Status.values:
            request = company_request(status=start)
            allowed = target in services.TRANSITIONS[start]
            try:
                services.request_set_status(
                    request=request, status=target, actor=staff, reason="Buiten ons bereik"
                )
            except ValidationError:
                assert not allowed, (start, target)
            else:
                assert allowed, (start, target)


def test_declining_needs_a_reason_and_sets_the_clock():
    staff = officer()
    request = company_request()
    with pytest.raises(ValidationError):
        services.request_set_status(request=request, status=Status.DECLINED, actor=staff)
    services.request_set_status(request=request, status=Status.IN_PROGRESS, actor=staff)
    request.refresh_from_db()
    assert request.first_answer_at is not None


def test_sla_counts_working_days(settings):
    settings.MATCHING_SLA_WORKING_DAYS = 2
    with time_machine.travel(dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC)):  # a Friday
        request = company_request()
    assert selectors.sla_due(request).date() == dt.date(2026, 12, 8)  # Tuesday
    with time_machine.travel(dt.datetime(2026, 12, 9, 10, tzinfo=dt.UTC)):
        assert selectors.sla_overdue(request)


def test_suggest_lock_exclude_and_see_the_total_change():
    staff = officer()
    near = academy_in("9000", name="Academie Gent")
    other = academy_in("9050", name="Academie Gentbrugge")
    academy_in("3500", name="Academie Hasselt")  # far beyond 25 km
    request = company_request(academies_wanted=1)
    first = services.request_suggest(request=request, actor=staff)
    assert first.version == 1 and first.matched == 1
    best = first.result["pairs"][0]["offer_id"]
    services.lock_set(request=request, academy_key=best, kind="must_not", actor=staff)
    second = services.request_suggest(request=request, actor=staff)
    assert second.version == 2 and second.ran_by == staff
    assert second.result["pairs"][0]["offer_id"] != best
    assert second.total_points <= first.total_points
    assert {best, second.result["pairs"][0]["offer_id"]} == {
        f"academy:{near.pk}",
        f"academy:{other.pk}",
    }
    assert second.inputs["rules"]["must_not"] == [[f"request:{request.pk}", best]]


def test_a_request_nobody_can_serve_is_reported_not_dropped():
    staff = officer()
    academy_in("3500")
    request = company_request(radius_km=5)
    run = services.request_suggest(request=request, actor=staff)
    assert run.matched == 0
    assert run.result["unmatched"] == [
        {"need_id": f"request:{request.pk}", "missing": 3, "reason": "no_offer_in_range"}
    ]


def test_introduction_follow_up_and_answers(client):
    staff = officer()
    academy = academy_in("9000")
    request = company_request()
    services.request_set_status(request=request, status=Status.IN_PROGRESS, actor=staff)
    mail.outbox.clear()
    services.introduction_send(request=request, academy=academy, pair=None, actor=staff)
    request.refresh_from_db()
    assert request.status == Status.MATCHED and request.matched_at
    assert {m.to[0] for m in mail.outbox} == {request.email, academy.email}
    with pytest.raises(ValidationError):
        services.introduction_send(request=request, academy=academy, pair=None, actor=staff)
    assert services.follow_ups_due() == 0
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=30)):
        assert services.follow_ups_due() == 1
    follow = reverse("matching:follow", args=[request.follow_token])
    client.post(follow, {"happened": "yes"})
    request.refresh_from_db()
    assert request.contact_happened is True


def test_staff_pages_are_for_staff_only(client):
    request = company_request()
    academy = academy_in("9000")
    intro = introduction(request, academy)
    detail = reverse("matching:request_detail", args=[request.pk])
    client.force_login(UserFactory())
    assert client.get(detail).status_code == 403
    assert client.post(reverse("matching:request_suggest", args=[request.pk])).status_code == 403
    stranger = coordinator_of(academy_in("2000"))
    client.force_login(stranger)
    answer = reverse("matching:introduction_answer", args=[intro.pk])
    assert client.post(answer, {"answer": "interested"}).status_code == 403
    intro.refresh_from_db()
    assert intro.answer == Introduction.Answer.PENDING
    client.force_login(coordinator_of(academy))
    assert request.company_name in client.get(reverse("matching:introductions")).content.decode()
    client.post(answer, {"answer": "interested"})
    intro.refresh_from_db()
    assert intro.answer == Introduction.Answer.INTERESTED
    client.force_login(officer())
    assert client.get(detail).status_code == 200
    assert client.get(reverse("matching:queue")).status_code == 200


def test_figures_count_months_types_and_shares():
    staff = officer()
    done = company_request()
    services.request_set_status(request=done, status=Status.IN_PROGRESS, actor=staff)
    services.request_set_status(request=done, status=Status.MATCHED, actor=staff)
    company_request(kind=CompanyRequest.Kind.QUESTION)
    figures = selectors.figures()
    assert figures["total"] == 2
    assert figures["share_matched"] == 1.0
    assert dict(figures["per_province"]) == {"Oost-Vlaanderen": 2}
    assert MatchingRun.objects.count() == 0


def test_api_queue_needs_a_vlaio_staff_token_and_figures_are_public(client):
    from stemnet.agenda import services as agenda_services
    from stemnet.organisations.models import Organisation
    from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

    company_request(company_name="<i>X</i> BV")
    vlaio = OrganisationFactory(type=Organisation.Type.VLAIO, name="VLAIO")
    staff = UserFactory()
    MembershipFactory(user=staff, organisation=vlaio, role="coordinator")
    key = agenda_services.api_token_create(organisation=vlaio, actor=staff, name="Queue").key
    academy = academy_in("9000")
    other_key = agenda_services.api_token_create(
        organisation=academy, actor=coordinator_of(academy), name="Queue"
    ).key
    url = "/api/v1/contact-point/requests"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": f"Bearer {other_key}"}).status_code == 401
    response = client.get(url, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json()[0]["company_name"] == "<i>X</i> BV"
    bad = client.get(url + "?status=nope", headers={"Authorization": f"Bearer {key}"})
    assert bad.status_code == 422
    figures = client.get("/api/v1/contact-point/figures").json()
    assert figures["total"] == 1 and "email" not in str(figures)
