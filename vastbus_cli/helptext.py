"""The help text of every command: what it does, and examples to copy.

Plain text for Click (a line holding only a backspace keeps an example block as written), without a trailing
newline: Typer stores a help text as :func:`inspect.cleandoc` makes it, and that is what is looked up in the
catalog. Kept apart from the command definitions so that ``cli.py`` stays a thin layer of options and calls.
Each is declared in English with ``N_`` and shown in the language of the run (``cli_lang.translate_tree``; the
Swedish is in ``locale/sv/hjalp.po``).
"""

from vastbus_cli.i18n import N_

CHECK_HELP = N_("""Check the curriculum against the guideline edition in force.

Validates YAML syntax and schema, ids, refs to guideline sections, material built on
an older edition, suspect refs, where each rule is credited to (agreement, law, support
material), the quiz, outdated terms, misconceptions, accessibility and paths; with
--spelling also Swedish spelling. With PATH arguments, only findings in those files or
folders are reported.

Examples:

\b
  vastbus check
  vastbus check curriculum/modules/samtycke.yaml
  vastbus check --format json --output findings.json
  vastbus check --format github --fail-on warning
  vastbus check --as-of 2022-06-01
  vastbus check --spelling""")


BUILD_HELP = N_("""Build slide decks, handouts and trainer guides for every pack.

Runs the checks first and refuses to build while there are errors. Writes
<out>/<district>/<audience>/slides.pptx, handout.docx and trainer-guide.docx (the
central pack under <out>/central/), and <out>/manifest.json; <out> is paket/ in the
workspace unless --out says otherwise. Files whose inputs did
not change are left alone. With --pdf, LibreOffice also writes slides.pdf,
handout.pdf and trainer-guide.pdf beside them (again only where they changed).

Examples:

\b
  vastbus build
  vastbus build --district angered --audience forskola --audience bvc
  vastbus build --district central --format pptx --out /delad/paket
  vastbus build --district Angered --audience förskola --pdf
  vastbus build -d örgryte -a barnavård     # the start of a name will do
  vastbus build --force --jobs 2""")


EDITIONS_HELP = N_("""List the guideline editions, which one is in force and why.

Examples:

\b
  vastbus editions
  vastbus editions --as-of 2022-06-01
  vastbus editions --format json""")


DIFF_HELP = N_("""Show what changed between two editions, section by section.

For each section: the change the crosswalk declares (unchanged, editorial, renamed,
split, merged, withdrawn, new, substantive), the text difference, and every
curriculum and local file that cites it. A change the crosswalk does not declare
is flagged.

Examples:

\b
  vastbus diff bou-halsa-2021 bou-halsa-2023
  vastbus diff vastbus-2012 bou-halsa-2023 --changed-only
  vastbus diff bou-halsa-2021 bou-halsa-2023 --format json""")


REVIEW_HELP = N_("""Record that refs were checked against the guideline text.

Sets each selected ref's edition and fingerprint to the current section and writes
reviewed: {by, on, note}. Only those lines change; comments, quoting and blank lines
of everything else stay as they were.

Examples:

\b
  vastbus review --section samtycke --by "Anna Berg" --note "Läst mot 2023"
  vastbus review curriculum/modules/samtycke.yaml --by "Anna Berg"
  vastbus review --module sip-processen --slide sex-steg --by "Anna Berg"
  vastbus review --all --by "Kursredaktionen" --dry-run""")


UPGRADE_HELP = N_("""Move material to a new edition.

Renamed sections are rewritten to their new id; refs to sections that did not change
(or changed only editorially) are restamped and the file's built_on is moved; refs to
sections that changed substantively, split, merged or were withdrawn are left alone
and listed for review, with the text difference. A dry run by default.

Examples:

\b
  vastbus upgrade --to bou-halsa-2023
  vastbus upgrade --to bou-halsa-2023 --write
  vastbus upgrade --to bou-halsa-2023 curriculum/local/angered --write""")


CHANGES_HELP = N_("""Show what changed in the course between two versions.

OLD and NEW each name a version: '.' (the workspace as it is now, uncommitted edits
included), another workspace folder, or a git revision of the repository the
workspace is in (HEAD, HEAD~1, a tag, a commit). Per module, in course order: slides
and quiz items added, removed and changed (which fields, and the text difference,
notes included), and refs moved to another edition; then the local additions.
Everything is matched by its id, never by position. Exits 0 whether or not anything
changed; 1 when a version's course files do not load.

Examples:

\b
  vastbus changes HEAD .
  vastbus changes HEAD~1 HEAD
  vastbus changes HEAD~3 . --format json --output ändringar.json
  vastbus changes /delad/kurs-2025 .
  vastbus changes HEAD~1 . --format news   # lines for 'news:' in course.yaml""")


