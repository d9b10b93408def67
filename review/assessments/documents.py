"""Revoking a document of an assessment, from the back office (the reviewer's assessment page lists
the documents and links each live one here)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.access import reviewer_required
from assessments.selectors import assessment_for_reviewer
from certificates.selectors import certificate_of_assessment
from certificates.services import certificate_revoke
from review.assessments.forms import RevocationForm

REVOKED = "Le document est révoqué ; la page de vérification publique l'indique désormais."


@reviewer_required
@require_http_methods(["GET", "POST"])
def certificate_revoke_view(request, public_id, certificate_id):
    assessment = assessment_for_reviewer(public_id=public_id)
    certificate = certificate_of_assessment(assessment=assessment, public_id=certificate_id)
    form = RevocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, REVOKED)
            detail = reverse("review:assessments:detail", kwargs={"public_id": assessment.public_id})
            return redirect(f"{detail}#documents")
    context = {
        "assessment": assessment,
        "product": assessment.product_version.product,
        "certificate": certificate,
        "form": form,
    }
    return render(request, "review/certificate_revoke.html", context)
