"""The questionnaire: one section per page with a side menu, the full read-only view, item saves.

Item saves are htmx posts of one item's small form (never the whole page: no 1,000-field limit, no
lost work). The response updates only the item's status line and hidden revision, plus — out of band —
the profile panel and the progress figures, so what the person is typing is never replaced.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from assessments import selectors, services
from assessments.models import State
from assessments.selectors import assessment_structure
from companies.current import member_required
from companies.roles import ANSWER, role_can
from portal.access import member_assessment
from portal.assessments import presenters
from questionnaires.levels import NA_LEVEL

SAVED = "Enregistré"
BAD_REVISION = "La page est incomplète : rechargez-la avant de répondre."
CONFLICT = "{who} a enregistré une autre réponse le {when}."
# The same person saved the item meanwhile from another tab or window (or another device).
CONFLICT_OWN = (
    "Vous avez enregistré une autre réponse le {when}, depuis un autre onglet ou une autre fenêtre."
)
LEVEL_VALUES = 20


def _page_context(request, assessment, progress) -> dict:
    struct = assessment_structure(assessment)
    return {
        "assessment": assessment,
        "product": assessment.product_version.product,
        "progress": progress,
        "levels": presenters.level_scale(struct),
        "editable": assessment.is_editable and role_can(request.membership.role, ANSWER),
    }


@member_required
@require_GET
def assessment_section(request, public_id, index):
    assessment = member_assessment(request, public_id)
    if not assessment.qualification and assessment.is_editable:
        return redirect("portal:assessments:qualification", public_id=assessment.public_id)
    struct = assessment_structure(assessment)
    if not 0 <= index < len(struct.sections):
        raise Http404("Cette section n'existe pas.")
    progress = selectors.assessment_progress(assessment)
    section = struct.sections[index]
    items = [
        item
        for item in selectors.applicable_items(assessment)
        if struct.section_of_item[item["code"]] is section
    ]
    # Who saved what and when: for this section's items only (dates are costly to decode).
    answers = selectors.answer_data(assessment, item_ids=[item["id"] for item in items])
    page = _page_context(request, assessment, progress)
    rows = presenters.item_rows(
        assessment=assessment,
        struct=struct,
        items=items,
        answers=answers,
        # Reviewer comments reach the vendor only once an assessment is sent back: a first draft has none.
        comments=selectors.published_comments(assessment)
        if assessment.state == State.CHANGES_REQUESTED
        else None,
        viewer=request.user,
        editable=page["editable"],
    )
    sections = progress["sections"]
    context = page | {
        "section": sections[index],
        "menu": presenters.section_menu(assessment, progress, index),
        "items": presenters.items_html(rows, editable=page["editable"]),
        "previous": _neighbour(sections, index, -1),
        "next": _neighbour(sections, index, +1),
    }
    return render(request, "portal/assessments/assessment_section.html", context)


def _neighbour(sections, index, step):
    position = index + step
    while 0 <= position < len(sections):
        if sections[position]["total"]:
            return sections[position]
        position += step
    return None


@member_required
@require_GET
def assessment_full(request, public_id):
    """Every applicable item with its answer, read-only, in one page made for printing."""
    assessment = member_assessment(request, public_id)
    struct = assessment_structure(assessment)
    answers = selectors.answer_data(assessment)
    values = {item_id: (answer.level, answer.justification) for item_id, answer in answers.items()}
    progress = selectors.assessment_progress(assessment, values)
    applicable = {item["code"] for item in selectors.applicable_items(assessment)}
    groups = []
    for section, figures in zip(struct.sections, progress["sections"], strict=True):
        items = [item for item in section["items"] if item["code"] in applicable]
        if items:
            rows = presenters.item_rows(
                assessment=assessment,
                struct=struct,
                items=items,
                answers=answers,
                viewer=request.user,
                editable=False,
            )
            groups.append({"section": figures, "items": presenters.items_html(rows, editable=False)})
    context = _page_context(request, assessment, progress) | {"groups": groups, "editable": False}
    return render(request, "portal/assessments/assessment_full.html", context)


def _item_or_404(assessment, code):
    item = assessment_structure(assessment).items_by_code.get(code)
    if item is None:
        raise Http404("Cette exigence n'existe pas dans le questionnaire.")
    return item


@member_required(capability=ANSWER)
@require_GET
def item_fragment(request, public_id, code):
    """The item's markup with the answer as saved now (to take a colleague's answer after a conflict)."""
    assessment = member_assessment(request, public_id)
    item = _item_or_404(assessment, code)
    answers = selectors.answer_data(assessment, item_ids=[item["id"]])
    editable = _page_context(request, assessment, None)["editable"]
    rows = presenters.item_rows(
        assessment=assessment,
        struct=assessment_structure(assessment),
        items=[item],
        answers=answers,
        viewer=request.user,
        editable=editable,
    )
    context = {"rows": rows, "editable": editable}
    return render(request, presenters.ITEMS_TEMPLATE, context, using="jinja2")


@member_required(capability=ANSWER)
@require_POST
def answer_save(request, public_id, code):
    data = request.POST
    level = data.get("level", "")[:LEVEL_VALUES]
    context = {"anchor": presenters.anchor(code), "code": code}
    try:
        revision = int(data.get("revision", ""))
    except ValueError:
        revision = None
    try:
        # The access check is the row lock of the save: one query for both.
        with transaction.atomic():
            assessment = member_assessment(request, public_id, related=False, for_update=True)
            item = _item_or_404(assessment, code)
            context["assessment"] = assessment
            if revision is None:
                return _respond(request, context | {"status": "error", "errors": [BAD_REVISION]})
            saved = services.answer_save(
                assessment=assessment,
                item_code=code,
                level=level,
                justification=data.get("justification", ""),
                comment=data.get("comment", ""),
                expected_revision=revision,
                actor=request.user,
                locked=True,
            )
    except services.AnswerConflict as conflict:
        struct = assessment_structure(assessment)
        row = presenters.item_row(
            item,
            selectors.answer_data_of(conflict.answer),
            labels=presenters.level_labels(struct),
            viewer=request.user,
        )
        own = conflict.answer.updated_by_id == request.user.pk
        who = row["saved_by"]
        message = (
            CONFLICT_OWN.format(when=row["saved_at"])
            if own
            else CONFLICT.format(who=who[:1].upper() + who[1:], when=row["saved_at"])
        )
        context |= {"status": "conflict", "theirs": row, "message": message, "own": own}
        return _respond(request, context)
    except ValidationError as error:
        return _respond(request, context | {"status": "error", "errors": error.messages})
    answer = saved.answer
    progress = selectors.assessment_progress(assessment, saved.values)
    section_code = assessment_structure(assessment).section_of_item[code]["code"]
    context |= {
        "status": "saved",
        "message": SAVED,
        "revision": answer.revision,
        "complete": selectors.is_complete(answer.level, answer.justification),
        "na_unjustified": answer.level == NA_LEVEL and not answer.justification,
        "progress": progress,
        "section": next(s for s in progress["sections"] if s["code"] == section_code),
        "oob": True,
    }
    return _respond(request, context)


def _respond(request, context):
    return render(request, "portal/assessments/includes/answer_response.html", context)
