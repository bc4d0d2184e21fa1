"""Writes the held-out exports for `vastbus survey import` and their expected.yaml.

    .venv/bin/python tests/data/survey_heldout/make_heldout.py

Written from the contract (/work/notes/survey_import_contract.md), the stored model
(vastbus_cli/models/survey.py) and the shipped survey (curriculum/survey.yaml) only, never from
an importer. Deterministic: a fixed seed, fixed times inside the .xlsx packages, so running it
again writes the same bytes (and the same digests).

The expected values are computed twice: once from the respondents the generator made (before
writing) and once by reading the written files back with openpyxl / csv in `recount()`, which
knows nothing of the generator's records; the two must agree or the script fails.

All respondents, names, e-mail addresses and comments are invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
import re
import sys
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SEED = 20261124

sys.path.insert(0, str(REPO))
from vastbus_cli.models.survey import (  # noqa: E402  (the stored model, for a last check of the counts)
    PROFILE_QUESTIONS,
    ResultGroup,
)

# --- the survey, districts and audiences, read from the shipped course ---------------------------

_yaml = YAML(typ="safe")
SURVEY = _yaml.load((REPO / "curriculum" / "survey.yaml").read_text(encoding="utf-8"))
ITEMS: list[dict[str, Any]] = SURVEY["items"]
ITEM_BY_ID = {item["id"]: item for item in ITEMS}
STATEMENT_LABELS = {"stammer": "Stämmer", "stammer-inte": "Stämmer inte", "vet-inte": "Vet inte"}

_districts = _yaml.load((REPO / "curriculum" / "districts.yaml").read_text(encoding="utf-8"))
DISTRICT_ID = {d["name"]: d["id"] for d in _districts["districts"]}
_course = _yaml.load((REPO / "curriculum" / "course.yaml").read_text(encoding="utf-8"))
AUDIENCE_ID = {a["name"]: a["id"] for a in _course["audiences"]}

DISTRICT_Q = PROFILE_QUESTIONS["district"]
AUDIENCE_Q = PROFILE_QUESTIONS["audience"]

#: Where an audience works: the municipality (goteborg.se) or the region (vgregion.se).
REGION_AUDIENCES = {"bvc", "vardcentral", "bup", "ungdomsmottagning", "habilitering"}


def answer_keys(item: dict[str, Any]) -> list[str]:
    """An item's answer keys as stored, 'vet-inte' and 'blank' last."""
    if item.get("options"):
        return [str(n) for n in range(1, len(item["options"]) + 1)] + ["vet-inte", "blank"]
    return ["stammer", "stammer-inte", "vet-inte", "blank"]


def label(item: dict[str, Any], key: str) -> str | None:
    """How a form prints an answer key (None for a skipped item)."""
    if key == "blank":
        return None
    if key in STATEMENT_LABELS:
        return STATEMENT_LABELS[key]
    return str(item["options"][int(key) - 1])


# --- invented people -----------------------------------------------------------------------------

# fmt: off
FIRST = [
    "Karin", "Anders", "Maria", "Johan", "Eva", "Mikael", "Lena", "Per", "Sara", "Erik",
    "Anna-Karin", "Fredrik", "Helena", "Jonas", "Ulrika", "Magnus", "Åsa", "Niklas", "Elin", "Oskar",
    "Linnea", "Henrik", "Malin", "Björn", "Camilla", "Tobias", "Ingrid", "Mattias", "Sofia", "Daniel",
    "Emma", "Patrik", "Louise", "Stefan", "Therese", "Gustav", "Hanna", "Kristoffer", "Jenny", "Ali",
    "Amira", "Yusuf", "Nadia", "Mirela", "Ahmed", "Leyla", "Goran", "Tiina", "Rasmus", "Agneta",
]
LAST = [
    "Lindqvist", "Johansson", "Andersson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson",
    "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson", "Lindgren", "Axelsson",
    "Bergström", "Lundberg", "Lundgren", "Berglund", "Mattsson", "Fredriksson", "Sandberg", "Henriksson",
    "Forsberg", "Sjöberg", "Wallin", "Engström", "Danielsson", "Håkansson", "Lundin", "Björk",
    "Åberg", "Hedlund", "Holm", "Mohammadi", "Hassan", "Yilmaz", "Kovačević", "Nieminen", "Ekström",
    "Öberg",
]
# fmt: on


