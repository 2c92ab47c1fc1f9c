import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from stemnet.participation import services
from stemnet.participation.models import Participant, Vote
from stemnet.participation.tests.factories import consultation, idea, participant, vlaio_staff

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def join(client, c, name="Bert", group="school"):
    url = reverse("participation:participant_join", kwargs={"code": c.join_code})
    return client.post(url, {"name": name, "group": group})


def test_join_by_code_then_vote_twice_keeps_one(client):
    c = consultation()
    i = idea(c, title="<b>Bus</b>")
    response = client.post(reverse("participation:join_code"), {"code": c.join_code.lower()})
    assert response.status_code == 302
    assert join(client, c).status_code == 302
    page = client.get(reverse("participation:consultation_detail", args=[c.pk]))
    assert page.status_code == 200
    assert b"&lt;b&gt;Bus&lt;/b&gt;" in page.content and b"<b>Bus</b>" not in page.content
    url = reverse("participation:vote", args=[i.pk])
    assert client.post(url, {"score": "2"}, **HTMX).status_code == 200
    response = client.post(url, {"score": "4"}, **HTMX)
    assert "4" in response.content.decode() and Vote.objects.get().score == 4


def test_forged_code_keeps_what_was_typed(client):
    response = client.post(reverse("participation:join_code"), {"code": "<i>XX</i>"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "&lt;i&gt;XX&lt;/i&gt;" in body and "<i>XX</i>" not in body


def test_join_without_name_keeps_group_and_names_field(client):
    c = consultation()
    response = join(client, c, name="  ", group="company")
    assert response.status_code == 200 and not Participant.objects.exists()
    assert 'value="company" selected' in response.content.decode()


def test_strangers_are_refused(client):
    c = consultation()
    i = idea(c)
    assert client.get(reverse("participation:consultation_detail", args=[c.pk])).status_code == 403
    assert client.get(reverse("participation:idea_detail", args=[i.pk])).status_code == 403
    assert client.post(reverse("participation:vote", args=[i.pk]), {"score": 3}).status_code == 403
    assert client.get(reverse("participation:results", args=[c.pk])).status_code == 403
    assert not Vote.objects.exists()


def test_vote_after_close_shows_reason_and_keeps_nothing(client, settings):
    import datetime as dt

    import time_machine

    c = consultation()
    i = idea(c)
    join(client, c)
    with time_machine.travel(c.voting_until + dt.timedelta(minutes=1)):
        response = client.post(reverse("participation:vote", args=[i.pk]), {"score": 3}, **HTMX)
    assert response.status_code == 422 and not Vote.objects.exists()


def test_only_author_or_moderator_accepts_a_suggestion(client):
    c = consultation()
    i = idea(c)
    s = services.suggestion_create(idea=i, author=participant(c), text="beter")
    join(client, c)  # another participant
    url = reverse("participation:suggestion_accept", args=[s.pk])
    assert client.post(url, {"title": "x", "text": "y"}).status_code == 403
    client.force_login(vlaio_staff())
    assert client.post(url, {"title": "Nieuw", "text": "Tekst"}).status_code == 302
    i.refresh_from_db()
    assert i.version == 2


def test_moderation_is_for_staff_only(client, django_user_model):
    c = consultation()
    i = idea(c)
    client.force_login(django_user_model.objects.create_user(email="x@example.org", password="p"))
    for name, args in [
        ("consultation_moderate", [c.pk]),
        ("idea_hide", [i.pk]),
        ("projector", [c.pk]),
        ("results_xlsx", [c.pk]),
    ]:
        assert client.get(reverse(f"participation:{name}", args=args)).status_code == 403
    assert (
        client.post(reverse("participation:idea_hide", args=[i.pk]), {"reason": "x"}).status_code
        == 403
    )
    i.refresh_from_db()
    assert i.hidden_at is None


def test_staff_hide_with_reason_and_export_neutralises_formulas(client):
    c = consultation()
    i = idea(c, title="=HYPERLINK(1)")
    services.vote_cast(idea=i, participant=participant(c), score=4)
    client.force_login(vlaio_staff())
    response = client.post(reverse("participation:idea_hide", args=[i.pk]), {"reason": ""})
    assert response.status_code == 422
    book = load_workbook(
        io.BytesIO(client.get(reverse("participation:results_xlsx", args=[c.pk])).content)
    )
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][2] == "'=HYPERLINK(1)" and rows[1][3] == 4
    pdf = client.get(reverse("participation:results_pdf", args=[c.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_live_polls_answer_204_while_nothing_changed(client):
    c = consultation()
    i = idea(c)
    staff = vlaio_staff()
    client.force_login(staff)
    client.post(reverse("participation:live_move", args=[c.pk]), {"idea": i.pk})
    state = reverse("participation:projector_state", args=[c.pk])
    first = client.get(state, **HTMX)
    key = first.content.decode().split("?v=")[1].split('"')[0]
    assert client.get(f"{state}?v={key}", **HTMX).status_code == 204
    services.vote_cast(idea=i, participant=participant(c), score=5)
    changed = client.get(f"{state}?v={key}", **HTMX)
    assert changed.status_code == 200 and 'data-testid="count-5">1<' in changed.content.decode()
    # a reloaded projector shows the same idea
    assert i.title in client.get(reverse("participation:projector", args=[c.pk])).content.decode()
    assert client.get(reverse("participation:join_qr", args=[c.pk])).content.startswith(b"<?xml")


def test_phone_follows_the_facilitator(client):
    c = consultation()
    i = idea(c, title="Labo op wielen")
    phone = reverse("participation:live_phone", args=[c.join_code])
    assert client.get(phone).status_code == 302  # not joined yet: to the join form
    join(client, c)
    assert client.get(phone).status_code == 200
    state = reverse("participation:live_phone_state", args=[c.join_code])
    c.refresh_from_db()
    assert client.get(f"{state}?v={c.live_version}-0").status_code == 204
    services.live_move(consultation=c, idea=i, actor=None)
    assert "Labo op wielen" in client.get(f"{state}?v={c.live_version - 1}-0").content.decode()
