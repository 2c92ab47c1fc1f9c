import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import OrganisationFactory
from stemnet.reach import services
from stemnet.reach.importing import HISTORY_COLUMNS
from stemnet.reach.models import Participation, ParticipationBreakdown, Source
from stemnet.reach.tests.factories import coordinator_of, held_activity

pytestmark = pytest.mark.django_db

HEADER = ",".join(HISTORY_COLUMNS)


def _file(text: str, name: str = "history.csv"):
    return (name, text.encode("utf-8"))


def test_history_import_creates_and_matches_organisations_by_name():
    existing = OrganisationFactory(name="STEM-academie Mechelen")
    text = "\n".join(
        [
            HEADER,
            "2020,stem-academie mechelen,Robotreeks,reeks,12025,8,12,20,9,3",
            "2020,Nieuwe Academie,Kamp,kamp,11007,10,14,15,5,0",
            "2025,STEM-academie Mechelen,Robotreeks,reeks,12025,8,12,25,10,0",
        ]
    )
    result = services.reach_history_import(file=_file(text), actor=None)
    assert result.ok and result.created == 3
    assert result.organisations_created == ["Nieuwe Academie"]
    created = Organisation.objects.get(name="Nieuwe Academie")
    assert created.type == Organisation.Type.ACADEMY and not created.is_demo
    robot = Participation.objects.get(year=2020, history_activity_name="Robotreeks")
    assert robot.organisation == existing
    assert robot.municipality.vintage == "2019"
    assert robot.source == Source.HISTORY
    assert robot.breakdown.get().count == 3  # UiTPAS
    assert Participation.objects.get(year=2025).municipality.vintage == "2025"

    # Importing the same activity and year again replaces it (matched by name, any case).
    again = "\n".join([HEADER, "2020,STEM-ACADEMIE MECHELEN,robotreeks,reeks,12025,8,12,30,9,0"])
    result = services.reach_history_import(file=_file(again), actor=None)
    assert result.ok and result.updated == 1 and result.created == 0
    robot.refresh_from_db()
    assert robot.participants == 30
    assert not robot.breakdown.exists()


def test_history_bad_rows_reported_and_nothing_written():
    text = "\n".join(
        [
            HEADER,
            "2020,Academie,Goed,reeks,12025,8,12,20,9,3",  # row 2: fine
            "2020,Academie,Fusie,reeks,23106,8,12,20,9,3",  # 3: 2025-only code in 2020
            "2025,Academie,Oud,reeks,11007,8,12,20,9,3",  # 4: gone since 2025
            "2020,Academie,Soort,cursus,12025,8,12,20,9,3",  # 5: unknown kind
            "2020,Academie,Leeftijd,reeks,12025,3,12,20,9,3",  # 6: age below 5
            "2020,Academie,Meisjes,reeks,12025,8,12,20,21,3",  # 7: girls > participants
            "2020,Academie,Negatief,reeks,12025,8,12,-4,0,0",  # 8: negative
            "abc,Academie,Jaar,reeks,12025,8,12,20,9,3",  # 9: bad year
            "2020,Academie,Goed,reeks,12025,8,12,20,9,3",  # 10: duplicate of row 2
            "2020,,Naamloos,reeks,12025,8,12,20,9,3",  # 11: no organisation
            "2020,Academie,Omgekeerd,reeks,12025,12,8,20,9,3",  # 12: min > max
            "2020,Academie,Onbekend,reeks,99999,8,12,20,9,30",  # 13: NIS and uitpas
        ]
    )
    result = services.reach_history_import(file=_file(text), actor=None)
    assert not result.ok
    by_row = {}
    for error in result.errors:
        by_row.setdefault(error.row, set()).add(error.column)
    assert by_row == {
        3: {"municipality_nis"},
        4: {"municipality_nis"},
        5: {"kind"},
        6: {"age_min"},
        7: {"girls"},
        8: {"participants"},
        9: {"year"},
        10: {"activity"},
        11: {"organisation"},
        12: {"age_max"},
        13: {"municipality_nis", "uitpas"},
    }
    assert "23106" in next(e.message for e in result.errors if e.row == 3)
    assert not Participation.objects.exists()
    assert not Organisation.objects.filter(name="Academie").exists()


