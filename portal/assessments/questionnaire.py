"""The questionnaire: one section per page with a side menu, the full read-only view, item saves.

Item saves are htmx posts of one item's small form (never the whole page: no 1,000-field limit, no
lost work). The response updates only the item's status line and hidden revision, plus — out of band —
the profile panel and the progress figures, so what the person is typing is never replaced.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from assessments import interchange, selectors, services
from assessments.selectors import assessment_structure
from companies.current import member_required
from companies.roles import ANSWER, role_can
from helpcentre.selectors import entry_links_for_items
from instruction import services as instruction
from instruction.selectors import vendor_threads
from portal.access import member_assessment
from portal.assessments import presenters
from portal.proofs.presenters import attach_proof_links
from questionnaires.levels import NA_LEVEL

SAVED = "Enregistré"
# After SAVED, when the item's sworn declaration still lacks a part (submission would refuse it).
DECLARATION_INCOMPLETE = "déclaration sur l'honneur incomplète : indiquez {missing}."
BAD_REVISION = "La page est incomplète : rechargez-la avant de répondre."
BAD_DATE = "La date de la déclaration n'est pas une date valide (jour, mois, année)."
CONFLICT = "{who} a enregistré une autre réponse le {when}."
# The same person saved the item meanwhile from another tab or window (or another device).
CONFLICT_OWN = (
    "Vous avez enregistré une autre réponse le {when}, depuis un autre onglet ou une autre fenêtre."
)
LEVEL_VALUES = 20
ANSWER_RESPONSE_TEMPLATE = "questionnaire/answer_response.html"
SECTION_CONTENT_TEMPLATE = "questionnaire/section_page.html"
# ?filtre=commentes: only the items the reviewer remarked on.
COMMENTED_FILTER = "commentes"
REPLIED = "Votre réponse est enregistrée ; l'instructeur la lira avec votre nouvelle soumission."


def _page_context(request, assessment, progress) -> dict:
    return {
        "assessment": assessment,
        "product": assessment.product_version.product,
        "progress": progress,
        "editable": assessment.is_editable and role_can(request.membership.role, ANSWER),
    }


def _reply_to(request, assessment, editable: bool) -> dict | None:
    """Where a reply to the reviewer's remarks goes, when the person may reply (``editable``; pass
    False when no remark is shown: the CSRF token costs a random string)."""
    if not editable:
        return None
    url = reverse("portal:assessments:comment_reply", args=[assessment.public_id])
    return {"url": url, "csrf_token": get_token(request)}


@member_required(per_object=True)
@require_GET
def assessment_section(request, public_id, index):
    assessment = member_assessment(request, public_id, among=True)
    if not assessment.qualification and assessment.is_editable:
        return redirect("portal:assessments:qualification", public_id=assessment.public_id)
    struct = assessment_structure(assessment)
    if not 0 <= index < len(struct.sections):
        raise Http404("Cette section n'existe pas.")
    section = struct.sections[index]
    threads = vendor_threads(assessment)
    section_items = list(selectors.applicable_by_section(assessment)[index])
    commented = [item for item in section_items if item["id"] in threads]
    only_commented = request.GET.get("filtre") == COMMENTED_FILTER and bool(threads)
    items = commented if only_commented else section_items
    # Every answer in one query: the progress figures count them all, the items shown say who saved
    # them and when.
    answers = selectors.answer_data_shown(
        assessment, [item["id"] for item in items], viewer_id=request.user.pk
    )
    progress = selectors.assessment_progress(assessment, selectors.answer_values_of(answers))
    page = _page_context(request, assessment, progress)
    rows = presenters.item_rows(
        assessment=assessment,
        struct=struct,
        items=items,
        answers=answers,
        comments=threads,
        viewer=request.user,
        editable=page["editable"],
        reply_to=_reply_to(request, assessment, bool(threads) and role_can(request.membership.role, ANSWER)),
        help_links=entry_links_for_items((item["code"] for item in items), version_id=struct.version_id),
    )
    attach_proof_links(rows, assessment=assessment, items=items, section_id=section["id"])
    sections = progress["sections"]
    menu = presenters.section_menu(assessment, progress, index)
    header = presenters.assessment_header(assessment, page["product"], sections[index]["title"])
    content = {
        "header": presenters.assessment_header_html(header),
        "menu": presenters.section_menu_html(assessment, menu),
        "progress": progress,
        "section": sections[index],
        "editable": page["editable"],
        "session_alert": presenters.session_alert_html() if page["editable"] else "",
        "state": header["state"],
        "sent_back": bool(threads),
        "commented_count": len(commented),
        "only_commented": only_commented,
        "section_url": reverse("portal:assessments:section", args=[assessment.public_id, index])
        if threads
        else "",
        "items": presenters.items_html(rows, editable=page["editable"], version_id=struct.version_id),
        "previous": _neighbour(menu, index, -1),
        "next": _neighbour(menu, index, +1),
        "detail_url": header["assessment_url"],
        "profiles": assessment.profiles,
    }
    context = {"section": sections[index], "product": page["product"]}
    context["content"] = presenters.render_jinja2(SECTION_CONTENT_TEMPLATE, content)
    return render(request, "portal/assessments/assessment_section.html", context)


def _neighbour(menu, index, step):
    """The menu entry of the nearest section before (``step`` -1) or after (+1) section ``index``
    that has an applicable item (the menu lists only those), or None."""
    entries = [entry for entry in menu if (int(entry["index"]) - index) * step > 0]
    return (entries[0] if step > 0 else entries[-1]) if entries else None


@member_required(per_object=True)
@require_GET
def assessment_full(request, public_id):
    """Every applicable item with its answer, read-only, in one page made for printing."""
    assessment = member_assessment(request, public_id, among=True)
    struct = assessment_structure(assessment)
    # Read-only items do not say who saved them: no dates nor names to decode for 300 answers.
    answers = selectors.answer_data(assessment, saved_by=False)
    progress = selectors.assessment_progress(assessment, selectors.answer_values_of(answers))
    applicable_items = selectors.applicable_items(assessment)
    applicable = {item["code"] for item in applicable_items}
    help_links = entry_links_for_items(applicable, version_id=struct.version_id)  # one query
    extras = presenters.declaration_extras(assessment, applicable_items)
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
                help_links=help_links,
                extras=extras,
            )
            items_html = presenters.items_html(rows, editable=False, version_id=struct.version_id)
            groups.append({"section": figures, "items": items_html})
    context = _page_context(request, assessment, progress) | {"groups": groups, "editable": False}
    return render(request, "portal/assessments/assessment_full.html", context)


def _item_or_404(assessment, code):
    item = assessment_structure(assessment).items_by_code.get(code)
    if item is None:
        raise Http404("Cette exigence n'existe pas dans le questionnaire.")
    return item


@member_required(capability=ANSWER, per_object=True)
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
        help_links=entry_links_for_items([item["code"]]),
    )
    context = {"rows": rows, "editable": editable}
    return render(request, presenters.ITEMS_TEMPLATE, context, using="jinja2")


@member_required(capability=ANSWER, per_object=True)
@require_POST
def answer_save(request, public_id, code):
    data = request.POST
    level = data.get("level", "")[:LEVEL_VALUES]
    context = {"anchor": presenters.anchor(code), "code": code}
    try:
        revision = int(data.get("revision", ""))
    except ValueError:
        revision = None
    declared_on = _date(data.get("declared_on", ""))
    try:
        # The access check is the row lock of the save: one query for both.
        with transaction.atomic():
            assessment = member_assessment(request, public_id, among=True, related=False, for_update=True)
            item = _item_or_404(assessment, code)
            context["assessment"] = assessment
            if declared_on is False:
                return _respond(request, context | {"status": "error", "errors": [BAD_DATE]})
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
                declarant=data.get("declarant", ""),
                declarant_role=data.get("declarant_role", ""),
                declared_on=declared_on,
            )
    except services.AnswerConflict as conflict:
        struct = assessment_structure(assessment)
        row = presenters.item_row(
            item,
            selectors.answer_data_of(conflict.answer),
            labels=presenters.level_labels(struct),
            viewer_id=request.user.pk,
        )
        own = conflict.answer.updated_by_id == request.user.pk
        who = row["saved_by"]
        message = (
            CONFLICT_OWN.format(when=row["saved_at"])
            if own
            else CONFLICT.format(who=who[:1].upper() + who[1:], when=row["saved_at"])
        )
        context |= {
            "status": "conflict",
            "theirs": row,
            "message": message,
            "own": own,
            "save_url": reverse("portal:assessments:answer_save", args=[assessment.public_id, code]),
            "item_url": reverse("portal:assessments:item", args=[assessment.public_id, code]),
        }
        return _respond(request, context)
    except ValidationError as error:
        return _respond(request, context | {"status": "error", "errors": error.messages})
    answer = saved.answer
    progress = selectors.assessment_progress(assessment, saved.values)
    section_code = assessment_structure(assessment).section_of_item[code]["code"]
    missing = services.declaration_missing(item=item, qualification=assessment.qualification, answer=answer)
    warning = DECLARATION_INCOMPLETE.format(missing=_french_list(missing)) if missing else ""
    context |= {
        "status": "saved",
        "message": SAVED,
        "revision": answer.revision,
        "complete": selectors.is_complete(answer.level, answer.justification),
        # A declaration's missing text is named with its other parts.
        "na_unjustified": answer.level == NA_LEVEL and not answer.justification and not missing,
        "declaration_warning": warning,
        "progress": progress,
        "section": next(s for s in progress["sections"] if s["code"] == section_code),
        "profiles": assessment.profiles,
    }
    return _respond(request, context)


def _date(value: str):
    """The posted date (AAAA-MM-JJ, as a date field sends it), None when empty, False when invalid."""
    if not value:
        return None
    return interchange.declaration_date(value) or False


def _french_list(parts: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    return " et ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)


def _respond(request, context):
    return render(request, ANSWER_RESPONSE_TEMPLATE, context, using="jinja2")


@member_required(capability=ANSWER, per_object=True)
@require_POST
def comment_reply(request, public_id):
    """A reply in the thread of one of the reviewer's remarks: the updated thread (htmx), or back to
    the item on its section page."""
    assessment = member_assessment(request, public_id)
    parent = _int(request.POST.get("parent"))
    body = request.POST.get("body", "")
    try:
        reply = instruction.review_comment_reply(
            assessment=assessment,
            author=request.user,
            membership=request.membership,
            body=body,
            parent_id=parent,
        )
    except ValidationError as error:
        return _reply_refused(request, assessment, parent, body, error.messages[0])
    struct = assessment_structure(assessment)
    item = struct.items_by_id.get(reply.item_id) if reply.item_id else None
    if request.htmx and item is not None:
        return _thread_response(request, assessment, item)
    messages.success(request, REPLIED)
    return redirect(_item_url(assessment, item))


def _reply_refused(request, assessment, parent, body, message):
    struct = assessment_structure(assessment)
    threads = vendor_threads(assessment)
    item = next(
        (
            struct.items_by_id[item_id]
            for item_id, roots in threads.items()
            if item_id is not None and any(root.pk == parent for root in roots)
        ),
        None,
    )
    if request.htmx and item is not None:
        return _thread_response(request, assessment, item, threads, error=message, typed={parent: body})
    messages.error(request, message)
    return redirect(_item_url(assessment, item))


def _thread_response(request, assessment, item, threads=None, **refused):
    threads = vendor_threads(assessment) if threads is None else threads
    thread = presenters.item_thread(
        item["code"],
        threads.get(item["id"], []),
        viewer=request.user,
        reply_to=_reply_to(request, assessment, True),
        **refused,
    )
    return render(request, presenters.THREAD_TEMPLATE, {"thread": thread}, using="jinja2")


def _item_url(assessment, item) -> str:
    if item is None:
        return reverse("portal:assessments:detail", args=[assessment.public_id])
    struct = assessment_structure(assessment)
    index = struct.sections.index(struct.section_of_item[item["code"]])
    section_url = reverse("portal:assessments:section", args=[assessment.public_id, index])
    return f"{section_url}#{presenters.anchor(item['code'])}-fil"


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
