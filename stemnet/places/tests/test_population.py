"""Age-band population from Statbel's TF_SOC_POP_STRUCT_<year> files."""

import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from stemnet.places.models import Municipality, PopulationCount
from stemnet.places.selectors import population_by_age, population_years
from stemnet.places.services import population_load, population_year_from_name

pytestmark = pytest.mark.django_db

HEADER = (
    "CD_REFNIS|TX_DESCR_NL|TX_DESCR_FR|CD_DSTR_REFNIS|TX_ADM_DSTR_DESCR_NL|TX_ADM_DSTR_DESCR_FR|"
    "CD_PROV_REFNIS|TX_PROV_DESCR_NL|TX_PROV_DESCR_FR|CD_RGN_REFNIS|TX_RGN_DESCR_NL|"
    "TX_RGN_DESCR_FR|CD_SEX|CD_NATLTY|TX_NATLTY_NL|TX_NATLTY_FR|CD_CIV_STS|TX_CIV_STS_NL|"
    "TX_CIV_STS_FR|CD_AGE|MS_POPULATION"
)


def _row(refnis, name, sex, nationality, civil, age, count):
    district = refnis[:2] + "000"
    return (
        f"{refnis}|{name}|{name}|{district}|Arr. {name}|Arr. {name}|10000|Provincie|Province|"
        f"02000|Gewest|Région|{sex}|{nationality}|Nat {nationality}|Nat {nationality}|"
        f"{civil}|Staat {civil}|État {civil}|{age}|{count}"
    )


# SYNTHETIC TEST DATA, invented for these tests: not Statbel's figures. Only the layout
# (pipe-separated, Statbel's TF_SOC_POP_STRUCT column names and order, one row per
# municipality x sex x nationality x marital status x age) follows Statbel's files.
FILE_2025 = "\n".join(
    [
        HEADER,
        _row("12025", "Mechelen", "M", "BEL", "1", 10, 300),
        _row("12025", "Mechelen", "M", "ETR", "1", 10, 20),
        _row("12025", "Mechelen", "F", "BEL", "1", 10, 310),
        _row("12025", "Mechelen", "M", "BEL", "1", 5, 250),
        _row("12025", "Mechelen", "F", "BEL", "1", 18, 200),
        _row("12025", "Mechelen", "F", "ETR", "2", 18, 5),
        _row("12025", "Mechelen", "M", "BEL", "1", 19, 400),
        _row("12025", "Mechelen", "F", "BEL", "1", 4, 100),
        _row("11002", "Antwerpen", "F", "BEL", "1", 12, 1000),
        _row("21004", "Brussel", "M", "ETR", "1", 7, 500),
        _row("92094", "Namur", "M", "BEL", "1", 10, 50),  # Wallonia: skipped
    ]
)
MECHELEN_5_18 = 320 + 310 + 250 + 205

# SYNTHETIC TEST DATA for 2020, with the 2019-2024 codes (Borsbeek 11007 still separate).
FILE_2020 = "\n".join(
    [
        HEADER,
        _row("11002", "Antwerpen", "M", "BEL", "1", 8, 700),
        _row("11007", "Borsbeek", "M", "BEL", "1", 8, 30),
        _row("11007", "Borsbeek", "F", "BEL", "1", 30, 60),
    ]
)


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _current(nis_code):
    return Municipality.objects.current().get(nis_code=nis_code)


def test_year_from_file_name():
    assert population_year_from_name("TF_SOC_POP_STRUCT_2025.txt") == 2025
    assert population_year_from_name("downloads/tf_soc_pop_struct_2020.zip") == 2020
    assert population_year_from_name("bevolking.csv") is None


def test_load_sums_over_nationality_and_marital_status(tmp_path):
    result = population_load(path=_write(tmp_path, "TF_SOC_POP_STRUCT_2025.txt", FILE_2025))
    assert result.year == 2025
    assert result.municipalities == 3
    assert result.rows_read == 11
    assert result.rows_skipped == 1
    assert result.residents == 320 + 310 + 250 + 205 + 400 + 100 + 1000 + 500
    mechelen = _current("12025")
    assert PopulationCount.objects.get(municipality=mechelen, year=2025, age=10, sex="M").count == (
        320
    )
    assert population_by_age(mechelen, 2025, 5, 18) == MECHELEN_5_18
    assert population_by_age(mechelen, 2025, 0, 120) == MECHELEN_5_18 + 400 + 100
    assert population_by_age(mechelen, 2025, 11, 17) == 0  # loaded, and truly nobody
    assert population_years() == [2025]


def test_not_loaded_is_none_never_an_estimate(tmp_path):
    mechelen = _current("12025")
    assert population_by_age(mechelen, 2025, 5, 18) is None
    population_load(path=_write(tmp_path, "TF_SOC_POP_STRUCT_2025.txt", FILE_2025))
    assert population_by_age(mechelen, 2024, 5, 18) is None  # other year
    assert population_by_age(_current("12005"), 2025, 5, 18) is None  # Bonheiden: not in file
    borsbeek = Municipality.objects.of_vintage("2019").get(nis_code="11007")
    assert population_by_age(borsbeek, 2025, 0, 120) is None  # no longer exists in 2025