SCHEMA_HELP = N_("""Write the JSON Schemas of the YAML files, for editors.

One JSON Schema (draft 2020-12) per file kind: edition, course, module, districts,
local, sessions, survey and survey-results, made from the models, with every field's description
and examples. With the Red Hat YAML extension, VS Code then completes keys and underlines mistakes
as you type (docs/data.md, the section on VS Code). The shipped YAML files name their schema on their first
line. A file that already holds its schema is left alone; vastbus check warns when the
workspace's schemas are older than the models.

Examples:

\b
  vastbus schema
  vastbus schema --out /tmp/scheman
  vastbus schema --workspace ../kurs""")


SCAN_HELP = N_("""Find PowerPoint and Word files that teach an outdated edition.

Reads every .pptx and .docx under the given files and folders, made by anyone, and
says for each whether it is current, outdated, unknown or unreadable, with the
evidence: the vastbus stamp, or text that names an old edition, uses an outdated term
or repeats a misconception (with slide, notes or paragraph, and what to say instead).
A file vastbus built and someone edited is judged by what the edit added or changed.
Exits 1 when anything is outdated.

Examples:

\b
  vastbus scan /delad/Västbus-material
  vastbus scan gammal.pptx ny.docx
  vastbus scan paket/ --format json --output skanning.json
  vastbus scan /delad --jobs 2""")


REPORT_HELP = N_("""Show per district and audience whether the material is current.

For each district (and the central pack) and audience: are the local additions on
the current edition, do the packs exist and match what a build would make now, and
how many refs need review; which local examples are proposed for sharing. With
--scan DIR, also the result of scanning DIR/<district-id>/ for old material.

--format csv is for a spreadsheet: ';' between fields and a byte-order mark for
Excel with Swedish settings. A cell that starts with =, +, -, @, a tab or a carriage
return gets a leading ' so the spreadsheet shows it as text, never as a formula.

Examples:

\b
  vastbus report
  vastbus report --html status.html
  vastbus report --out paket/ --scan /delad/områden --html status.html
  vastbus report --format csv --output utbildade.csv""")


SITE_HELP = N_("""Make the trainers' site: web pages in Swedish with every pack.

A start page (the edition in force, the course version, where to begin), one page per
district and audience (downloads, the agenda with minutes, the local additions and
contacts, thumbnails of the slides with --thumbnails) and the status per district.
Works from a file share, an intranet or GitHub Pages: no server, no scripts. Only
files that changed are written.

A pack built before the course or a district's local part last changed is still
published, but its page says so at the top and marks each such file; the command
then lists those packs and exits 1 (0 with --allow-stale). Thumbnails made by an
earlier run are kept when this one has no --thumbnails, and shown while they still
picture the deck; --clean removes them, and whatever else an earlier run made and
this one did not.

Examples:

\b
  vastbus build && vastbus site
  vastbus site --out /delad/webbplats --thumbnails
  vastbus site --packs /delad/paket --out webbplats/
  vastbus site --since HEAD~1    # "Nytt i denna version" since the commit before HEAD
  vastbus site --allow-stale     # publish packs older than the course, marked
  vastbus site --clean           # also remove thumbnails this run did not make""")


HELD_HELP = N_("""Record a training session held with a pack: when, how many.

Appends to curriculum/sessions/<year>.yaml, keeping its comments. The district,
audience, edition and course version come from the pack's stamp, so a record always
says which material was used. Counts only: no participant names (personal data).
'vastbus report' then shows when each group was last trained, and on which edition.

Examples:

\b
  vastbus held paket/angered/forskola --date 2026-11-20 --participants 14
  vastbus held paket/central/bvc/slides.pptx --date 2026-11-18 --participants 9 --trainer "Anna Berg\"""")


# --- vastbus new: scaffolds -----------------------------------------------------------------

NEW_HELP = N_("""Start a file or a workspace from a commented scaffold.

Three kinds: a district's local file, a new guideline edition, and a new municipality's
workspace, each of which vastbus check passes at once. Nothing is ever overwritten: an
existing file, or a folder that is not empty, is refused with its name (exit 2). Task
recipes: docs/recept.md.

Examples:

\b
  vastbus new local lundby
  vastbus new edition bou-halsa-2027 --in-force 2027-01-01
  vastbus new workspace "Härryda kommun\"""")


NEW_LOCAL_HELP = N_("""Write curriculum/local/<ID>/lokalt.yaml: a district's local part, every field explained.

ID is a district or city-area id from curriculum/districts.yaml (or its name). The file
is commented in Swedish (what each field is, who fills it in, what participants and
trainers see), is built on the edition in force, and holds examples marked 'Exempel':
a contact not yet confirmed and a routine. It passes vastbus check as written. An
existing file is never replaced (exit 2); --name writes another file in the folder.

Examples:

\b
  vastbus new local lundby
  vastbus new local västra-göteborg
  vastbus new local sydväst                  # shared by every district of the area
  vastbus new local angered --name rutiner.yaml""")


