from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import reviewer_required
from assessments import services, workflow
from assessments.models import State
from assessments.selectors import assessment_for_reviewer, assessment_structure
from certificates.selectors import revoked_among
from certificates.services import certificate_reissue
from dmn.selectors import assessment_candidatures
from helpcentre.selectors import entry_links_for_items
from instruction import services as instruction
from instruction.selectors import (
    comment_threads,
    instruction_sections,
    pending_since,
    previous_submission_changes,
    qualification_answers,
    renamed_since_submission,
    vendor_history,
)
from instruction.trail import assessment_trail
from review.assessments.forms import CommentForm, DecisionForm, ReissueForm

TAKEN = "Vous instruisez maintenant cette évaluation."
UNKNOWN_ITEM = (
    "Cette exigence n'existe pas dans le questionnaire de l'évaluation : revenez à l'instruction et "
    "choisissez l'exigence à commenter."
)
COMMENTED = "Commentaire enregistré ; l'éditeur le verra lorsque l'évaluation lui sera renvoyée."
NOTED = "Note interne enregistrée ; elle n'est jamais visible par l'éditeur."
# ?filtre=modifiees: only the items changed since the previous submission.
CHANGED_FILTER = "modifiees"
REISSUED = "L'attestation est délivrée à nouveau, avec un nouveau code ; le document révoqué reste révoqué."
DECIDED = {
    instruction.Decision.VALIDATE: "L'évaluation est validée ; l'attestation est en cours de génération et l'entreprise est prévenue par e-mail.",
    instruction.Decision.REQUEST_CHANGES: "L'évaluation est renvoyée à l'éditeur pour compléments ; l'entreprise est prévenue par e-mail.",
    instruction.Decision.REFUSE: "L'évaluation est refusée ; l'entreprise est prévenue par e-mail.",
}


@reviewer_required
def assessment_detail(request, public_id):
    assessment = assessment_for_reviewer(public_id=public_id)
    return _detail(request, assessment)


def _detail(request, assessment, *, decision_form=None, comment_form=None, reissue_form=None, status=200):
    changes = previous_submission_changes(assessment)
    history = vendor_history(assessment)
    only_changed = request.GET.get("filtre") == CHANGED_FILTER and bool(changes["items"])
    can_take = workflow.allowed(assessment=assessment, to=State.IN_REVIEW, actor=request.user)
    # Every decision goes from the same state with the same actor rule; validating stands for them.
    can_decide = workflow.allowed(assessment=assessment, to=State.VALIDATED, actor=request.user)
    can_comment = workflow.instructing(assessment=assessment, actor=request.user)
    # A DMN questionnaire is commented on here, but taken and decided with its candidature (the
    # workflow refuses it alone): its page links to the candidature's.
    in_candidature = workflow.in_candidature(assessment)
    candidatures = assessment_candidatures(assessment) if in_candidature else []
    context = {
        "assessment": assessment,
        "product": assessment.product_version.product,
        "waiting": pending_since(assessment),
        "qualification": qualification_answers(assessment),
        "sections": _with_help_links(
            instruction_sections(assessment, changes=changes["items"], only_changed=only_changed)
        ),
        "only_changed": only_changed,
        "general_comments": comment_threads(assessment).get(None, []),
        "changes": changes,
        "history": history,
        "submitted_identity": renamed_since_submission(assessment, history["submissions"]),
        "revoked_attestation": revoked_among(history["certificates"], assessment_id=assessment.pk),
        "reissue_form": reissue_form or ReissueForm(),
        "can_take": can_take,
        "can_decide": can_decide,
        "can_comment": can_comment,
        "candidatures": candidatures,
        # In review, but reserved to the reviewer who took it.
        "decision_reserved": not can_comment and workflow.is_declared(assessment.state, State.VALIDATED),
        "decision_form": decision_form or DecisionForm(),
        "comment_form": comment_form or CommentForm(),
    }
    return render(request, "review/assessment_detail.html", context, status=status)


def _with_help_links(sections):
    """Each item row with the help centre's answers explaining it (one query for the page)."""
    links = entry_links_for_items(row.item["code"] for section in sections for row in section.rows)
    for section in sections:
        for row in section.rows:
            row.help_links = links.get(row.item["code"], [])
    return sections