def email(name: str, audience_id: str) -> str:
    """An address as the municipality or the region spells it: karin.lindqvist@goteborg.se."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c))
    local = ".".join(plain.split())
    domain = "vgregion.se" if audience_id in REGION_AUDIENCES else "goteborg.se"
    return f"{local}@{domain}"


class People:
    """Draws distinct invented names."""

    def __init__(self, rng: random.Random) -> None:
        pairs = [f"{first} {last}" for first in FIRST for last in LAST]
        rng.shuffle(pairs)
        self._pool = pairs
        self._used: set[str] = set()

    def draw(self) -> str:
        name = self._pool.pop()
        surname = name.split()[-1]
        # a little realism: no two people of the same first name and surname, and not too many of one surname
        while name in self._used or sum(u.endswith(" " + surname) for u in self._used) >= 2:
            name = self._pool.pop()
            surname = name.split()[-1]
        self._used.add(name)
        return name


# --- respondents ---------------------------------------------------------------------------------


@dataclass
class Respondent:
    name: str
    email: str
    district: str | None  # the name as on the form, None when the cell is empty
    audience: str | None
    end: dt.datetime  # when the form was sent (the completion time)
    minutes: int  # how long it took
    answers: dict[str, str]  # item id -> answer key (blank for skipped)
    comment: str | None = None
    respondent_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def start(self) -> dt.datetime:
        return self.end - dt.timedelta(minutes=self.minutes, seconds=17 * (self.minutes % 3))


def answers_for(rng: random.Random, p_right: float, p_blank: float) -> dict[str, str]:
    """One respondent's answers: right with p_right, else wrong or "Vet inte"; skipped with p_blank."""
    out: dict[str, str] = {}
    for item in ITEMS:
        keys = answer_keys(item)[:-1]  # without blank
        if rng.random() < p_blank:
            out[item["id"]] = "blank"
        elif rng.random() < p_right:
            out[item["id"]] = item["right"]
        else:
            wrong = [k for k in keys if k not in (item["right"], "vet-inte")]
            out[item["id"]] = "vet-inte" if rng.random() < 0.4 else rng.choice(wrong)
    return out


def session(
    rng: random.Random,
    people: People,
    district: str | None,
    audience: str | None,
    day: dt.date,
    count: int,
    p_right: float,
    p_blank: float,
    start_hour: int,
    names: list[str] | None = None,
) -> list[Respondent]:
    """The respondents of one training session: they answer within an hour or so of each other."""
    out = []
    base = dt.datetime.combine(day, dt.time(start_hour, rng.randint(0, 20)))
    for n in range(count):
        name = names[n] if names and n < len(names) else people.draw()
        end = base + dt.timedelta(minutes=rng.randint(3, 55), seconds=rng.randint(0, 59))
        aud_id = AUDIENCE_ID[audience] if audience else "forskola"
        out.append(
            Respondent(
                name=name,
                email=email(name, aud_id),
                district=district,
                audience=audience,
                end=end,
                minutes=rng.randint(3, 11),
                answers=answers_for(rng, p_right, p_blank),
            )
        )
    return out


# --- what the importer must store: from the generator's records ---------------------------------


def expected_groups(respondents: list[Respondent], phase: str, date: str | None) -> tuple[list[dict[str, Any]], int]:
    """The groups (district, audience, phase, day) and the number of rows left out."""
    groups: dict[tuple[str, str, str], list[Respondent]] = {}
    left_out = 0
    for r in respondents:
        if not r.district or not r.audience:
            left_out += 1
            continue
        day = date or r.end.date().isoformat()
        groups.setdefault((DISTRICT_ID[r.district], AUDIENCE_ID[r.audience], day), []).append(r)
    out = []
    for (district, audience, day), members in sorted(groups.items()):
        answers = {}
        for item in ITEMS:
            counts = Counter(m.answers[item["id"]] for m in members)
            answers[item["id"]] = {k: counts.get(k, 0) for k in answer_keys(item)}
        out.append(
            {
                "district": district,
                "audience": audience,
                "phase": phase,
                "date": day,
                "respondents": len(members),
                "answers": answers,
            }
        )
    return out, left_out


# --- writers ---------------------------------------------------------------------------------------

FIXED_ZIP_TIME = (2026, 12, 1, 12, 0, 0)
FORMS_META = ["ID", "Starttid", "Sluttid", "E-post", "Namn", "Tid för senaste ändring"]


