"""Write the tuning exports of `vastbus survey import` (run from the repository root; the files are committed).

    .venv/bin/python tests/data/survey_tuning/make_fixtures.py

Shaped like real exports of the shipped survey (curriculum/survey.yaml): Microsoft Forms'
Swedish XLSX (ID, Starttid, Sluttid, E-post, Namn, Tid för senaste ändring), Google Forms'
CSV (Tidstämpel, numbered headings, E-postadress), Netigate's ';' CSV with BOM and CRLF.
The people are made up; their names and addresses must never reach a stored file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SURVEY = YAML(typ="safe").load((ROOT / "curriculum" / "survey.yaml").read_text(encoding="utf-8"))
ITEMS = SURVEY["items"]
DISTRICT = "Vilket område arbetar du i?"
AUDIENCE = "Vilken yrkesgrupp tillhör du?"
#: Made-up people: the tests grep the stored file for every one of these.
PEOPLE = [
    ("Karin Lindqvist", "karin.lindqvist@forskola.goteborg.se"),
    ("Ahmed Yusuf", "ahmed.yusuf@vgregion.se"),
    ("Åsa Öberg", "asa.oberg@goteborg.se"),
    ("Jonas Ekström", "jonas.ekstrom@skola.goteborg.se"),
    ("Maria Håkansson", "maria.hakansson@vardcentral.se"),
    ("Leila Nordin", "leila.nordin@goteborg.se"),
    ("Per-Olof Svensson", "per-olof.svensson@bvc.vgregion.se"),
]


def answer(item: dict, n: int) -> str:
    """A plausible answer by the item and respondent: mostly right, some wrong, some "Vet inte"."""
    if item.get("options"):
        options = item["options"]
        choice = [item["right"], "1", "vet-inte", item["right"]][n % 4]
        return "Vet inte" if choice == "vet-inte" else options[int(choice) - 1]
    return ["Stämmer inte", "Stämmer", "Vet inte", "Stämmer inte", "Stämmer"][n % 5]


def forms_xlsx() -> None:
    """Microsoft Forms, Swedish: metadata columns first, headings without numbers, one with a stray newline."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    headings = ["ID", "Starttid", "Sluttid", "E-post", "Namn", "Tid för senaste ändring", DISTRICT, AUDIENCE]
    headings += [item["text"] for item in ITEMS]
    headings[10] = headings[10].replace(" ", "\u00a0", 2) + "\n"  # Forms keeps what the author typed
    headings.append("Övriga kommentarer")
    sheet.append(headings)
    places = [
        ("Angered", "Förskola"),
        ("Angered", "Förskola"),
        ("Örgryte-Härlanda", "Barnavårdscentral (BVC)"),
        ("Örgryte-Härlanda", "Barnavårdscentral (BVC)"),
        ("angered", "forskola"),  # ids are accepted too
        ("", "Vårdcentral"),  # no district: left out
        ("Örgryte-Härlanda", "Vårdcentral"),
    ]
    for n, ((name, email), (district, audience)) in enumerate(zip(PEOPLE, places, strict=True), start=1):
        start = dt.datetime(2026, 11, 20, 9, 5 + n, 12)
        end = start + dt.timedelta(minutes=4, seconds=n * 7)
        if n == 7:  # answered across midnight: the end time is the day
            start, end = dt.datetime(2026, 11, 20, 23, 58, 1), dt.datetime(2026, 11, 21, 0, 3, 40)
        answers = [answer(item, n) for item in ITEMS]
        if n == 3:
            answers[4] = None  # skipped
        comment = "Bra, men för kort.\nMer om samtycke, tack!" if n == 2 else None
        sheet.append([n, start, end, email, name, end, district or None, audience, *answers, comment])
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
    book.save(HERE / "Kunskapsenkät före (1-7).xlsx")


def google_csv() -> None:
    """Google Forms: Tidstämpel, e-mail collected, numbered headings, commas and newlines inside quotes."""
    headings = ["Tidstämpel", "E-postadress", DISTRICT, AUDIENCE]
    for n, item in enumerate(ITEMS, start=1):
        prefix = f"Fråga {n}: " if n % 3 == 0 else f"{n}. "
        headings.append(prefix + item["text"])
    headings.append("Kommentar")
    rows = []
    places = [("Angered", "Förskola"), ("Angered", "Förskola"), ("Örgryte-Härlanda", "Vårdcentral"), ("Angered", "")]
    for n, ((_name, email), (district, audience)) in enumerate(zip(PEOPLE, places, strict=False), start=1):
        stamp = f"2026/12/0{n} 14:2{n}:10 CET" if n < 3 else f"2026-12-03 9:0{n}:55"
        answers = [answer(item, n + 1) for item in ITEMS]
        if n == 2:
            answers[0] = ""
            answers[11] = ""
        comment = 'Tydligt om vem som kallar, "bra exempel".\nMer tid, tack' if n == 1 else ""
        rows.append([stamp, email, district, audience, *answers, comment])
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(headings)
    writer.writerows(rows)
    (HERE / "Formulärsvar efter – Google.csv").write_text(stream.getvalue(), encoding="utf-8")


def netigate_csv() -> None:
    """Netigate: ';', a BOM, CRLF, Q-numbered headings, an ID and a name, 'Datum'."""
    headings = ["Respondent ID", "Datum", "Name", "Email", DISTRICT, AUDIENCE]
    headings += [f"Q{n}. {item['text']}" for n, item in enumerate(ITEMS, start=1)]
    headings.append("Fritext")
    rows = []
    places = [("Lundby", "Skola och elevhälsa"), ("lundby", "Socialtjänst"), ("Majorna-Linné", "Skola och elevhälsa")]
    for n, ((name, email), (district, audience)) in enumerate(zip(PEOPLE[3:], places, strict=False), start=1):
        answers = [answer(item, n + 2).upper() if n == 2 else answer(item, n + 2) for item in ITEMS]
        rows.append([f"R{9000 + n}", f"2026-11-2{n} 10:1{n}", name, email, district, audience, *answers, "nej; inget"])
    rows.append([""] * len(headings))  # an empty row at the end, as some exports have
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(rows)
    (HERE / "netigate_före_export.csv").write_bytes(b"\xef\xbb\xbf" + stream.getvalue().encode("utf-8"))


if __name__ == "__main__":
    forms_xlsx()
    google_csv()
    netigate_csv()
