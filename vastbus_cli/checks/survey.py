"""The knowledge survey: its items still match the course, its results name what the workspace has.

``curriculum/survey.yaml``: each statement tests a misconception of the edition in force, each
question repeats a quiz question as the module asks it today, and the survey is made from the
edition in force. A statement whose claim was reworded in the edition while the item kept its
own text is only noted (``survey/reworded``, info): the item is the survey's own wording, and
keeping it keeps the answers before and after comparable; the note asks to read both.

``curriculum/surveys/**.yaml``: each results file names the survey, its items, a known district
(or city area) and audience, and only answers the item takes. Counts that do not add up to the
respondents are refused when the file is loaded (``schema/…``).
"""

from __future__ import annotations

from collections.abc import Iterator

from vastbus_cli.checks.context import Context
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _
from vastbus_cli.models import Claim, Survey, SurveyItem
from vastbus_cli.models.survey import BLANK
from vastbus_cli.rules import ERROR, INFO, SURVEY, WARNING, Rule
from vastbus_cli.workspace import Document

SURVEY_STALE_ITEM = Rule(
    "survey/stale-item",
    WARNING,
    SURVEY,
    N_(
        "a survey item no longer matches the course: its misconception left the edition in force (or is not "
        "confirmed), or its quiz question is gone or was changed"
    ),
)
SURVEY_REWORDED = Rule(
    "survey/reworded",
    INFO,
    SURVEY,
    N_("the misconception a statement tests was reworded in the edition; the statement kept its own text"),
)
SURVEY_OUTDATED = Rule("survey/outdated", WARNING, SURVEY, N_("the survey was made from an older edition"))
SURVEY_UNKNOWN_EDITION = Rule(
    "survey/unknown-edition", ERROR, SURVEY, N_("the survey names an edition that `guidelines/` does not have")
)
SURVEY_UNKNOWN_SURVEY = Rule(
    "survey/unknown-survey", ERROR, SURVEY, N_("a results file names a survey other than `curriculum/survey.yaml`")
)
SURVEY_UNKNOWN_ITEM = Rule(
    "survey/unknown-item", ERROR, SURVEY, N_("a results file names an item the survey does not have")
)
SURVEY_UNKNOWN_ANSWER = Rule(
    "survey/unknown-answer", ERROR, SURVEY, N_("a results file counts an answer the item does not take")
)
SURVEY_UNKNOWN_DISTRICT = Rule(
    "survey/unknown-district",
    ERROR,
    SURVEY,
    N_("a results file names a district or city area that `districts.yaml` does not have"),
)
SURVEY_UNKNOWN_AUDIENCE = Rule(
    "survey/unknown-audience", ERROR, SURVEY, N_("a results file names an audience the course does not have")
)
RULES: tuple[Rule, ...] = (
    SURVEY_STALE_ITEM,
    SURVEY_REWORDED,
    SURVEY_OUTDATED,
    SURVEY_UNKNOWN_EDITION,
    SURVEY_UNKNOWN_SURVEY,
    SURVEY_UNKNOWN_ITEM,
    SURVEY_UNKNOWN_ANSWER,
    SURVEY_UNKNOWN_DISTRICT,
    SURVEY_UNKNOWN_AUDIENCE,
)


def check_survey(ctx: Context) -> Iterator[Finding]:
    """The survey against the course and the edition in force, then every results file against the survey."""
    doc = ctx.workspace.survey
    survey = doc.model if doc is not None else None
    if doc is not None and survey is not None:
        yield from _check_edition(ctx, doc, survey)
        yield from _check_items(ctx, doc, survey)
    yield from _check_results(ctx, survey)


def _check_edition(ctx: Context, doc: Document[Survey], survey: Survey) -> Iterator[Finding]:
    base = ctx.editions.get(survey.built_on)
    if base is None:
        yield ctx.unknown(
            SURVEY_UNKNOWN_EDITION,
            _("the survey names unknown edition '{built_on}'").format(built_on=survey.built_on),
            doc,
            ("built_on",),
            survey.built_on,
            ctx.editions.ids,
            otherwise=_("known editions: {items}").format(items=", ".join(ctx.editions.ids)),
        )
    elif base.id != ctx.current.id and ctx.editions.rank(base.id) < ctx.editions.rank(ctx.current.id):
        yield ctx.finding(
            SURVEY_OUTDATED,
            Severity.WARNING,
            _("the survey was made from {base} but the current edition is {current}").format(
                base=base.id, current=ctx.current.id
            ),
            doc,
            ("built_on",),
            hint=_(
                "make a new survey for {current}: rename curriculum/survey.yaml (answers already imported keep "
                "their survey id), then run 'vastbus survey make'"
            ).format(current=ctx.current.id),
        )


def _claims_in_force(ctx: Context) -> dict[str, Claim]:
    """The claims of the edition in force: a later edition's claim replaces an earlier one of the same id."""
    claims: dict[str, Claim] = {}
    for edition in ctx.editions.lineage(ctx.current.id):
        for claim in edition.claims:
            claims[claim.id] = claim
    return claims


def _check_items(ctx: Context, doc: Document[Survey], survey: Survey) -> Iterator[Finding]:
    claims = _claims_in_force(ctx)
    for index, item in enumerate(survey.items):
        where = ("items", index)
        if item.claim is not None:
            yield from _check_statement(ctx, doc, item, claims.get(item.claim), where)
        elif item.quiz is not None:
            problem = _quiz_problem(ctx, item)
            if problem is not None:
                yield _stale(ctx, doc, item, problem, (*where, "quiz"))


