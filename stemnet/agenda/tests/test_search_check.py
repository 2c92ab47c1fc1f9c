"""``manage.py agenda_search_check`` finds the index in step with the rows after real writes,
and reports each way it can fall out of step, with exit code 1."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stemnet.agenda import services
from stemnet.agenda.models import Activity, SearchBitmap, SearchEntry
from stemnet.agenda.search import codec, store
from stemnet.agenda.tests.factories import ActivityFactory, in_days

pytestmark = pytest.mark.django_db


def _check() -> str:
    out = io.StringIO()
    call_command("agenda_search_check", stdout=out)
    return out.getvalue()


def _differences() -> list[str]:
    out = io.StringIO()
    with pytest.raises(CommandError, match="differences in the search index"):
        call_command("agenda_search_check", stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def agenda():
    made = [
        ActivityFactory(themes=["robotica"], kind="kamp", price="3"),
        ActivityFactory(accessibility=["vgt"], sessions=[(in_days(2), in_days(4))]),
        ActivityFactory(status=Activity.Status.DRAFT),
        ActivityFactory(sessions=[]),
    ]
    services.activity_cancel(activity=ActivityFactory(), actor=None, reason="Ziek")
    return made


def test_the_index_after_writes_agrees(agenda):
    assert "agrees" in _check()
    store.rebuild()
    assert "agrees" in _check()


def test_a_changed_bitmap_is_reported(agenda):
    first = agenda[0]
    key = "kind:kamp"
    row = SearchBitmap.objects.get(name=f"1|{key}")
    row.bits = codec.encode(codec.from_ids([agenda[1].pk]))  # one in, one out
    row.save()
    assert _differences() == [
        f"bitmap 'kind:kamp': holds {agenda[1].pk} that it should not; lacks {first.pk}"
    ]


def test_writes_that_skip_the_reindex_are_reported(agenda):
    first, second, draft, _no_sessions = agenda
    Activity.objects.filter(pk=first.pk).update(kind="reeks")  # no reindex
    Activity.objects.filter(pk=draft.pk).update(status=Activity.Status.PUBLISHED)
    second.sessions.all().delete()
    SearchEntry.objects.filter(pk=second.pk).update(age_min=3)
    lines = _differences()
    assert f"activity {first.pk}: search entry kind is 'kamp', the activity gives 'reeks'" in lines
    assert f"activity {draft.pk}: published with sessions, but no search entry" in lines
    assert any(line.startswith(f"activity {second.pk}: session span") for line in lines)
    assert f"activity {second.pk}: a search entry, but it is not published with sessions" in lines
