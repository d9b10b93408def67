"""Vendor assessment pages: start, overview, qualification, submit, export and import.

The questionnaire itself (section pages, full view, item saves) is in ``questionnaire.py``.
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from assessments import selectors, services, workflow
from assessments.models import CLOSED_STATES, Assessment, State
from certificates.selectors import assessment_certificates, revoked_attestation
from certificates.services import ATTESTATION_REVOKED
from companies.current import member_required
from companies.roles import ANSWER, SUBMIT_ASSESSMENT, role_can
from dmn.selectors import assessment_candidatures
from instruction.selectors import commented_items, vendor_threads
from portal.access import member_assessment, member_product_version
from portal.assessments import presenters
from portal.assessments.forms import AssessmentStartForm, ImportForm, QualificationForm
from portal.assessments.presenters import anchor
from proofs import services as proof_services
from questionnaires.models import Questionnaire, QuestionnaireVersion
from questionnaires.selectors import published_version

STARTED = "L'évaluation est commencée : répondez d'abord aux questions de qualification."
NO_QUESTIONNAIRE = "Aucun questionnaire n'est publié pour le moment."
ALL_IN_PROGRESS = (
    "Chaque questionnaire publié a déjà une évaluation en cours pour cette version : reprenez-la."
)
QUALIFICATION_SAVED = (
    "Qualification enregistrée pour toutes les évaluations de cette version : les exigences qui ne "
    "s'appliquent pas sont masquées."
)
SUBMITTED = "L'évaluation est soumise à l'agence. Elle n'est plus modifiable pendant l'instruction."
IMPORTED = "Le fichier est importé : {count} réponse(s) reprise(s)."
IMPORT_REFUSED = "Le fichier n'est pas importé : corrigez les erreurs ci-dessous (rien n'a été modifié)."


def _latest_versions() -> list[QuestionnaireVersion]:
    versions = []
    # The DMN questionnaires are answered inside a candidature (portal/dmn), not started here.
    questionnaires = Questionnaire.objects.filter(theme__in=Questionnaire.SELF_ASSESSMENT_THEMES)
    for code in questionnaires.order_by("title").values_list("code", flat=True):
        try:
            versions.append(published_version(code))
        except QuestionnaireVersion.DoesNotExist:
            continue
    return versions


@member_required(capability=ANSWER, per_object=True)
@require_http_methods(["GET", "POST"])
def assessment_start(request, public_id):
    product_version = member_product_version(request, public_id)
    previous = list(
        Assessment.objects.filter(product_version__product=product_version.product)
        .select_related("questionnaire_version__questionnaire", "product_version")
        .order_by("-created_at")
    )
    # A questionnaire already being answered for this version is linked, not offered again.
    in_progress = [
        assessment
        for assessment in previous
        if assessment.product_version_id == product_version.pk and assessment.state not in CLOSED_STATES
    ]
    busy = {assessment.questionnaire_version_id for assessment in in_progress}
    versions = [version for version in _latest_versions() if version.pk not in busy]
    form = AssessmentStartForm(request.POST or None, questionnaire_versions=versions, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                product_version=product_version,
                questionnaire_version=form.cleaned_data["questionnaire_version"],
                carry_from=form.cleaned_data.get("carry_from"),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, STARTED)
            return redirect("portal:assessments:qualification", public_id=assessment.public_id)
    context = {
        "form": form,
        "product_version": product_version,
        "product": product_version.product,
        "in_progress": in_progress,
    }
    if not form.fields["questionnaire_version"].choices:
        context["empty"] = ALL_IN_PROGRESS if in_progress else NO_QUESTIONNAIRE
    return render(request, "portal/assessments/assessment_start.html", context)


def _overview_context(request, assessment, **extra) -> dict:
    role = request.membership.role
    progress = selectors.assessment_progress(assessment)
    validated = assessment.state == State.VALIDATED
    can_submit = workflow.allowed(
        assessment=assessment, to=State.SUBMITTED, actor=request.user, membership=request.membership
    )
    history = selectors.assessment_history(assessment)
    # A DMN questionnaire is submitted with its candidature (the workflow refuses it alone): its page
    # links to the candidature's.
    candidatures = assessment_candidatures(assessment) if workflow.in_candidature(assessment) else []
    return {
        "assessment": assessment,
        "product": assessment.product_version.product,
        "progress": progress,
        "remarks": _remarks(request, assessment, history),
        "first_section": _section_to_resume(progress["sections"]),
        "carry_over": services.carry_over_summary(assessment=assessment)
        if assessment.carried_from_id
        else None,
        "history": history,
        "can_answer": role_can(role, ANSWER) and assessment.is_editable,
        "can_submit": can_submit,
        # Submitting is possible from this state, but the person's role does not allow it.
        "submit_reserved": not candidatures
        and not can_submit
        and workflow.is_declared(assessment.state, State.SUBMITTED),
        "candidatures": candidatures,
        "validated": validated,
        "qualified": bool(assessment.qualification),
        "missing": None,
        # After a revocation only the agency issues the attestation again: no button, the reason why.
        "attestation_revoked": validated and revoked_attestation(assessment=assessment) is not None,
        "attestation_revoked_message": ATTESTATION_REVOKED,
        "certificates": assessment_certificates(assessment=assessment),
        **extra,
    }


def _remarks(request, assessment, history) -> dict | None:
    """What the reviewer asked for when the assessment is sent back: the decision's comment, the
    remarks on the whole assessment, and the items remarked on with a link to each (None otherwise)."""
    if assessment.state != State.CHANGES_REQUESTED:
        return None
    threads = vendor_threads(assessment)
    sent_back = [t for t in history if t.to_state == State.CHANGES_REQUESTED]
    base = reverse("portal:assessments:section", args=[assessment.public_id, 0])[: -len("0/")]
    items = commented_items(assessment, threads)
    for item in items:
        item["url"] = f"{base}{item['section_index']}/?filtre=commentes#{anchor(item['code'])}-fil"
    general = presenters.item_thread("", threads.get(None, []), viewer=request.user)
    return {
        "decision": sent_back[-1] if sent_back else None,
        "general": general["roots"],
        "items": items,
    }


def _section_to_resume(sections: list[dict]) -> int:
    """The first section with something left to answer, else the first with any item."""
    unfinished = (section["index"] for section in sections if section["answered"] < section["total"])
    started = (section["index"] for section in sections if section["total"])
    return next(unfinished, next(started, 0))


@member_required(per_object=True)
def assessment_detail(request, public_id):
    assessment = member_assessment(request, public_id)
    return render(
        request, "portal/assessments/assessment_detail.html", _overview_context(request, assessment)
    )


@member_required(capability=ANSWER, per_object=True)
@require_http_methods(["GET", "POST"])
def assessment_qualification(request, public_id):
    assessment = member_assessment(request, public_id)
    if not assessment.is_editable:
        return redirect("portal:assessments:detail", public_id=assessment.public_id)
    # One qualification per product version: the questions of all its questionnaires, answered once.
    product_version = assessment.product_version
    form = QualificationForm(
        request.POST or None,
        questions=services.version_questions(product_version=product_version),
        initial=QualificationForm.initial_from(
            services.version_qualification(product_version=product_version)
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.version_qualification_save(
                product_version=product_version, answers=form.answers(), actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, QUALIFICATION_SAVED)
            return redirect("portal:assessments:detail", public_id=assessment.public_id)
    context = {
        "form": form,
        "assessment": assessment,
        "product": product_version.product,
        "product_version": product_version,
    }
    return render(request, "portal/assessments/assessment_qualification.html", context)


@member_required(capability=SUBMIT_ASSESSMENT, per_object=True)
@require_POST
def assessment_submit(request, public_id):
    assessment = member_assessment(request, public_id)
    try:
        # With the proofs: a required proof missing blocks the submission too; they are frozen with it.
        proof_services.assessment_submit(assessment=assessment, actor=request.user)
    except services.AssessmentIncomplete as error:
        for item in error.missing:
            section_url = reverse(
                "portal:assessments:section", args=[assessment.public_id, item["section_index"]]
            )
            item["url"] = f"{section_url}#{anchor(item['code'])}"
            if item.get("proofs"):
                item["url"] = reverse("portal:proofs:item", args=[assessment.public_id, item["code"]])
        context = _overview_context(
            request, assessment, missing=error.missing, submit_error=error.messages[0]
        )
        return render(request, "portal/assessments/assessment_detail.html", context, status=422)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, SUBMITTED)
    return redirect("portal:assessments:detail", public_id=assessment.public_id)


@member_required(per_object=True)
def assessment_export(request, public_id):
    assessment = member_assessment(request, public_id)
    document = selectors.assessment_document(assessment)
    document["meta"]["exported_at"] = timezone.now().isoformat(timespec="seconds")
    body = json.dumps(document, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"evaluation-{assessment.public_id}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@member_required(capability=ANSWER, per_object=True)
@require_http_methods(["GET", "POST"])
def assessment_import(request, public_id):
    assessment = member_assessment(request, public_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if not assessment.is_editable:
        errors = [services.NOT_EDITABLE.format(state=assessment.get_state_display())]
    elif request.method == "POST" and form.is_valid():
        try:
            document = services.parse_document(form.cleaned_data["file"].read())
            services.assessment_import(assessment=assessment, document=document, actor=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, IMPORTED.format(count=len(document.get("answers", {}))))
            return redirect("portal:assessments:detail", public_id=assessment.public_id)
    context = {
        "form": form,
        "assessment": assessment,
        "product": assessment.product_version.product,
        "errors": errors,
        "refused": IMPORT_REFUSED if errors else "",
    }
    refused = errors or form.errors
    return render(
        request, "portal/assessments/assessment_import.html", context, status=422 if refused else 200
    )