@reviewer_required
@require_POST
def assessment_take(request, public_id):
    assessment = assessment_for_reviewer(public_id=public_id)
    try:
        services.assessment_take(assessment=assessment, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, TAKEN)
    return redirect("review:assessments:detail", public_id=public_id)


@reviewer_required
def comment_create(request, public_id):
    """GET: the comment form for one item (an htmx fragment, or a page without JavaScript).
    POST: add the comment, then the item's updated thread (htmx) or back to the page."""
    assessment = assessment_for_reviewer(public_id=public_id)
    item_code = request.GET.get("item", "") if request.method == "GET" else request.POST.get("item", "")
    if request.method == "GET":
        if item_code and _item_id(assessment, item_code) is None:
            context = {"message": UNKNOWN_ITEM, "back_url": _detail_url(assessment)}
            return render(request, "review/bad_request.html", context, status=400)
        form = CommentForm(item_code=item_code, parent_id=_int(request.GET.get("parent")))
        return _comment_form(request, assessment, form, item_code)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            instruction.review_comment_add(
                assessment=assessment,
                author=request.user,
                body=form.cleaned_data["body"],
                item_code=form.cleaned_data["item"],
                parent_id=form.cleaned_data["parent"],
                internal=form.cleaned_data.get("internal", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _comment_form(request, assessment, form, item_code, status=400)
    if request.htmx:
        threads = comment_threads(assessment)
        item_id = _item_id(assessment, form.cleaned_data["item"])
        context = {
            "comments": threads.get(item_id, []),
            "assessment": assessment,
            "item_code": item_code,
            "can_reply": True,
        }
        return render(request, "review/includes/comment_thread.html", context)
    messages.success(request, NOTED if form.cleaned_data.get("internal") else COMMENTED)
    anchor = f"#exigence-{item_code}" if item_code else "#commentaires"
    return redirect(request.build_absolute_uri(_detail_url(assessment)) + anchor)


def _comment_form(request, assessment, form, item_code, status=200):
    template = "review/includes/comment_form.html" if request.htmx else "review/comment_create.html"
    item_id = _item_id(assessment, item_code) or "general"
    context = {"assessment": assessment, "form": form, "item_code": item_code, "item_id": item_id}
    if request.htmx and status == 400:
        # htmx swaps no error response: show the form again, with what was typed, where it was.
        parent = _int(request.POST.get("parent"))
        target = f"#repondre-{parent}" if parent else f"#commenter-{item_id}"
        response = render(request, template, context)
        response["HX-Retarget"], response["HX-Reswap"] = target, "innerHTML"
        return response
    return render(request, template, context, status=status)


@reviewer_required
@require_POST
def assessment_decide(request, public_id):
    assessment = assessment_for_reviewer(public_id=public_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            instruction.assessment_decide(
                assessment=assessment,
                decision=form.cleaned_data["decision"],
                actor=request.user,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        assessment.refresh_from_db()
        return _detail(request, assessment, decision_form=form, status=400)
    messages.success(request, DECIDED[form.cleaned_data["decision"]])
    return redirect("review:assessments:detail", public_id=public_id)


@reviewer_required
@require_POST
def attestation_reissue(request, public_id):
    """Deliver the attestation again after its revocation, with a reason logged on the new document."""
    assessment = assessment_for_reviewer(public_id=public_id)
    form = ReissueForm(request.POST)
    if form.is_valid():
        try:
            certificate = certificate_reissue(
                assessment=assessment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _detail(request, assessment, reissue_form=form, status=400)
    messages.success(request, REISSUED)
    return redirect("certificates:status", public_id=certificate.public_id)


@reviewer_required
def assessment_trail_view(request, public_id):
    assessment = assessment_for_reviewer(public_id=public_id)
    context = {"assessment": assessment, "entries": assessment_trail(assessment=assessment)}
    return render(request, "review/assessment_trail.html", context)


def _detail_url(assessment) -> str:
    return reverse("review:assessments:detail", kwargs={"public_id": assessment.public_id})


def _item_id(assessment, item_code: str):
    item = assessment_structure(assessment).items_by_code.get(item_code)
    return item["id"] if item else None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