def test_before_2025_uses_old_codes_and_adds_up_for_merged_municipalities(tmp_path):
    population_load(path=_write(tmp_path, "TF_SOC_POP_STRUCT_2020.txt", FILE_2020))
    borsbeek = Municipality.objects.of_vintage("2019").get(nis_code="11007")
    assert population_by_age(borsbeek, 2020, 0, 120) == 90
    antwerpen_2025 = _current("11002")
    assert population_by_age(antwerpen_2025, 2020, 5, 18) == 730  # Antwerpen + Borsbeek
    # Mechelen (unchanged) was not in the 2020 file.
    assert population_by_age(_current("12025"), 2020, 0, 120) is None


def test_merged_municipality_is_none_when_a_predecessor_is_missing(tmp_path):
    only_antwerpen = "\n".join(FILE_2020.splitlines()[:2])
    population_load(path=_write(tmp_path, "TF_SOC_POP_STRUCT_2020.txt", only_antwerpen))
    assert population_by_age(_current("11002"), 2020, 0, 120) is None


def test_loading_twice_gives_the_same_rows(tmp_path):
    path = _write(tmp_path, "TF_SOC_POP_STRUCT_2025.txt", FILE_2025)
    population_load(path=path)
    first = sorted(PopulationCount.objects.values_list("municipality_id", "age", "sex", "count"))
    population_load(path=path)
    second = sorted(PopulationCount.objects.values_list("municipality_id", "age", "sex", "count"))
    assert first == second
    assert len(first) == 8


def test_bad_rows_are_reported_with_line_numbers_and_nothing_is_written(tmp_path):
    population_load(path=_write(tmp_path, "TF_SOC_POP_STRUCT_2025.txt", FILE_2025))
    before = list(PopulationCount.objects.values_list("pk", "count"))
    lines = FILE_2025.splitlines()
    lines[1] = lines[1].replace("|300", "|999")  # a good row that must not be written
    lines[2] = _row("12999", "Nergens", "M", "BEL", "1", 10, 1)  # line 3
    lines[4] = _row("12025", "Mechelen", "X", "BEL", "1", 10, 1)  # line 5
    lines[5] = _row("12025", "Mechelen", "M", "BEL", "1", "abc", 1)  # line 6
    lines[6] = _row("12025", "Mechelen", "M", "BEL", "1", 121, 1)  # line 7
    lines[7] = _row("12025", "Mechelen", "M", "BEL", "1", 10, -3)  # line 8
    (tmp_path / "bad").mkdir()
    path = _write(tmp_path / "bad", "TF_SOC_POP_STRUCT_2025.txt", "\n".join(lines))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        population_load(path=path)
    messages = caught.value.messages
    assert [m.split(":")[0] for m in messages] == [
        "line 3",
        "line 5",
        "line 6",
        "line 7",
        "line 8",
    ]
    assert "12999" in messages[0]
    assert "'X' is not M or F" in messages[1]
    assert "'-3' is not a whole number" in messages[4]
    assert list(PopulationCount.objects.values_list("pk", "count")) == before


def test_missing_columns_are_refused(tmp_path):
    path = _write(tmp_path, "TF_SOC_POP_STRUCT_2025.txt", "CD_REFNIS|CD_AGE\n12025|10")
    with translation.override("en"), pytest.raises(ValidationError, match="CD_SEX, MS_POPULATION"):
        population_load(path=path)


def test_year_is_required_when_the_name_has_none(tmp_path):
    path = _write(tmp_path, "bevolking.txt", FILE_2025)
    with pytest.raises(ValidationError):
        population_load(path=path)
    assert population_load(path=path, year=2025).municipalities == 3


def test_reads_the_zip_as_downloaded_and_comma_separated_csv(tmp_path):
    archive = tmp_path / "TF_SOC_POP_STRUCT_2025.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("TF_SOC_POP_STRUCT_2025.txt", FILE_2025.encode("utf-8"))
    assert population_load(path=archive).residents == 3085
    csv_path = _write(tmp_path, "TF_SOC_POP_STRUCT_2025.csv", FILE_2025.replace("|", ","))
    assert population_load(path=csv_path).residents == 3085


def test_command(tmp_path, capsys):
    path = _write(tmp_path, "TF_SOC_POP_STRUCT_2025.txt", FILE_2025)
    call_command("load_population", str(path))
    assert "3085 residents in 3 municipalities" in capsys.readouterr().out
    pajottegem = _row("23106", "Pajottegem", "M", "BEL", "1", 10, 1)  # exists since 2025
    bad = _write(tmp_path, "TF_SOC_POP_STRUCT_2024.txt", HEADER + "\n" + pajottegem)
    with translation.override("en"), pytest.raises(CommandError, match="line 2: unknown"):
        call_command("load_population", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_population", str(tmp_path / "missing.txt"))
