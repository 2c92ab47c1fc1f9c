import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from stemnet.funding.tests.factories import coordinator_of, officer
from stemnet.stempact import services
from stemnet.stempact.models import Aspect, Respondent
from stemnet.stempact.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    staff = officer()
    c = f.cohort(staff, items_per_aspect=1)
    a = f.selected(c, staff, org=f.school(name="=Sint-Jan"))
    b = f.selected(c, staff, org=f.school(name="Atheneum B"))
    m = f.measurement(c, staff)
    f.answer_all(m, a, staff, "a@a.org", lambda x: 2)
    f.answer_all(m, b, staff, "b@b.org", lambda x: 5 if x == Aspect.LEADERSHIP else 4)
    return {"staff": staff, "cohort": c, "a": a, "b": b, "m": m}


def test_a_school_sees_its_own_scores_and_the_median_never_another_schools(client, world):
    a, b = world["a"], world["b"]
    client.force_login(a.coordinator)
    page = client.get(reverse("stempact:trajectory_detail", args=[a.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'role="img"' in html and "style=" not in html
    assert 'cx="210.0"' in html  # coordinates are not localised (no decimal comma)
    assert "2,00" in html  # its own score
    assert "3,00" in html  # the cohort median of 2 and 4
    assert "4,00" not in html and "5,00" not in html  # B's scores
    assert client.get(reverse("stempact:trajectory_detail", args=[b.pk])).status_code == 403
    assert (
        client.get(reverse("stempact:cohort_detail", args=[world["cohort"].pk])).status_code == 403
    )
    assert (
        client.get(reverse("stempact:cohort_export", args=[world["cohort"].pk])).status_code == 403
    )


def test_the_sponsor_company_sees_the_plan_but_not_the_scores(client, world):
    a = world["a"]
    sponsor = f.company()
    a.sponsor = sponsor
    a.save()
    client.force_login(coordinator_of(sponsor))
    html = client.get(reverse("stempact:trajectory_detail", args=[a.pk])).content.decode()
    assert "Actieplan" in html and "<svg" not in html


def test_staff_see_every_school_and_export_neutralised_xlsx(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["staff"])
    url = reverse("stempact:cohort_detail", args=[world["cohort"].pk])
    with django_assert_max_num_queries(40):
        html = client.get(url).content.decode()
    assert "Atheneum B" in html and "5,00" in html
    response = client.get(reverse("stempact:cohort_export", args=[world["cohort"].pk]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert "'=Sint-Jan" in names and "Mediaan van de cohorte" in names


def test_survey_link_answer_once_then_used_and_unknown(client, world):
    r = services.respondent_invite(
        measurement=world["m"],
        trajectory=world["a"],
        email="new@a.org",
        role="leader",
        actor=world["staff"],
    )
    url = reverse("stempact:survey", args=[r.token])
    page = client.get(url)
    assert page.status_code == 200 and "niet van toepassing" in page.content.decode()
    items = [
        f"item_{pk}"
        for pk in r.measurement.cohort.questionnaires.values_list("items__pk", flat=True)
    ]
    partial = {items[0]: "3"}
    page = client.post(url, partial)
    assert page.status_code == 400
    assert 'value="3" ' in page.content.decode() and "checked" in page.content.decode()
    answers = dict.fromkeys(items, "na")
    assert client.post(url, answers).status_code == 200
    assert Respondent.objects.get(pk=r.pk).submitted_at is not None
    again = client.get(url)
    assert again.status_code == 410 and "al gebruikt" in again.content.decode()
    assert client.get(reverse("stempact:survey", args=["nope"])).status_code == 404


def test_invite_form_keeps_what_was_typed(client, world):
    a = world["a"]
    client.force_login(a.coordinator)
    url = reverse("stempact:respondent_invite", args=[a.pk, "baseline"])
    page = client.post(url, {"name": "Meester Jan", "email": "geen-adres", "role": "teacher"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Meester Jan" in html and "geen-adres" in html and "geldig e-mailadres" in html


def test_apply_and_decide_through_the_pages(client, world):
    c = world["cohort"]
    org = f.school(name="Nieuwe school")
    boss = coordinator_of(org)
    client.force_login(boss)
    url = reverse("stempact:apply", args=[c.pk])
    assert client.get(url).status_code == 200
    page = client.post(url, {"school": org.pk, "level": "secondary", "motivation": "STEM!"})
    assert page.status_code == 200 and "finaliteit" in page.content.decode()
    response = client.post(
        url, {"school": org.pk, "level": "secondary", "motivation": "STEM!", "finality_dual": "on"}
    )
    t = org.stempact_trajectories.get()
    assert response.status_code == 302
    client.force_login(world["staff"])
    client.post(reverse("stempact:trajectory_decide", args=[t.pk]), {"selected": "1", "note": ""})
    t.refresh_from_db()
    assert t.status == "selected"
