"""What each rule of ``vastbus check`` means and how to fix it: for SARIF's rule help and other tools.

The meanings are the README's rules table, one entry per rule id; the fixes are per rule
family. A test holds the table, this catalogue and the rules the checks emit together.
"""

from __future__ import annotations

from dataclasses import dataclass

#: What a finding of each rule means.
MEANINGS: dict[str, str] = {
    "a11y/alt-is-file-name": "accessibility",
    "a11y/missing-alt": "accessibility",
    "a11y/missing-title": "accessibility",
    "audience/unknown": "a reference inside the curriculum does not resolve",
    "claim/misconception": "a known misconception, e.g. that SIP is only for the most complex cases",
    "claim/unknown": "a reference inside the curriculum does not resolve",
    "course/unknown-module": "the course lists a module with no file / a module file is not in the course",
    "course/unlisted-module": "the course lists a module with no file / a module file is not in the course",
    "diagram/items": "a slide names a diagram no module declares, a diagram has too few or too many boxes, or a step the tracker does not have",
    "diagram/no-tracker": "a slide names a diagram no module declares, a diagram has too few or too many boxes, or a step the tracker does not have",
    "diagram/step": "a slide names a diagram no module declares, a diagram has too few or too many boxes, or a step the tracker does not have",
    "diagram/unknown": "a slide names a diagram no module declares, a diagram has too few or too many boxes, or a step the tracker does not have",
    "discusses/unknown": "`discusses` names an unknown id / a term the text never uses",
    "discusses/unused": "`discusses` names an unknown id / a term the text never uses",
    "district/unknown-area": "a district names an `area` that `areas:` does not declare",
    "session/future-date": "a training record is dated after today: a session is recorded once it is held",
    "session/unknown-audience": "a training record names an audience the course does not have",
    "session/unknown-district": "a training record names a district that `districts.yaml` does not have",
    "session/unknown-edition": "a training record names an edition that `guidelines/` does not have",
    "session/wrong-year": "a training record is in the file of another year",
    "edition/newer": "`built_on` names an unknown edition / one newer than the one checked",
    "edition/outdated": "material is built on an older edition: an error where a cited section changed or the edition was replaced by another kind of document, a warning where nothing it cites changed",
    "edition/unknown": "`built_on` names an unknown edition / one newer than the one checked",
    "file/empty": "the file cannot be read as UTF-8 YAML: it is binary, too large, missing, a broken link or a link loop, or a pipe, socket or device",
    "file/encoding": "the file cannot be read as UTF-8 YAML: it is binary, too large, missing, a broken link or a link loop, or a pipe, socket or device",
    "file/missing": "the file cannot be read as UTF-8 YAML: it is binary, too large, missing, a broken link or a link loop, or a pipe, socket or device",
    "file/not-regular": "the file cannot be read as UTF-8 YAML: it is binary, too large, missing, a broken link or a link loop, or a pipe, socket or device",
    "file/not-text": "the file cannot be read as UTF-8 YAML: it is binary, too large, missing, a broken link or a link loop, or a pipe, socket or device",
    "file/too-large": "the file cannot be read as UTF-8 YAML: it is binary, too large, missing, a broken link or a link loop, or a pipe, socket or device",
    "file/unreadable": "the file cannot be read as UTF-8 YAML: it is binary, too large, missing, a broken link or a link loop, or a pipe, socket or device",
    "guideline/bad-crosswalk": "a guideline edition is inconsistent: crosswalk entries naming unknown sections, an `unverified` change without saying what is not known, a changed section the crosswalk does not declare, a claim that fails its own examples; `guideline/later-date` (warning) when a section's text mentions a year after the edition became valid, `guideline/update-date` when an `updates` entry predates it",
    "guideline/claim-example": "a guideline edition is inconsistent: crosswalk entries naming unknown sections, an `unverified` change without saying what is not known, a changed section the crosswalk does not declare, a claim that fails its own examples; `guideline/later-date` (warning) when a section's text mentions a year after the edition became valid, `guideline/update-date` when an `updates` entry predates it",
    "guideline/file-name": "a guideline edition is inconsistent: crosswalk entries naming unknown sections, an `unverified` change without saying what is not known, a changed section the crosswalk does not declare, a claim that fails its own examples; `guideline/later-date` (warning) when a section's text mentions a year after the edition became valid, `guideline/update-date` when an `updates` entry predates it",
    "guideline/later-date": "a guideline edition is inconsistent: crosswalk entries naming unknown sections, an `unverified` change without saying what is not known, a changed section the crosswalk does not declare, a claim that fails its own examples; `guideline/later-date` (warning) when a section's text mentions a year after the edition became valid, `guideline/update-date` when an `updates` entry predates it",
    "guideline/term-pattern": "a guideline edition is inconsistent: crosswalk entries naming unknown sections, an `unverified` change without saying what is not known, a changed section the crosswalk does not declare, a claim that fails its own examples; `guideline/later-date` (warning) when a section's text mentions a year after the edition became valid, `guideline/update-date` when an `updates` entry predates it",
    "guideline/undeclared-change": "a guideline edition is inconsistent: crosswalk entries naming unknown sections, an `unverified` change without saying what is not known, a changed section the crosswalk does not declare, a claim that fails its own examples; `guideline/later-date` (warning) when a section's text mentions a year after the edition became valid, `guideline/update-date` when an `updates` entry predates it",
    "guideline/undeclared-new": "a guideline edition is inconsistent: crosswalk entries naming unknown sections, an `unverified` change without saying what is not known, a changed section the crosswalk does not declare, a claim that fails its own examples; `guideline/later-date` (warning) when a section's text mentions a year after the edition became valid, `guideline/update-date` when an `updates` entry predates it",
    "guideline/undeclared-removal": "a guideline edition is inconsistent: crosswalk entries naming unknown sections, an `unverified` change without saying what is not known, a changed section the crosswalk does not declare, a claim that fails its own examples; `guideline/later-date` (warning) when a section's text mentions a year after the edition became valid, `guideline/update-date` when an `updates` entry predates it",
    "guideline/unknown-section": "a guideline edition is inconsistent: crosswalk entries naming unknown sections, an `unverified` change without saying what is not known, a changed section the crosswalk does not declare, a claim that fails its own examples; `guideline/later-date` (warning) when a section's text mentions a year after the edition became valid, `guideline/update-date` when an `updates` entry predates it",
    "guideline/unknown-supersedes": "a guideline edition is inconsistent: crosswalk entries naming unknown sections, an `unverified` change without saying what is not known, a changed section the crosswalk does not declare, a claim that fails its own examples; `guideline/later-date` (warning) when a section's text mentions a year after the edition became valid, `guideline/update-date` when an `updates` entry predates it",
    "guideline/update-date": "a guideline edition is inconsistent: crosswalk entries naming unknown sections, an `unverified` change without saying what is not known, a changed section the crosswalk does not declare, a claim that fails its own examples; `guideline/later-date` (warning) when a section's text mentions a year after the edition became valid, `guideline/update-date` when an `updates` entry predates it",
    "id/duplicate": "an id is used twice",
    "image/broken": "a picture is cut short or damaged (every picture is decoded in full), has a zero width or height, or is over 40 megapixels",
    "image/too-large": "a picture is cut short or damaged (every picture is decoded in full), has a zero width or height, or is over 40 megapixels",
    "local/district-mismatch": "a local addition is filed or placed wrongly, or names neither or both of `district:` and `area:`",
    "local/missing-after": "a local addition is filed or placed wrongly, or names neither or both of `district:` and `area:`",
    "local/missing-notes": "a local slide or routine has no speaker notes (it is often presented by someone who did not write it)",
    "local/unknown-district": "a local addition is filed or placed wrongly, or names neither or both of `district:` and `area:`",
    "local/unknown-module": "a local addition is filed or placed wrongly, or names neither or both of `district:` and `area:`",
    "path/missing-file": "an image path leaves the workspace, does not exist or is not a PNG, JPEG or GIF",
    "path/not-an-image": "an image path leaves the workspace, does not exist or is not a PNG, JPEG or GIF",
    "path/outside-workspace": "an image path leaves the workspace, does not exist or is not a PNG, JPEG or GIF",
    "pattern/too-slow": "a term's or claim's pattern backtracked past its time budget (0.25 s per batch of text) and was stopped, so it was not checked from there on: simplify it",
    "quiz/answer": "a reference inside the curriculum does not resolve",
    "quiz/answer-skew": "one answer position holds more than 40 % of the course's right answers (the message gives the distribution), or every yes/no item has the same answer",
    "quiz/contradiction": "a statement that is the right answer of one item is a wrong option of another, or an item offers an option twice",
    "quiz/duplicate-option": "a statement that is the right answer of one item is a wrong option of another, or an item offers an option twice",
    "quiz/duplicate-question": "the same (or nearly the same) question is asked in two places in the course",
    "ref/attribution": 'text credits a rule to "överenskommelsen", "lagen", "SIP-riktlinjen" or "stödmaterialet" ("enligt …", "… säger", "står i …"), but the item\'s refs cite no section resting on that (`basis`); a warning when the item cites nothing',
    "ref/changed-section": "the cited section was withdrawn, or changed substantively, split or merged since",
    "ref/outdated-edition": "the reference only needs restamping (`vastbus upgrade`)",
    "ref/renamed-section": "the reference only needs restamping (`vastbus upgrade`)",
    "ref/suspect": "the section's text changed after the reference was reviewed",
    "ref/unknown-edition": "a reference names a section or edition that does not exist",
    "ref/unknown-section": "a reference names a section or edition that does not exist",
    "ref/unrelated-edition": "a reference names an edition that is not an earlier edition of the one in force (another line of documents)",
    "ref/unreviewed": "the reference has no `reviewed` record",
    "ref/unverified-section": "what became of the cited section in the edition in force is not known (crosswalk `unverified`): teach it as the old text, say its status is not verified and whom to ask",
    "ref/withdrawn-section": "the cited section was withdrawn, or changed substantively, split or merged since",
    "schema/missing": "the file does not have the expected fields",
    "schema/modeline": "a YAML file's `# yaml-language-server: $schema=…` line names a schema file that does not exist, or the schema of another kind of file",
    "schema/stale": "a schema in `curriculum/schemas/` is missing or older than the models, so editors complete and check outdated fields: run `vastbus schema`",
    "schema/type": "the file does not have the expected fields",
    "schema/unknown-key": "the file does not have the expected fields",
    "schema/value": "the file does not have the expected fields",
    "slide/layout": "a reference inside the curriculum does not resolve",
    "slide/quote-source": "the quote layout is used without a `source`: it is for real quotes only",
    "slide/thin": "a content slide holds a single one-line bullet",
    "spelling/unknown-word": "with `--spelling`: a word that is neither in the Swedish dictionary nor in `curriculum/ordlista.txt`",
    "template/missing": "a template lacks what the writers need: a part (notes master, slide master, theme, styles, body …) is missing, or cannot be decompressed or parsed, or declares a DTD",
    "template/missing-layout": "a template lacks what the writers need: a part (notes master, slide master, theme, styles, body …) is missing, or cannot be decompressed or parsed, or declares a DTD",
    "template/missing-part": "a template lacks what the writers need: a part (notes master, slide master, theme, styles, body …) is missing, or cannot be decompressed or parsed, or declares a DTD",
    "template/missing-placeholder": "a template lacks what the writers need: a part (notes master, slide master, theme, styles, body …) is missing, or cannot be decompressed or parsed, or declares a DTD",
    "template/missing-style": "a template lacks what the writers need: a part (notes master, slide master, theme, styles, body …) is missing, or cannot be decompressed or parsed, or declares a DTD",
    "template/unreadable": "a template lacks what the writers need: a part (notes master, slide master, theme, styles, body …) is missing, or cannot be decompressed or parsed, or declares a DTD",
    "term/outdated": 'outdated wording, e.g. "Västbusmöte" → "SIP-möte", "HSL 3 f §" → "16 kap. 4 § HSL"',
    "text/punctuation": "two full stops, a doubled quotation mark or a space before punctuation in the course text (the packs write Swedish quotation marks ”…” whatever was typed)",
    "track/audience-missing": "a track names material that does not exist, or an audience is in two tracks or none",
    "track/audience-twice": "a track names material that does not exist, or an audience is in two tracks or none",
    "track/misconception-missing": "a track leaves out every slide and question that corrects one of the guidelines' misconceptions",
    "track/over-budget": "a track's minutes (welcome, modules, breaks, closing, and a district's local part) exceed its budget",
    "track/unknown-module": "a track names material that does not exist, or an audience is in two tracks or none",
    "track/unknown-objective": "a track names material that does not exist, or an audience is in two tracks or none",
    "track/unknown-quiz": "a track names material that does not exist, or an audience is in two tracks or none",
    "track/unknown-slide": "a track names material that does not exist, or an audience is in two tracks or none",
    "yaml/duplicate-key": "the file is not plain YAML, or is nested or aliased beyond reason",
    "yaml/syntax": "the file is not plain YAML, or is nested or aliased beyond reason",
    "yaml/tab": "the file is not plain YAML, or is nested or aliased beyond reason",
    "yaml/too-complex": "the file is not plain YAML, or is nested or aliased beyond reason",
    "yaml/too-deep": "the file is not plain YAML, or is nested or aliased beyond reason",
    "yaml/unsupported-tag": "the file is not plain YAML, or is nested or aliased beyond reason",
    "law/repealed": "a sentence cites a law past its end date (the editions' `laws`), e.g. socialtjänstlagen (2001:453) after 30 juni 2025, without saying that it applied until then",
    "xref/plain-text": 'a text points to another module, slide or step in words ("tas upp i modulen om …", "i SIP-processen, steg 1"), which a track may leave out: use the slide\'s `see:`',
    "xref/unknown-target": "a slide's `see:` names a module or slide that does not exist",
    "hedge/on-slide": 'a source hedge or trainer instruction ("har inte kunnat bekräftas", "Ange inget paragrafnummer", "kommer från SKR") in what participants see: slide titles, bullets, columns, diagrams, quiz questions and options',
    "quiz/repeats-answer": 'an explanation starts with the answer ("Ja.", "Nej."), which the answer key already writes ("Rätt svar: Ja. Ja.")',
    "quiz/longest-right": "the right option is the longest in more than 40 % of the course's multiple-choice items, so length gives the answer away",
    "quiz/stem-predicts": 'yes/no questions asked the same way (the first word of the question: "Stämmer det?", "Kan …?") are answered Ja, or Nej, in under 40 % or over 60 % of the cases (at least 3 items; a difference of one item counts as even)',
    "quiz/weak-distractor": "a wrong option is under a third of the right option's length, so it is easy to rule out",
    "track/misconception-unquizzed": "a track asks no quiz question on a misconception the guidelines mark `quizzed` (the ones the districts asked the course to correct)",
}

