"""Certificate pages: public verification, and for signed-in users request, status, download.

Reviewers revoke a document from the back office (``review.assessments.documents``)."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import signed_in
from certificates import selectors, services
from certificates.codes import format_code
from certificates.forms import VerificationForm
from certificates.models import Certificate
from certificates.rendering import snapshot_date
from core.access import public
from core.client_ip import client_ip_address

UNKNOWN_CODE = (
    "Aucun document ne correspond à ce code. Vérifiez la saisie (16 caractères, lettres A à Z et "
    "chiffres 2 à 7)."
)
TOO_MANY_LOOKUPS = (
    "Trop de vérifications en peu de temps depuis votre connexion. Réessayez dans quelques minutes."
)
NOT_READY = "Ce document n'est pas encore disponible."
# A code has 80 random bits: guessing is hopeless, the limit only keeps scrapers away.
LOOKUP_LIMIT = 60
LOOKUP_WINDOW_SECONDS = 600


def _too_many_lookups(request) -> bool:
    # The client address as the login lockout resolves it, trusted proxies included.
    key = f"certificates:verify:{client_ip_address(request)}"
    cache.add(key, 0, LOOKUP_WINDOW_SECONDS)
    try:
        return cache.incr(key) > LOOKUP_LIMIT
    except ValueError:  # the key expired between add and incr
        return False


@public
@require_GET
def verify_form(request):
    form = VerificationForm(request.GET) if "code" in request.GET else VerificationForm()
    if form.is_bound and form.is_valid():
        return redirect("certificates:verify", code=format_code(form.cleaned_data["code"]))
    return render(request, "certificates/certificate_verify_form.html", {"form": form})


@public
@require_GET
def verify(request, code: str):
    if _too_many_lookups(request):
        return render(
            request, "certificates/certificate_verify_limited.html", {"message": TOO_MANY_LOOKUPS}, status=429
        )
    certificate = selectors.certificate_by_code(code)
    if certificate is None or certificate.status != Certificate.Status.READY:
        context = {"form": VerificationForm(initial={"code": code}), "message": UNKNOWN_CODE}
        return render(request, "certificates/certificate_verify_form.html", context, status=404)
    return render(request, "certificates/certificate_verify.html", _verification_context(certificate))


def _verification_context(certificate: Certificate) -> dict:
    snapshot = certificate.snapshot
    return {
        "certificate": certificate,
        "snapshot": snapshot,
        "profiles_reached": sorted(p["label"] for p in snapshot["profiles"].values() if p["reached"]),
        "validated_at": snapshot_date(snapshot["validated_at"]),
        # A certificate of conformity states its lines (labels and questionnaires, never codes).
        "lines": snapshot.get("lines", []),
    }


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure()):
        return candidate
    return default


@signed_in
@require_POST
def request_document(request, assessment_public_id, kind: str):
    if kind not in Certificate.Kind.values:
        raise Http404("Type de document inconnu.")
    assessment = selectors.assessment_for_certificates(user=request.user, public_id=assessment_public_id)
    try:
        certificate = services.certificate_request(assessment=assessment, kind=kind, actor=request.user)
    except ValidationError as error:
        if request.htmx:
            return render(
                request, "certificates/includes/certificate_error.html", {"message": error.messages[0]}
            )
        messages.error(request, error.messages[0])
        return redirect(_next_url(request, reverse("home")))
    if request.htmx:
        return render(request, "certificates/includes/certificate_status.html", {"certificate": certificate})
    return redirect("certificates:status", public_id=certificate.public_id)


@signed_in
@require_GET
def status(request, public_id):
    certificate = selectors.certificate_for_user(user=request.user, public_id=public_id)
    template = (
        "certificates/includes/certificate_status.html"
        if request.htmx
        else "certificates/certificate_detail.html"
    )
    return render(request, template, {"certificate": certificate})


@signed_in
@require_GET
@never_cache  # a downloaded attestation stays in no cache (the middleware also covers signed-in pages)
def download(request, public_id):
    certificate = selectors.certificate_for_user(user=request.user, public_id=public_id)
    if certificate.status != Certificate.Status.READY:
        raise Http404(NOT_READY)
    filename = f"{certificate.kind}-{certificate.display_code}.pdf"
    return FileResponse(
        certificate.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
