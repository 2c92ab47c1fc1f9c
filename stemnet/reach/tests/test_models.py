import pytest
from django.db import IntegrityError, transaction

from stemnet.reach.models import Participation, ParticipationBreakdown, SchoolReach, TargetGroup
from stemnet.reach.tests.factories import ParticipationFactory

pytestmark = pytest.mark.django_db


def _fails(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(**kwargs)


def test_participation_constraints():
    _fails(girls=15, boys=10, participants=20)  # more genders than participants
    _fails(age_min=4)
    _fails(age_min=12, age_max=9)
    _fails(history_activity_name="")  # neither an activity nor a name
    _fails(year=1990)
    p = ParticipationFactory(history_activity_name="Reeks A")
    # One row per organisation, history activity (any case) and year.
    _fails(history_activity_name="reeks a", organisation=p.organisation)
    ParticipationFactory(history_activity_name="reeks a", organisation=p.organisation, year=2021)
    assert p.gender_unknown == 10
    assert str(p) == "Reeks A 2020: 20"


def test_breakdown_one_dimension_and_unique():
    p = ParticipationFactory()
    common = {
        "participation": p,
        "year": p.year,
        "municipality": p.municipality,
        "organisation": p.organisation,
        "kind": p.kind,
    }
    ParticipationBreakdown.objects.create(dimension="age", age=9, count=3, **common)
    for bad in [
        {"dimension": "age", "age": 9, "count": 1},  # duplicate age
        {"dimension": "age", "age": 19, "count": 1},
        {"dimension": "residence", "count": 1},  # no residence
        {
            "dimension": "age",
            "age": 9,
            "target_group": TargetGroup.objects.get(slug="uitpas"),
            "count": 1,
        },
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            ParticipationBreakdown.objects.create(**common, **{"count": 0, **bad})


def test_school_reach_within_total_and_target_group_seeded():
    p = ParticipationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolReach.objects.create(
            organisation=p.organisation, year=2020, pupils_total=10, pupils_reached=11
        )
    assert TargetGroup.objects.get(slug="uitpas").name_nl == "UiTPAS of kansentarief"
    assert Participation.objects.count() == 1
