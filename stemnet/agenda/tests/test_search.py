import pytest

from stemnet.agenda.models import Activity, SearchEntry
from stemnet.agenda.search import activity_reindex
from stemnet.agenda.search.fulltext import filter_text, ranked_ids
from stemnet.agenda.search.text import normalise, query_words, stem_words
from stemnet.agenda.tests.factories import ActivityFactory, in_days


def _words(query: str) -> tuple[str, ...]:
    return tuple(query_words(query))


pytestmark = pytest.mark.django_db


def found(query: str) -> set[int]:
    return set(
        filter_text(SearchEntry.objects.all(), tuple(query_words(query))).values_list(
            "pk", flat=True
        )
    )


def test_normalise_and_stem():
    assert normalise("Robótica ÉÉN") == "robotica een"
    assert stem_words("Robots") == stem_words("robot")
    assert query_words("robotica voor een kind") == ["robotica", "kind"]


def test_plural_finds_singular_and_accents_and_case_are_ignored():
    robot = ActivityFactory(title="Bouw je eigen robot", description="Met Lego.")
    robotica = ActivityFactory(title="Robotica-kamp", description="Programmeren")
    other = ActivityFactory(title="Sterrenkijken", description="Telescoop bouwen.")
    assert robot.pk in found("robots")
    assert found("ROBOT") >= {robot.pk}
    assert robotica.pk in found("Robótica")
    assert robotica.pk in found("robotica")
    assert other.pk not in found("robots")
    assert found("sterren kijken") == set()
    assert found("telescopen") == {other.pk}


def test_all_terms_must_match_and_last_term_is_a_prefix():
    a = ActivityFactory(title="Robots programmeren", description="Scratch")
    b = ActivityFactory(title="Robots bouwen", description="Lego")
    assert found("robot programmeren") == {a.pk}
    assert found("robot bouw") == {b.pk}
    assert found("robo") == {a.pk, b.pk}
    assert found("de een") == {a.pk, b.pk, *Activity.objects.values_list("pk", flat=True)}


def test_theme_organiser_and_place_are_searchable():
    a = ActivityFactory(title="Knutselen", themes=["ruimtevaart"], organiser__name="École Nova")
    assert a.pk in found("ruimtevaart")
    assert a.pk in found("sterrenkunde")
    assert a.pk in found("mechelen")
    assert a.pk in found("technopolis")


def test_reindex_follows_changes_and_deletions():
    a = ActivityFactory(title="Chemie voor kinderen", sessions=[(in_days(3), in_days(3, 17))])
    assert a.pk in found("chemie")
    assert a.first_start == in_days(3) and a.last_end == in_days(3, 17)
    Activity.objects.filter(pk=a.pk).update(title="Elektronica")
    activity_reindex([a.pk])
    assert a.pk not in found("chemie")
    assert a.pk in found("elektronica")
    a.sessions.all().delete()
    activity_reindex([a.pk])
    a.refresh_from_db()
    assert a.first_start is None and a.last_end is None


def test_rank_prefers_more_relevant():
    weak = ActivityFactory(title="Knutselen", description="Een beetje robot erbij.")
    strong = ActivityFactory(title="Robot robot robots", description="Robots bouwen met robots.")
    matches = filter_text(SearchEntry.objects.all(), ("robot",))
    assert ranked_ids(matches, ("robot",), offset=0, limit=10) == [strong.pk, weak.pk]
    assert ranked_ids(matches, ("robot",), offset=1, limit=10) == [weak.pk]


def test_reindex_query_count(django_assert_max_num_queries):
    activities = [ActivityFactory() for _ in range(5)]
    # activities + themes, domains, accessibility + sessions + update + search entries
    # (delete, insert) + bitmaps (lock, insert, update) + full-text rows (delete, insert)
    with django_assert_max_num_queries(13):
        activity_reindex([a.pk for a in activities])


def _stored_vector(pk: int) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM agenda_searchtext WHERE activity_id = %s", [pk]
        )
        return cursor.fetchone()[0]


def test_text_vectors_keep_no_word_positions():
    """PostgreSQL stores stripped vectors (migration 0007 strips older ones; its reverse
    restores the positions); SQLite searches its FTS5 table and keeps no such rows."""
    from importlib import import_module

    from django.db import connection

    from stemnet.agenda.models import SearchText

    a = ActivityFactory(title="Robots bouwen", description="Robots en nog eens robots.")
    assert a.pk in found("robots bouwen")
    migration = import_module("stemnet.agenda.migrations.0007_strip_search_vectors")
    if connection.vendor != "postgresql":
        assert not SearchText.objects.exists()
        migration.forwards(None, type("Editor", (), {"connection": connection})())  # no-op
        return
    vector = _stored_vector(a.pk)
    assert "'robot'" in vector and ":" not in vector
    with connection.schema_editor() as editor:
        migration.backwards(None, editor)
    assert "'robot':" in _stored_vector(a.pk)
    with connection.schema_editor() as editor:
        migration.forwards(None, editor)
    assert ":" not in _stored_vector(a.pk)
    assert a.pk in found("robots bouwen")