#: How to fix a finding, per rule family (the part before the slash).
FIXES: dict[str, str] = {
    "yaml": "Make the file plain YAML: spaces instead of tabs, each key once, no tags or deep aliases. "
    "The finding names the line.",
    "file": "Save the file as UTF-8 text, restore it if it is missing, or replace a link, pipe or device with "
    "a regular file.",
    "schema": "Use the fields the data format describes (README, Data formats): fix the misspelt key, add the "
    "missing one, or give the value the type shown. For schema/stale run vastbus schema in the workspace and commit "
    "the schemas; for schema/modeline make the file's first line name its kind's schema, as the hint shows.",
    "id": "Give each item its own id; ids are lower case letters, digits and dashes.",
    "course": "List the module in curriculum/course.yaml, or add the module file it names.",
    "audience": "Use an audience id the course declares.",
    "claim": "Correct the text as the hint says. If the slide quotes the misconception in order to correct it, "
    "add the claim id to the slide's discusses list.",
    "quiz": "Ask each question once, give each right answer once, and spread the right answers over the positions. "
    "Start an explanation with the reason, not the answer; write wrong options someone could believe, as long and "
    "as specific as the right one; turn some yes/no statements around so that the wording does not give the answer.",
    "law": "Say that the law applied until its end date ('gällde 1 januari 2010–30 juni 2025'), and name what "
    "replaced it; mark what is not confirmed about the new law unverified, in the notes.",
    "xref": "Move the pointer into the slide's see: list (module, slide, text, otherwise): the packs write it only "
    "where they teach the target. Name a module and slide that exist.",
    "hedge": "Say on the slide what is known, plainly; move source hedges and instructions to the trainer into the "
    "speaker notes and the unverified fields.",
    "slide": "Give a quote slide its source, and give a content slide more than one short bullet or another layout.",
    "ref": "Check the text against the section in the edition in force; then run vastbus review (restamp) or "
    "vastbus upgrade, or cite the section that now says it.",
    "edition": "Move the material to the edition in force with vastbus upgrade after checking what changed "
    "(vastbus diff).",
    "term": "Use the current wording the hint gives; add the term id to discusses if the text quotes the old "
    "word on purpose.",
    "spelling": "Correct the word, or add it to curriculum/ordlista.txt if it is a real term.",
    "text": "Write one full stop, one quotation mark on each side, and no space before punctuation.",
    "discusses": "Name an existing term or claim in discusses, or remove the entry the text no longer needs.",
    "pattern": "Simplify the term's or claim's pattern: avoid nested repetition such as (\\w+\\s?)+.",
    "local": "File the local addition under curriculum/local/<district or area>/, name exactly one of "
    "district: and area:, place it after a module the course has, and give local slides speaker notes.",
    "district": "Declare the area under areas: in curriculum/districts.yaml, or name one that is declared.",
    "session": "Record sessions with 'vastbus held PACK --date … --participants N', which takes the district, "
    "audience and edition from the pack; correct a hand-made record to name what the workspace has.",
    "track": "Fit the track within its budget, name only material that exists, put each audience in one "
    "track, keep at least one slide or question that corrects each misconception, and a quiz question on each "
    "misconception marked quizzed.",
    "diagram": "Name a diagram a module declares, give it the number of boxes its kind needs, and a step its "
    "tracker has.",
    "a11y": "Give every slide a title and every picture a text alternative that says what it shows.",
    "path": "Keep pictures inside the workspace, as PNG, JPEG or GIF files that exist.",
    "image": "Replace the picture with one that opens and is under 40 megapixels.",
    "template": "Restore the template from the repository (python templates/make_templates.py), or re-save it "
    "with the layouts, placeholders and styles the README lists.",
    "guideline": "Fix the guideline edition file: declare every change in the crosswalk, cite sections that "
    "exist, and make each claim match its own examples.",
}