def _deterministic_xlsx(path: Path) -> None:
    """Rewrites an .xlsx with fixed times (zip entries and docProps), so its bytes do not depend on today."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>2026-12-01T12:00:00Z\g<3>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)


def write_forms(
    path: Path, respondents: list[Respondent], quirks: dict[str, str], replace: dict[str, tuple[str, dict[str, str]]]
) -> list[str]:
    """A Microsoft Forms export (Swedish UI): one sheet, row 1 the headings, times as Excel datetimes.

    quirks: item id or profile key -> the heading as Forms wrote it (trailing space, non-breaking space).
    replace: item id -> (another heading, answer key -> the text written instead).
    Returns the headings.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    columns: list[tuple[str, str]] = [("district", quirks.get("district", DISTRICT_Q))]
    columns.append(("audience", quirks.get("audience", AUDIENCE_Q)))
    for item in ITEMS:
        heading = replace[item["id"]][0] if item["id"] in replace else quirks.get(item["id"], item["text"])
        columns.append((item["id"], heading))
    headings = FORMS_META + [h for _, h in columns]
    ws.append(headings)
    for n, r in enumerate(sorted(respondents, key=lambda r: r.end), start=1):
        row: list[Any] = [n, r.start, r.end, r.email, r.name, None, r.district, r.audience]
        for item in ITEMS:
            key = r.answers[item["id"]]
            if item["id"] in replace:
                row.append(replace[item["id"]][1].get(key))
            else:
                row.append(label(item, key))
        ws.append(row)
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "m/d/yy h:mm:ss"
    for col, width in zip("ABCDEF", (6, 18, 18, 34, 24, 18), strict=True):
        ws.column_dimensions[col].width = width
    wb.properties.creator = "Microsoft Forms"
    wb.properties.created = dt.datetime(2026, 12, 1, 12, 0, 0)
    wb.save(path)
    _deterministic_xlsx(path)
    return headings


GOOGLE_TS = "%Y/%m/%d %H:%M:%S CET"


def write_google(path: Path, respondents: list[Respondent]) -> list[str]:
    """A Google Forms download: comma, every field quoted, UTF-8 without BOM, LF, numbered questions."""
    headings = ["Tidstämpel", "E-postadress", f"1. {DISTRICT_Q}", f"2. {AUDIENCE_Q}"]
    headings += [f"{n}. {item['text']}" for n, item in enumerate(ITEMS, start=3)]
    headings.append("Övriga kommentarer")
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=",", quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(headings)
    for r in sorted(respondents, key=lambda r: r.end):
        row = [r.end.strftime(GOOGLE_TS), r.email, r.district or "", r.audience or ""]
        row += [label(item, r.answers[item["id"]]) or "" for item in ITEMS]
        row.append(r.comment or "")
        writer.writerow(row)
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return headings


NETIGATE_META = ["Respondent-ID", "Datum", "Status", "E-post"]


def write_netigate(path: Path, respondents: list[Respondent]) -> list[str]:
    """A Netigate/Esmaker export: semicolon, UTF-8 with BOM, CRLF, "Fråga n: …", then empty rows."""
    headings = [*NETIGATE_META, f"Fråga 1: {DISTRICT_Q}", f"Fråga 2: {AUDIENCE_Q}"]
    headings += [f"Fråga {n}: {item['text']}" for n, item in enumerate(ITEMS, start=3)]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(headings)
    for r in sorted(respondents, key=lambda r: r.end):
        row = [r.respondent_id, r.end.date().isoformat(), "Slutförd", r.email, r.district or "", r.audience or ""]
        row += [label(item, r.answers[item["id"]]) or "" for item in ITEMS]
        writer.writerow(row)
    # a row of empty cells (as a spreadsheet writes it back) and an entirely empty line at the end
    text = buf.getvalue() + ";" * (len(headings) - 1) + "\r\n" + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return headings


def write_sheet_csv(path: Path, respondents: list[Respondent], bad: tuple[int, str, str]) -> list[str]:
    """The plain answer sheet typed in by hand: the two profile questions and the items' texts, comma, UTF-8.

    bad: (data row number from 1, item id, the value written instead of the answer).
    """
    headings = [DISTRICT_Q, AUDIENCE_Q] + [item["text"] for item in ITEMS]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(headings)
    for n, r in enumerate(respondents, start=1):
        row = [r.district or "", r.audience or ""]
        for item in ITEMS:
            value = label(item, r.answers[item["id"]]) or ""
            if (n, item["id"]) == bad[:2]:
                value = bad[2]
            row.append(value)
        writer.writerow(row)
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return headings