def test_history_needs_exactly_the_columns():
    with pytest.raises(ValidationError):
        services.reach_history_import(
            file=_file("year,organisation,activity\n2020,A,B\n"), actor=None
        )
    with pytest.raises(ValidationError):
        services.reach_history_import(
            file=_file(HEADER + ",extra\n2020,A,B,reeks,12025,8,12,1,0,0,x\n"), actor=None
        )
    with pytest.raises(ValidationError):
        services.reach_history_import(file=_file(HEADER + "\n"), actor=None)


def test_history_command(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "\n2020,Academie,Reeks,reeks,12025,8,12,20,9,3\n")
    out = io.StringIO()
    call_command("import_reach_history", str(good), stdout=out)  # a dry run by default
    assert "--confirm" in out.getvalue() and '"Academie" (1 rows) -> NEW academy' in out.getvalue()
    assert not Participation.objects.exists()
    assert not Organisation.objects.filter(name="Academie").exists()
    out = io.StringIO()
    call_command("import_reach_history", str(good), "--confirm", stdout=out)
    assert "1 new" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\n2020,Academie,Andere,reeks,12025,8,12,20,21,3\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_reach_history", str(bad), "--confirm", stderr=err)
    assert "row 2, girls" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("import_reach_history", str(tmp_path / "missing.csv"))
    assert Participation.objects.count() == 1


def test_participation_upload_csv_and_xlsx():
    activity = held_activity(year=2025)
    other = held_activity(year=2025, organiser=activity.organiser)
    user = coordinator_of(activity.organiser)
    text = "\n".join(
        [
            "activity_id,year,age,residence,target_group,participants,girls,boys,x,attendances",
            f"{activity.pk},2025,8,2800,uitpas,3,2,1,0,6",
            f"{activity.pk},,9,,,4,1,,,",
            f"{other.pk},2025,,,,5,,,,",
        ]
    )
    result = services.participation_import(
        organisation=activity.organiser, actor=user, file=_file(text)
    )
    assert result.ok and result.created == 2
    p = Participation.objects.get(activity=activity)
    assert (p.participants, p.girls, p.boys, p.attendances, p.source) == (7, 3, 1, 6, "upload")
    assert ParticipationBreakdown.objects.filter(participation=p, dimension="age").count() == 2

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["activity_id", "participants", "girls"])
    sheet.append([activity.pk, 11, 5])
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.participation_import(
        organisation=activity.organiser, actor=user, file=("p.xlsx", buffer.getvalue())
    )
    assert result.ok and result.updated == 1
    p.refresh_from_db()
    assert (p.participants, p.girls) == (11, 5)


def test_participation_upload_bad_rows_atomic_and_permissions():
    activity = held_activity(year=2025)
    foreign = held_activity(year=2025)
    user = coordinator_of(activity.organiser)
    text = "\n".join(
        [
            "activity_id,participants,girls,age",
            f"{activity.pk},3,1,8",  # row 2: fine
            f"{foreign.pk},3,1,8",  # row 3: another organisation's activity
            f"{activity.pk},2,5,8",  # row 4: girls > participants
            f"{activity.pk},2,0,19",  # row 5: age
        ]
    )
    result = services.participation_import(
        organisation=activity.organiser, actor=user, file=_file(text)
    )
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "activity_id"),
        (4, "girls"),
        (5, "age"),
    }
    assert not Participation.objects.exists()
    with pytest.raises(PermissionDenied):
        services.participation_import(organisation=foreign.organiser, actor=user, file=_file(text))
    with pytest.raises(ValidationError):
        services.participation_import(
            organisation=activity.organiser, actor=user, file=_file("x,y\n1,2\n")
        )