#: Rule families, as tags for code scanning.
TAGS: dict[str, tuple[str, ...]] = {
    "claim": ("content", "misconception"),
    "term": ("content", "wording"),
    "ref": ("content", "traceability"),
    "edition": ("content", "traceability"),
    "guideline": ("guidelines",),
    "quiz": ("content", "quiz"),
    "law": ("content", "wording"),
    "xref": ("content", "structure"),
    "hedge": ("content", "wording"),
    "spelling": ("content", "language"),
    "text": ("content", "language"),
    "a11y": ("accessibility",),
    "template": ("templates",),
}


@dataclass(frozen=True)
class RuleHelp:
    """One rule as a tool shows it: what it means, how to fix it, and its family."""

    id: str
    meaning: str
    fix: str
    family: str

    @property
    def tags(self) -> tuple[str, ...]:
        """Tags for code scanning: the family and what kind of problem it is."""
        return (self.family, *TAGS.get(self.family, ("structure",)))

    @property
    def markdown(self) -> str:
        """Help text in Markdown, as code scanning shows it."""
        return f"**{self.id}**: {self.meaning}.\n\n**How to fix it:** {self.fix}"


def rule_help(rule: str) -> RuleHelp:
    """What a rule means and how to fix it; a rule the catalogue lacks still gets its family's fix."""
    family = rule.split("/", 1)[0]
    meaning = MEANINGS.get(rule, f"a finding of the {family} rules")
    fix = FIXES.get(family, "See the finding's hint and the README's rules table.")
    return RuleHelp(rule, meaning.replace("`", ""), fix, family)


__all__ = ["FIXES", "MEANINGS", "RuleHelp", "rule_help"]
