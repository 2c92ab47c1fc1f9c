"""Generate ``history.csv``: a reach history that reproduces VLAIO's published figures.

Run from the repository root: ``python stemnet/reach/tests/data/make_history_2020.py``.
Deterministic; the output is committed. Hand-computed figures (asserted in the tests):

2020 (2019-2024 municipalities): one activity in each of the first N municipalities by NIS
code per province: Antwerpen 41 (of 69), Limburg 24 (of 42), Oost-Vlaanderen 56 (of 60),
Vlaams-Brabant 36 (of 65), West-Vlaanderen 64 (of 64) = 221 of 300; plus a second activity in
each of the first 4 of those (no extra municipality) and 3 Brussels activities (21001, 21004,
21015). 228 rows: 227 with 55 participants and 25 girls, the last with 15 and 5:
participants 227 * 55 + 15 = 12,500; girls 227 * 25 + 5 = 5,680 (45.44%); UiTPAS 6 on every
third row (rows 0, 3, ...: 76 rows) = 456. Kind: "reeks" on every other row, else
"workshop".

2019: the first 162 Flemish municipalities by NIS code have a series (40 participants, 20
girls); the next 20 only a camp (30 participants, 15 girls): 182 reached, 162 with a series;
participants 162 * 40 + 20 * 30 = 7,080.

2025 (2025 municipalities): the first 200 Flemish municipalities by NIS code of the 2025 set
have a workshop with 30 participants and 12 girls: 200 of 285, participants 6,000.
"""

import csv
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[4]
PLACES = ROOT / "stemnet" / "places" / "data"
OUT = pathlib.Path(__file__).resolve().parent / "history.csv"
COLUMNS = (
    "year,organisation,activity,kind,municipality_nis,age_min,age_max,participants,girls,uitpas"
)
SPLIT_2020 = {
    "Antwerpen": 41,
    "Limburg": 24,
    "Oost-Vlaanderen": 56,
    "Vlaams-Brabant": 36,
    "West-Vlaanderen": 64,
}
BRUSSELS_2020 = ["21001", "21004", "21015"]


def _read(name):
    with open(PLACES / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    old = sorted(_read("municipalities_2019.csv"), key=lambda r: r["nis_code"])
    new = sorted(_read("municipalities.csv"), key=lambda r: r["nis_code"])
    rows = []

    picked = []
    for province, n in SPLIT_2020.items():
        picked += [r for r in old if r["province"] == province][:n]
    places_2020 = [(r["nis_code"], r["name_nl"], r["province"]) for r in picked]
    places_2020 += [(r[0], r[1], r[2]) for r in places_2020[:4]]  # second activity, same place
    places_2020 += [(code, "Brussel", "Brussel") for code in BRUSSELS_2020]
    for i, (code, name, province) in enumerate(places_2020):
        last = i == len(places_2020) - 1
        second = 221 <= i < 225
        rows.append(
            [
                2020,
                f"STEM-academie {province}",
                f"{'Zomerkamp' if second else 'STEM-reeks'} {name} {code}",
                "reeks" if i % 2 == 0 else "workshop",
                code,
                8,
                12,
                15 if last else 55,
                5 if last else 25,
                6 if i % 3 == 0 else 0,
            ]
        )

    flemish_old = [r for r in old if r["province"]]
    for i, r in enumerate(flemish_old[:182]):
        series = i < 162
        rows.append(
            [
                2019,
                f"STEM-academie {r['province']}",
                f"{'Reeks' if series else 'Kamp'} {r['name_nl']} {r['nis_code']}",
                "reeks" if series else "kamp",
                r["nis_code"],
                10,
                14,
                40 if series else 30,
                20 if series else 15,
                0,
            ]
        )

    flemish_new = [r for r in new if r["province"]]
    for r in flemish_new[:200]:
        rows.append(
            [
                2025,
                f"STEM-academie {r['province']}",
                f"Workshop {r['name_nl']} {r['nis_code']}",
                "workshop",
                r["nis_code"],
                9,
                12,
                30,
                12,
                0,
            ]
        )

    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        handle.write(COLUMNS + "\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows(rows)


if __name__ == "__main__":
    main()