def test_history_preview_matches_accents_case_and_misspellings_and_writes_nothing():
    """Issue 12: a misspelled academy name no longer becomes a new public organisation."""
    mechelen = OrganisationFactory(name="STEM-academie Mechelen")
    pipet = OrganisationFactory(name="Wetenschapsatelier De Pipét Genk")
    text = "\n".join(
        [
            HEADER,
            "2020,stem-academie MECHELEN,Robotreeks,reeks,12025,8,12,20,9,3",
            "2020,Wetenschaps-atelier de Pipet  Genk,Proefjes,kamp,71016,8,12,12,6,0",
            "2021,STEM-acadmie Mechlen,Robotreeks,reeks,12025,8,12,22,9,0",
            "2021,Helemaal Nieuwe Club,Kamp,kamp,11002,10,14,15,5,0",
        ]
    )
    before = Organisation.objects.count()
    preview = services.reach_history_preview(file=_file(text), actor=None)
    assert preview.ok and (preview.rows_new, preview.rows_replaced) == (4, 0)
    found = {m.name: (m.organisation, m.how, m.rows) for m in preview.organisations}
    assert found["stem-academie MECHELEN"] == (mechelen, "exact", 1)
    assert found["Wetenschaps-atelier de Pipet  Genk"] == (pipet, "normalised", 1)
    assert found["STEM-acadmie Mechlen"][:2] == (mechelen, "near")
    assert found["Helemaal Nieuwe Club"] == (None, "new", 1)
    assert [m.name for m in preview.to_create] == ["Helemaal Nieuwe Club"]
    near = next(m for m in preview.organisations if m.how == "near")
    assert 85 <= near.score_percent < 100
    assert Organisation.objects.count() == before and not Participation.objects.exists()

    result = services.reach_history_import(file=_file(text), actor=None, expected=preview.digest)
    assert result.ok and result.created == 4
    assert result.organisations_created == ["Helemaal Nieuwe Club"]
    assert Organisation.objects.count() == before + 1
    assert Participation.objects.filter(organisation=mechelen).count() == 2
    assert Participation.objects.get(organisation=pipet).participants == 12


def test_history_import_refuses_what_the_preview_did_not_show():
    text = "\n".join([HEADER, "2020,Nieuwe Academie,Kamp,kamp,11007,10,14,15,5,0"])
    preview = services.reach_history_preview(file=_file(text), actor=None)
    OrganisationFactory(name="Nieuwe Academie")  # created meanwhile: the match changed
    with pytest.raises(ValidationError, match="voorbeeld"):
        services.reach_history_import(file=_file(text), actor=None, expected=preview.digest)
    assert not Participation.objects.exists()
    assert Organisation.objects.filter(name="Nieuwe Academie").count() == 1


def test_history_non_finite_and_huge_numbers_are_reported_per_row():
    text = "\n".join(
        [
            HEADER,
            "2020,Academie,Goed,reeks,12025,8,12,20,9,3",  # row 2: fine
            "2020,Academie,Oneindig,reeks,12025,8,12,Infinity,0,0",  # 3
            "2020,Academie,Groot,reeks,12025,8,12,1e308,0,0",  # 4
            "2020,Academie,Overloop,reeks,12025,8,12,99999999999,0,0",  # 5: beyond the database
            "2020,Academie,Niets,reeks,12025,NaN,12,20,0,0",  # 6
            "1e308,Academie,Jaar,reeks,12025,8,12,20,0,0",  # 7
        ]
    )
    result = services.reach_history_import(file=_file(text), actor=None)
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "participants"),
        (4, "participants"),
        (5, "participants"),
        (6, "age_min"),
        (7, "year"),
    }
    assert not Participation.objects.exists()


def test_history_with_a_stray_windows_byte_is_refused_and_creates_no_academies():
    OrganisationFactory(name="STEM-academie Lommel")
    lines = [
        HEADER,
        "2020,STEM-academie Lommel,Proefjes met ijs,reeks,72020,8,12,20,9,3",
        "2020,Académie Brugge,Robotreeks,reeks,31005,8,12,20,9,3",
        "2020,Café Wetenschap,Reeks,reeks,31005,8,12,20,9,3",
    ]
    # UTF-8, except line 4 pasted from a Windows program ("é" as the single byte 0xE9).
    stray = "\n".join(lines[:3]).encode("utf-8") + b"\n" + lines[3].encode("cp1252")
    before = Organisation.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.reach_history_import(file=("history.csv", stray), actor=None)
    assert "Line 4" in exc.value.messages[0]
    assert Organisation.objects.count() == before
    # The same file saved as Windows-1252 throughout is read without garbling.
    windows = "\n".join(lines).encode("cp1252")
    result = services.reach_history_import(file=("history.csv", windows), actor=None)
    assert result.ok, result.errors
    assert set(result.organisations_created) == {"Académie Brugge", "Café Wetenschap"}
