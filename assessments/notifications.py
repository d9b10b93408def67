"""E-mails telling a company about the reviewer's decision on one of its assessments.

Sent to the company's active mandataires and représentants (the people who can act on it), once the
decision's transaction commits: a rolled-back decision sends nothing.
"""

from django.urls import reverse

from accounts.emails import send_templated_email_on_commit
from assessments.models import Assessment, State, Transition
from companies.models import Membership, Role

DECISION_TEMPLATE = "assessments/decision"
NOTIFIED_ROLES = (Role.MANDATAIRE, Role.REPRESENTANT)
DECISIONS = {
    State.VALIDATED: "validée",
    State.CHANGES_REQUESTED: "renvoyée pour compléments",
    State.REFUSED: "refusée",
}


def decision_recipients(*, assessment: Assessment) -> list[str]:
    """E-mail addresses of the active mandataires and représentants of the assessment's company."""
    return list(
        Membership.objects.filter(
            company_id=assessment.product_version.product.company_id,
            role__in=NOTIFIED_ROLES,
            is_active=True,
            user__is_active=True,
        )
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def decision_notify(*, assessment: Assessment, transition: Transition) -> list[str]:
    """Queue the decision e-mail for every recipient (sent on commit); return their addresses."""
    product = assessment.product_version.product
    context = {
        "decision": DECISIONS[transition.to_state],
        "state": transition.to_state,
        "comment": transition.comment,
        "product": product.display_name,
        "version": assessment.product_version.label,
        "questionnaire": str(assessment.questionnaire_version),
        "company": product.company.name,
        # The product page shows the comments, the history and, once rendered, the attestation.
        "path": reverse("portal:products:detail", kwargs={"public_id": product.public_id}),
    }
    recipients = decision_recipients(assessment=assessment)
    for email in recipients:
        send_templated_email_on_commit(template=DECISION_TEMPLATE, to=email, context=context)
    return recipients