def describe_quirks(quirks: dict[str, str]) -> dict[str, str]:
    """What Forms did to a heading, in words (a no-break space is invisible in YAML)."""
    out = {}
    for key, heading in quirks.items():
        what = []
        if heading.endswith("\u00a0"):
            what.append("ends with a no-break space (U+00A0)")
        elif heading.endswith(" "):
            what.append("ends with a space")
        if "\u00a0" in heading.rstrip("\u00a0"):
            at = heading.index("\u00a0")
            before, after = heading[:at].split()[-1], heading[at + 1 :].split()[0]
            what.append(f"a no-break space (U+00A0) between '{before}' and '{after}'")
        out[key] = "; ".join(what)
    return out


# --- the independent re-reading -------------------------------------------------------------------

TIMESTAMP_HEADINGS = {
    "starttid",
    "sluttid",
    "start time",
    "completion time",
    "tidstämpel",
    "timestamp",
    "datum",
    "date",
    "tid för senaste ändring",
}
COMPLETION_HEADINGS = ["sluttid", "completion time"]
NAME_HEADINGS = {"namn", "name"}
EMAIL_HEADINGS = {"e-post", "e-postadress", "email"}
ID_HEADINGS = {"id", "respondent-id"}
_NUMBER = re.compile(r"^\s*(?:fråga\s*\d+\s*[:.)]?|q\d+\s*[:.)]?|\d+\s*[.)])\s*", re.IGNORECASE)


def norm(heading: str) -> str:
    """A heading as the contract compares it: no leading number, whitespace collapsed, any case, no trailing colon."""
    text = _NUMBER.sub("", heading)
    text = " ".join(text.replace("\u00a0", " ").split()).casefold()
    return text.removesuffix(":").strip()


def _norm_value(value: str) -> str:
    return " ".join(value.replace("\u00a0", " ").split()).casefold()


def read_table(path: Path) -> tuple[list[str], list[list[Any]]]:
    """Headings and non-empty rows of an .xlsx (first sheet) or .csv, read without the generator's help."""
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path, read_only=True)
        ws = wb.worksheets[0]
        rows = [list(row) for row in ws.iter_rows(values_only=True)]
        wb.close()
    else:
        raw = path.read_bytes()
        text = raw[3:].decode("utf-8") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("utf-8")
        first = text.split("\n", 1)[0]
        delimiter = max((";", ",", "\t"), key=first.count)
        rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    headings = [str(h) if h is not None else "" for h in rows[0]]
    body = []
    for row in rows[1:]:
        cells = [None if (c is None or (isinstance(c, str) and not c.strip())) else c for c in row]
        if all(c is None for c in cells):
            continue
        cells += [None] * (len(headings) - len(cells))
        body.append(cells)
    return headings, body


