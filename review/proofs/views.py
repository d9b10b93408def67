"""The reviewer's proofs page: every proof by item (video and images shown inline, the rest to
download), the sworn declarations, and a verdict per proof."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import reviewer_required
from assessments import workflow
from assessments.selectors import assessment_for_reviewer
from proofs import selectors, services
from proofs.downloads import proof_file_response
from proofs.models import Status

VERDICT_SAVED = "Vérification enregistrée pour « {name} »."
COMMENT_MAX = 5000


@reviewer_required
@require_GET
def assessment_proofs(request, public_id):
    assessment = assessment_for_reviewer(public_id=public_id)
    # A questionnaire of a DMN candidature included: its proofs are verified here.
    can_review = workflow.instructing(assessment=assessment, actor=request.user)
    context = {
        "assessment": assessment,
        "product": assessment.product_version.product,
        "rows": selectors.assessment_proof_sections(assessment),
        "can_review": can_review,
        "statuses": Status.choices,
        "sent_back": services.sent_back_proofs(assessment).count(),
    }
    return render(request, "review/proofs/assessment_proofs.html", context)


@reviewer_required
@require_POST
def proof_verdict(request, public_id, proof_id):
    assessment = assessment_for_reviewer(public_id=public_id)
    proof = selectors.proof_of_assessment(assessment, proof_id)
    try:
        services.proof_review(
            proof=proof,
            status=request.POST.get("status", "")[:20],
            comment=request.POST.get("comment", "")[: COMMENT_MAX + 1],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, VERDICT_SAVED.format(name=proof.display_name[:80]))
    return redirect(f"{request.path.rsplit('/preuves/', 1)[0]}/preuves/#preuve-{proof.public_id}")


def _file_proof(public_id, proof_id):
    assessment = assessment_for_reviewer(public_id=public_id)
    proof = selectors.proof_of_assessment(assessment, proof_id)
    if proof.kind != "file":
        raise Http404("Cette preuve n'est pas un fichier.")
    return proof


@reviewer_required
@require_GET
def proof_download(request, public_id, proof_id):
    return proof_file_response(request, _file_proof(public_id, proof_id), inline=False)


@reviewer_required
@require_GET
def proof_inline(request, public_id, proof_id):
    """Video (with byte ranges, to seek) and images, shown in the page; other files are not served here."""
    proof = _file_proof(public_id, proof_id)
    if not proof.plays_inline:
        raise Http404("Ce fichier se télécharge.")
    return proof_file_response(request, proof, inline=True)