NEW_EDITION_HELP = N_("""Write guidelines/<ID>.yaml: a new guideline edition that supersedes the newest one.

Its sections and sources are copied word for word from the edition it supersedes, so
every fingerprint holds and its crosswalk (changes) starts empty; what a person must
fill in starts with "FYLL I". Terms, laws and claims are not copied: a later edition
inherits them through supersedes (copies would be duplicate ids). --in-force is
required: vastbus never guesses a date. Then change the sections the new text changes,
declare each change in changes, and follow "En ny version av riktlinjen" in
docs/recept.md (check, diff, upgrade, review).

Examples:

\b
  vastbus new edition bou-halsa-2027 --in-force 2027-01-01
  vastbus new edition bou-halsa-2027 --in-force 2027-01 --title "Samverkan för barns och ungas hälsa (2027)\"""")


NEW_WORKSPACE_HELP = N_("""Make a new municipality's workspace in DIR, copied from this one.

Copies the central course (course.yaml, modules, word list, schemas), the guideline
editions and the templates; leaves out local additions, session records, builds and
caches. Its own curriculum/districts.yaml lists the municipality as its one district
(a districts file needs one): --municipality names it (default: DIR's name) and
--district-id sets its id (default: made from the name). DIR must be new or empty; the
workspace appears whole or not at all. It checks and builds at once.

Examples:

\b
  vastbus new workspace "Härryda kommun"
  vastbus new workspace ../partille --municipality Partille
  vastbus new workspace /delad/mölndal --municipality "Mölndals stad" --district-id mölndal""")


# --- vastbus survey: the knowledge survey ---------------------------------------------------

SURVEY_HELP = N_("""Measure what the training changes: the same short survey before and after.

The survey is made from the course (the edition's misconceptions and a few quiz questions):
make writes it as a printable form, as a document Microsoft Forms can import and as an answer
sheet; import reads the answers a form tool exported and keeps counts only (never names,
e-mail addresses or times); report shows, per district and profession, the share answering
right before and after, with its uncertainty.

Examples:

\b
  vastbus survey make
  vastbus survey import "Kunskapsenkät före.xlsx" --phase före
  vastbus survey report --html enkät.html""")


SURVEY_MAKE_HELP = N_("""Write the survey as a printable form, a Microsoft Forms import document and an answer sheet.

Into DIR (default: paket/enkät/ in the workspace) it writes enkät.docx (the A4 form to print:
anonymous, district and profession as tick boxes, before or after), forms-import.docx (for
Microsoft Forms' quick import; docs/enkat.md has the steps), and svarsblad.csv and
svarsblad.xlsx (to type in paper answers, one row per respondent). It replaces only these four
files. If curriculum/survey.yaml is missing, it is first made from the edition in force and the
course; an existing survey is never replaced. Hand out the same survey before and after the
training, then read the answers with vastbus survey import.

Examples:

\b
  vastbus survey make
  vastbus survey make --out /delad/utbildning/enkät
  vastbus survey make -w ../vastbus-kurs""")


SURVEY_IMPORT_HELP = N_("""Count the answers of a survey export and store the counts under curriculum/surveys/.

FILE is what the form tool exported: Microsoft Forms (.xlsx), Google Forms, Netigate or
Esmaker (.csv, ',' or ';', with or without BOM), or the answer sheet. Columns are placed by
their heading: the two profile questions (district and profession) and each statement or
question of curriculum/survey.yaml, as the form asks them (a leading number, spaces and case
do not matter). The day comes from a timestamp column (Sluttid, Timestamp, …) or from --date.

Only counts are stored: per district, profession, phase, day and item, how many gave each
answer. Names, e-mail addresses, IDs, free text and times of day are dropped, and the
output names the columns it dropped. A column that looks like a question but is none of the
survey's, a missing column, an answer that is not one of an item's, or an unknown district
or profession is reported, all at once (exit 2), and nothing is written. The same export
is never imported twice.

Examples:

\b
  vastbus survey import "Kunskapsenkät före(1-14).xlsx" --phase före
  vastbus survey import svar.csv --phase efter --date 2026-12-03
  vastbus survey import svar.csv --phase efter --dry-run""")


# --- vastbus survey report (issue 31, point 4) ------------------------------------------------

SURVEY_REPORT_HELP = N_("""Show what staff know before and after the training, district by district.

Reads the survey's answers under curriculum/surveys/ (counts only) and shows, per item, the
share answering right for each district and profession, before and after, with the number who
answered and a 95 % interval (Wilson); "Vet inte" counts as not right. Groups where fewer than
5 answered are not shown (only counted in the totals). It also shows the spread between
districts per item and the misconception that persists most in each district, with the module
and slides that teach it. --html writes a page with tables and charts (no scripts), --docx a
summary for the steering group; --format json gives the numbers for a script.

Examples:

\b
  vastbus survey report
  vastbus survey report --html enkät.html --docx "Kunskapsenkät styrgrupp.docx"
  vastbus survey report --format json -o enkät.json""")