def _day(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    match = re.match(r"\s*(\d{4})[-/](\d{2})[-/](\d{2})", str(value))
    assert match, f"not a timestamp: {value!r}"
    return "-".join(match.groups())


def _answer(item: dict[str, Any], value: Any) -> str:
    if value is None:
        return "blank"
    text = _norm_value(str(value))
    if text == "vet inte":
        return "vet-inte"
    if item.get("options"):
        for n, option in enumerate(item["options"], start=1):
            if _norm_value(option) == text:
                return str(n)
    else:
        for key, shown in STATEMENT_LABELS.items():
            if _norm_value(shown) == text:
                return key
    raise ValueError(repr(value))


def classify(headings: list[str]) -> dict[str, Any]:
    """Which column is which: profile, items, timestamps, dropped; and question-like headings matching nothing."""
    by_text = {norm(item["text"]): item["id"] for item in ITEMS} | {item["id"]: item["id"] for item in ITEMS}
    out: dict[str, Any] = {"items": {}, "stamps": [], "dropped": [], "foreign": [], "personal_cols": []}
    for col, heading in enumerate(headings):
        key = norm(heading)
        if key == norm(DISTRICT_Q):
            out["district"] = col
        elif key == norm(AUDIENCE_Q):
            out["audience"] = col
        elif key in by_text:
            out["items"][by_text[key]] = col
        elif key in TIMESTAMP_HEADINGS:
            out["stamps"].append((key, col, heading))
        else:
            if heading.strip().endswith("?") or len(key) > 40:
                out["foreign"].append(heading)
            out["dropped"].append(heading)
            if key in NAME_HEADINGS | EMAIL_HEADINGS or key.startswith("övriga"):
                out["personal_cols"].append(col)
    return out


def recount(path: Path, phase: str, date: str | None) -> dict[str, Any]:
    """What the file holds, counted again from the bytes on disk."""
    headings, body = read_table(path)
    cols = classify(headings)
    assert not cols["foreign"], f"{path.name}: question-like headings match no item: {cols['foreign']}"
    assert set(cols["items"]) == set(ITEM_BY_ID), f"{path.name}: items without a column"
    stamp = None
    if cols["stamps"]:
        completion = [c for k, c, _ in cols["stamps"] if k in COMPLETION_HEADINGS]
        stamp = completion[0] if completion else cols["stamps"][0][1]
    district_by = {_norm_value(k): v for k, v in DISTRICT_ID.items()} | {v: v for v in DISTRICT_ID.values()}
    audience_by = {_norm_value(k): v for k, v in AUDIENCE_ID.items()} | {v: v for v in AUDIENCE_ID.values()}
    groups: dict[tuple[str, str, str], Counter[tuple[str, str]]] = {}
    sizes: Counter[tuple[str, str, str]] = Counter()
    left_out = 0
    personal: set[str] = set()
    for row in body:
        for col in cols["personal_cols"]:
            if row[col] is not None:
                personal.add(str(row[col]))
        d, a = row[cols["district"]], row[cols["audience"]]
        answers = {item_id: _answer(ITEM_BY_ID[item_id], row[col]) for item_id, col in cols["items"].items()}
        if d is None or a is None:
            left_out += 1
            continue
        day = date or _day(row[stamp])
        key = (district_by[_norm_value(str(d))], audience_by[_norm_value(str(a))], day)
        sizes[key] += 1
        groups.setdefault(key, Counter()).update(answers.items())
    out = []
    for key in sorted(groups):
        counts = groups[key]
        answers = {item["id"]: {k: counts.get((item["id"], k), 0) for k in answer_keys(item)} for item in ITEMS}
        out.append(
            {
                "district": key[0],
                "audience": key[1],
                "phase": phase,
                "date": key[2],
                "respondents": sizes[key],
                "answers": answers,
            }
        )
    stamps = [h for _, _, h in cols["stamps"]]
    return {
        "rows": len(body),
        "groups": out,
        "left_out": left_out,
        "dropped": cols["dropped"],
        "stamps": stamps,
        "personal": personal,
    }


# --- the files --------------------------------------------------------------------------------------


def build() -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    people = People(rng)
    entries: list[dict[str, Any]] = []

    def ok_entry(
        name: str, phase: str, respondents: list[Respondent], fmt: str, stamps_used: list[str], extra: dict[str, Any]
    ) -> None:
        path = HERE / name
        groups, left_out = expected_groups(respondents, phase, None)
        personal = sorted(
            {r.name for r in respondents if name.endswith(".xlsx")}
            | {r.email for r in respondents}
            | {r.comment for r in respondents if r.comment}
        )
        entry = {
            "file": name,
            "format": fmt,
            "phase": phase,
            "date": None,
            "expect": "ok",
            "exit": 0,
            "digest": hashlib.sha256(path.read_bytes()).hexdigest(),
            "rows": len(respondents),
            "left_out": left_out,
            "dropped": extra.pop("dropped"),
            "timestamp_columns": stamps_used,
            "personal": personal,
            **extra,
            "groups": groups,
        }
        entries.append(entry)

    # 1. forms_fore.xlsx --------------------------------------------------------------------------
    fore = []
    fore += session(rng, people, "Angered", "Förskola", dt.date(2026, 11, 24), 8, 0.5, 0.03, 9)
    fore += session(rng, people, "Angered", "Barnavårdscentral (BVC)", dt.date(2026, 11, 24), 4, 0.55, 0.03, 9)
    fore += session(rng, people, "Angered", "Socialtjänst", dt.date(2026, 11, 24), 6, 0.6, 0.03, 9)
    fore += session(rng, people, "Örgryte-Härlanda", "Förskola", dt.date(2026, 11, 26), 7, 0.5, 0.03, 13)
    fore += session(rng, people, "Örgryte-Härlanda", "Skola och elevhälsa", dt.date(2026, 11, 26), 6, 0.5, 0.03, 13)
    fore += session(rng, people, None, "Förskola", dt.date(2026, 11, 26), 1, 0.5, 0.03, 13)  # district left empty
    # at least a few skipped questions, whatever the dice said
    for r, item_id in ((fore[2], "mote-utan-samtycke"), (fore[9], "quiz-lagens-krav"), (fore[20], "inte-vart-arende")):
        r.answers[item_id] = "blank"
    fore_quirks = {
        "audience": AUDIENCE_Q + "\u00a0",
        "bara-soc-eller-bup-kallar": ITEM_BY_ID["bara-soc-eller-bup-kallar"]["text"] + " ",
        "bara-komplexa-fall-ratt": ITEM_BY_ID["bara-komplexa-fall-ratt"]["text"].replace("0–20 år", "0–20\u00a0år"),
        "quiz-noa-vem-deltar": ITEM_BY_ID["quiz-noa-vem-deltar"]["text"] + " ",
    }
    assert fore_quirks["bara-komplexa-fall-ratt"] != ITEM_BY_ID["bara-komplexa-fall-ratt"]["text"]
    write_forms(HERE / "forms_fore.xlsx", fore, fore_quirks, {})
    ok_entry(
        "forms_fore.xlsx",
        "före",
        fore,
        "Microsoft Forms .xlsx (Swedish UI); timestamps are Excel datetimes; 'Tid för senaste ändring' is empty",
        ["Starttid", "Sluttid", "Tid för senaste ändring"],
        {
            "dropped": ["ID", "E-post", "Namn"],
            "heading_quirks": describe_quirks(fore_quirks),
            "group_of_four": {"district": "angered", "audience": "bvc", "date": "2026-11-24"},
        },
    )

    # 2. forms_efter.xlsx: the same people a couple of weeks later, most of them -------------------
    efter = []
    plan = [
        ("Angered", "Förskola", dt.date(2026, 12, 8), 9, fore[0:8], 7),
        ("Angered", "Barnavårdscentral (BVC)", dt.date(2026, 12, 8), 9, fore[8:12], 5),
        ("Angered", "Socialtjänst", dt.date(2026, 12, 8), 9, fore[12:18], 6),
        ("Örgryte-Härlanda", "Förskola", dt.date(2026, 12, 10), 13, fore[18:25], 7),
        ("Örgryte-Härlanda", "Skola och elevhälsa", dt.date(2026, 12, 10), 13, fore[25:31], 5),
    ]
    for district, audience, day, hour, before, count in plan:
        names = [r.name for r in before if rng.random() < 0.85]
        efter += session(rng, people, district, audience, day, count, 0.85, 0.02, hour, names=names)
    efter += session(rng, people, "Örgryte-Härlanda", None, dt.date(2026, 12, 10), 1, 0.8, 0.0, 13)  # audience empty
    efter[5].answers["quiz-vad-galler-i-dag"] = "blank"
    efter_quirks = {
        "district": DISTRICT_Q + " ",
        "mote-utan-samtycke-ratt": ITEM_BY_ID["mote-utan-samtycke-ratt"]["text"] + " ",
        "vastbus-galler-fortfarande": ITEM_BY_ID["vastbus-galler-fortfarande"]["text"].replace(
            "Västbus riktlinjer", "Västbus\u00a0riktlinjer"
        ),
    }
    write_forms(HERE / "forms_efter.xlsx", efter, efter_quirks, {})
    ok_entry(
        "forms_efter.xlsx",
        "efter",
        efter,
        "Microsoft Forms .xlsx (Swedish UI), after the training; one row with an empty audience",
        ["Starttid", "Sluttid", "Tid för senaste ändring"],
        {"dropped": ["ID", "E-post", "Namn"], "heading_quirks": describe_quirks(efter_quirks)},
    )

    # 3. google.csv -----------------------------------------------------------------------------------
    google = []
    google += session(rng, people, "Majorna-Linné", "Vårdcentral", dt.date(2026, 11, 19), 6, 0.5, 0.02, 10)
    google += session(rng, people, "Majorna-Linné", "Ungdomsmottagning", dt.date(2026, 11, 19), 5, 0.55, 0.02, 10)
    google += session(
        rng, people, "Majorna-Linné", "Barn- och ungdomspsykiatri (BUP)", dt.date(2026, 11, 20), 5, 0.6, 0.02, 14
    )
    skipper = google[7]
    for item_id in (
        "sip-bara-vuxna-diagnos-ratt",
        "mote-utan-samtycke",
        "inte-vart-arende",
        "mote-utan-samtycke-ratt",
        "quiz-vad-galler-i-dag",
        "quiz-lagens-krav",
    ):
        skipper.answers[item_id] = "blank"
    comments = [
        'Bra genomgång, men vi behöver mer tid för "SIP-mallen" i arbetslaget.',
        "Två saker:\n1) vem kallar när BUP redan är inkopplade?\n2) gäller samtycket även skolan, eller bara vården?",
        'Jag svarade "Vet inte" på flera, eftersom vi aldrig har haft en SIP på mottagningen.',
        "Tack, äntligen tydligt vem som ansvarar för planen!",
        "Föreläsaren var bra; filmen om Noa hade dåligt ljud, tyvärr.",
    ]
    for r, text in zip((google[1], google[4], skipper, google[11], google[14]), comments, strict=True):
        r.comment = text
    write_google(HERE / "google.csv", google)
    ok_entry(
        "google.csv",
        "före",
        google,
        "Google Forms 'Ladda ned svar (.csv)': comma, all fields quoted, UTF-8 without BOM, LF; "
        "Tidstämpel as '2026/11/19 10:15:32 CET' (the day is the date part as written, no time zone conversion)",
        ["Tidstämpel"],
        {
            "dropped": ["E-postadress", "Övriga kommentarer"],
            "skipped_several": {
                "email": skipper.email,
                "blank_items": sorted(k for k, v in skipper.answers.items() if v == "blank"),
            },
        },
    )

    # 4. netigate.csv ---------------------------------------------------------------------------------
    netigate = []
    netigate += session(rng, people, "Västra Hisingen", "Habilitering", dt.date(2026, 12, 3), 6, 0.85, 0.03, 9)
    netigate += session(rng, people, "Västra Hisingen", "Chefer och ansvariga", dt.date(2026, 12, 3), 5, 0.8, 0.03, 9)
    netigate += session(rng, people, "Lundby", "Skola och elevhälsa", dt.date(2026, 12, 4), 7, 0.85, 0.03, 13)
    netigate[3].answers["bara-komplexa-fall"] = "blank"
    ids = rng.sample(range(40_000_000, 49_999_999), len(netigate))
    for r, rid in zip(sorted(netigate, key=lambda r: r.end), sorted(ids), strict=True):
        r.respondent_id = str(rid)
    write_netigate(HERE / "netigate.csv", netigate)
    ok_entry(
        "netigate.csv",
        "efter",
        netigate,
        "Netigate/Esmaker: semicolon, UTF-8 with BOM, CRLF, 'Fråga n: …', Datum without time; "
        "after the last answer a row of only semicolons and an entirely empty line (both ignored, not left out)",
        ["Datum"],
        {
            "dropped": ["Respondent-ID", "Status", "E-post"],
            "respondent_ids": sorted(r.respondent_id for r in netigate if r.respondent_id),
        },
    )

    # 5. fel_version.xlsx: a column from an older version of the survey --------------------------------
    old = session(rng, people, "Östra Göteborg", "Förskola", dt.date(2026, 11, 25), 4, 0.5, 0.0, 9)
    old += session(rng, people, "Östra Göteborg", "Socialtjänst", dt.date(2026, 11, 25), 3, 0.5, 0.0, 9)
    old_heading = "Får bara socialtjänsten eller BUP kalla till SIP?"
    replaced = "bara-soc-eller-bup-kallar"
    write_forms(
        HERE / "fel_version.xlsx",
        old,
        {},
        {replaced: (old_heading, {"stammer": "Ja", "stammer-inte": "Nej", "vet-inte": "Vet inte"})},
    )
    entries.append(
        {
            "file": "fel_version.xlsx",
            "format": "Microsoft Forms .xlsx whose item 3 column is the older version's question (answered Ja/Nej)",
            "phase": "före",
            "date": None,
            "expect": "refused",
            "exit": 2,
            "must_name": old_heading,
            "also_missing_item": {"id": replaced, "text": ITEM_BY_ID[replaced]["text"]},
            "personal": sorted({r.name for r in old} | {r.email for r in old}),
        }
    )

    # 6. fel_svar.csv: an answer that is none of the allowed ones -------------------------------------
    sheet = session(rng, people, "Angered", "Förskola", dt.date(2026, 11, 27), 8, 0.6, 0.0, 9)
    bad_row, bad_item, bad_value = 5, "mote-utan-samtycke", "Kanske"
    write_sheet_csv(HERE / "fel_svar.csv", sheet, (bad_row, bad_item, bad_value))
    entries.append(
        {
            "file": "fel_svar.csv",
            "format": "the plain answer sheet typed in by hand: comma, UTF-8 without BOM, LF, no timestamp column",
            "phase": "före",
            "date": "2026-11-27",
            "expect": "refused",
            "exit": 2,
            "must_name": bad_value,
            "bad_cell": {
                "value": bad_value,
                "column": ITEM_BY_ID[bad_item]["text"],
                "item": bad_item,
                "data_row": bad_row,
                "line": bad_row + 1,
            },
            "personal": [],
        }
    )
    return entries


def check(entries: list[dict[str, Any]]) -> None:
    """Every expectation again, from the files on disk; and the groups against the stored model."""
    for entry in entries:
        path = HERE / entry["file"]
        if entry["expect"] == "ok":
            got = recount(path, entry["phase"], entry["date"])
            assert got["rows"] == entry["rows"], (entry["file"], got["rows"])
            assert got["left_out"] == entry["left_out"], (entry["file"], got["left_out"])
            assert got["groups"] == entry["groups"], entry["file"]
            assert got["dropped"] == entry["dropped"], (entry["file"], got["dropped"])
            assert got["stamps"] == entry["timestamp_columns"], (entry["file"], got["stamps"])
            assert got["personal"] == set(entry["personal"]), (entry["file"], got["personal"] ^ set(entry["personal"]))
            assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["digest"]
            assert sum(g["respondents"] for g in entry["groups"]) + entry["left_out"] == entry["rows"]
            if "group_of_four" in entry:
                fours = [g for g in entry["groups"] if g["respondents"] == 4]
                assert [{k: g[k] for k in ("district", "audience", "date")} for g in fours] == [entry["group_of_four"]]
            for group in entry["groups"]:
                ResultGroup.model_validate(group)  # every key, counts add up to respondents
                for item in ITEMS:
                    assert list(group["answers"][item["id"]]) == answer_keys(item)
        elif entry["file"] == "fel_version.xlsx":
            headings, body = read_table(path)
            cols = classify(headings)
            assert cols["foreign"] == [entry["must_name"]], cols["foreign"]
            assert set(ITEM_BY_ID) - set(cols["items"]) == {entry["also_missing_item"]["id"]}
            assert len(body) == 7
        elif entry["file"] == "fel_svar.csv":
            headings, body = read_table(path)
            cols = classify(headings)
            assert not cols["foreign"] and not cols["dropped"] and set(cols["items"]) == set(ITEM_BY_ID)
            bad = entry["bad_cell"]
            errors = []
            for n, row in enumerate(body, start=1):
                for item_id, col in cols["items"].items():
                    try:
                        _answer(ITEM_BY_ID[item_id], row[col])
                    except ValueError:
                        errors.append((n, headings[col], row[col]))
            assert errors == [(bad["data_row"], bad["column"], bad["value"])], errors
            lines = path.read_text(encoding="utf-8").splitlines()
            assert bad["value"] in lines[bad["line"] - 1]
    # no invented person twice across the set under two addresses, and at least 20 people
    people = {p for e in entries for p in e["personal"] if "@" in p}
    assert len(people) >= 20, len(people)


def main() -> None:
    entries = build()
    check(entries)
    doc = {
        "survey": SURVEY["id"],
        "about": (
            "Held-out exports for `vastbus survey import` (contract: the lead's survey_import_contract.md). "
            "Written by make_heldout.py from invented respondents; every count below was computed from the "
            "generator's records and recounted from the written files. 'dropped' lists the headings that must "
            "be dropped; 'timestamp_columns' are the columns the day may come from (whether they are also "
            "listed as dropped is the importer's choice). 'personal': none of these strings may appear in "
            "the stored YAML or in the output. Groups are sorted by district, audience, date; compare as a set."
        ),
        "files": entries,
    }
    yaml = YAML()
    yaml.representer.add_representer(type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    yaml.default_flow_style = False
    yaml.width = 4096
    yaml.allow_unicode = True
    buf = io.StringIO()
    yaml.dump(doc, buf)
    (HERE / "expected.yaml").write_text(
        "# Generated by make_heldout.py: do not edit by hand, run it again.\n" + buf.getvalue(), encoding="utf-8"
    )
    print(f"wrote {len(entries)} files and expected.yaml in {HERE.relative_to(REPO)}")


if __name__ == "__main__":
    main()
