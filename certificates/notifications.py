"""E-mail telling a company that the agency revoked one of its attestations.

Sent to the same people as the decisions on its assessments (active mandataires and représentants),
once the revocation's transaction commits: a rolled-back revocation sends nothing.
"""

from django.urls import reverse

from accounts.emails import send_templated_email_on_commit
from assessments.notifications import decision_recipients
from certificates.models import Certificate

REVOKED_TEMPLATE = "certificates/revoked"
# "révoqué" agrees with the document's kind: an attestation is « révoquée », a certificate « révoqué ».
REVOKED_WORDS = {Certificate.Kind.CONFORMITE: "révoqué"}


def revocation_notify(*, certificate: Certificate) -> list[str]:
    """Queue the revocation e-mail for every recipient (sent on commit); return their addresses.

    The product is named as the document names it (its frozen snapshot), whatever was renamed since."""
    assessment = certificate.assessment
    snapshot = certificate.snapshot
    context = {
        "kind": certificate.get_kind_display(),
        "revoked_word": REVOKED_WORDS.get(certificate.kind, "révoquée"),
        "product": snapshot["product"]["display_name"],
        "version": snapshot["version"]["label"],
        "code": certificate.display_code,
        "reason": certificate.revocation_reason,
        "revoked_at": certificate.revoked_at,
        "company": certificate.company.name,
        "path": reverse(
            "portal:products:detail", kwargs={"public_id": assessment.product_version.product.public_id}
        ),
    }
    recipients = decision_recipients(assessment=assessment)
    for email in recipients:
        send_templated_email_on_commit(template=REVOKED_TEMPLATE, to=email, context=context)
    return recipients