def _stale(ctx: Context, doc: Document[Survey], item: SurveyItem, why: str, loc: tuple[object, ...]) -> Finding:
    return ctx.finding(
        SURVEY_STALE_ITEM,
        Severity.WARNING,
        _("survey item '{item}' no longer matches the course: {why}").format(item=item.id, why=why),
        doc,
        loc,
        hint=_(
            "give the item a new id and make it match the course, or remove it; answers already "
            "imported keep the old id"
        ),
    )


def _check_statement(
    ctx: Context, doc: Document[Survey], item: SurveyItem, claim: Claim | None, where: tuple[object, ...]
) -> Iterator[Finding]:
    if claim is None:
        why = _("the edition in force ({edition}) no longer has the misconception '{claim}'").format(
            edition=ctx.current.id, claim=item.claim
        )
        yield _stale(ctx, doc, item, why, (*where, "claim"))
        return
    if claim.unverified:
        why = _("the misconception '{claim}' is marked unverified in the edition in force").format(claim=claim.id)
        yield _stale(ctx, doc, item, why, (*where, "claim"))
        return
    from vastbus_cli.survey.define import first_sentence

    source = claim.misconception if item.right == "stammer-inte" else first_sentence(claim.correct)
    if item.text != source and item.text not in (claim.misconception, claim.correct):
        yield ctx.finding(
            SURVEY_REWORDED,
            Severity.INFO,
            _("survey item '{item}': the edition now words '{claim}' as: {text}").format(
                item=item.id, claim=claim.id, text=source
            ),
            doc,
            (*where, "text"),
            hint=_("check that the item still says the same; if not, give it a new id and the new text"),
        )


def _quiz_problem(ctx: Context, item: SurveyItem) -> str | None:
    """Why a question no longer repeats its quiz question, or None if it does."""
    module_id, _slash, quiz_id = (item.quiz or "").partition("/")
    module = next((d.model for d in ctx.workspace.modules if d.model is not None and d.model.id == module_id), None)
    if module is None:
        return _("the module '{module}' does not exist").format(module=module_id)
    quiz = next((q for q in module.quiz if q.id == quiz_id), None)
    if quiz is None:
        return _("the module '{module}' has no quiz question '{quiz}'").format(module=module_id, quiz=quiz_id)
    if quiz.question != item.text:
        return _("the quiz question '{quiz}' now reads: {text}").format(quiz=item.quiz, text=quiz.question)
    if list(quiz.options) != item.options:
        return _("the options of the quiz question '{quiz}' changed").format(quiz=item.quiz)
    if str(quiz.answer) != item.right:
        return _("the right answer of the quiz question '{quiz}' is now option {answer}").format(
            quiz=item.quiz, answer=quiz.answer
        )
    return None


def _check_results(ctx: Context, survey: Survey | None) -> Iterator[Finding]:
    course = ctx.workspace.course.model if ctx.workspace.course else None
    districts_doc = ctx.workspace.districts.model if ctx.workspace.districts else None
    districts = (
        [*(d.id for d in districts_doc.districts), *(a.id for a in districts_doc.areas)] if districts_doc else None
    )
    audiences = [a.id for a in course.audiences] if course else None
    for doc in ctx.workspace.survey_results:
        results = doc.model
        if results is None:
            continue
        if survey is None or results.survey != survey.id:
            known = [survey.id] if survey is not None else []
            yield ctx.unknown(
                SURVEY_UNKNOWN_SURVEY,
                _("the results are of survey '{survey}', which curriculum/survey.yaml is not").format(
                    survey=results.survey
                ),
                doc,
                ("survey",),
                results.survey,
                known,
                otherwise=_("import answers with 'vastbus survey import', which names the survey in force"),
            )
            continue
        for index, group in enumerate(results.groups):
            where = ("groups", index)
            yield from ctx.unknown_ids(
                doc,
                where,
                (
                    (
                        SURVEY_UNKNOWN_DISTRICT,
                        "district",
                        group.district,
                        districts,
                        _("the results name district '{value}', which the workspace does not have"),
                    ),
                    (
                        SURVEY_UNKNOWN_AUDIENCE,
                        "audience",
                        group.audience,
                        audiences,
                        _("the results name audience '{value}', which the workspace does not have"),
                    ),
                ),
            )
            for item_id, counts in group.answers.items():
                item = survey.item(item_id)
                if item is None:
                    yield ctx.unknown(
                        SURVEY_UNKNOWN_ITEM,
                        _("the results count answers to item '{item}', which the survey does not have").format(
                            item=item_id
                        ),
                        doc,
                        (*where, "answers", item_id),
                        item_id,
                        [i.id for i in survey.items],
                        otherwise=_("the survey's items are listed in curriculum/survey.yaml"),
                    )
                    continue
                allowed = [*item.answers(), BLANK]
                for answer in counts:
                    if answer not in allowed:
                        yield ctx.finding(
                            SURVEY_UNKNOWN_ANSWER,
                            Severity.ERROR,
                            _("item '{item}' takes the answers {answers}, not '{answer}'").format(
                                item=item_id, answers=", ".join(allowed), answer=answer
                            ),
                            doc,
                            (*where, "answers", item_id, answer),
                        )
