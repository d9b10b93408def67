"""Subscriptions to a product of the public catalogue: request (double opt-in), confirm, cancel, and
the messages sent to subscribers when a document of their product is issued or revoked.

Privacy rules: nothing is ever sent to the product's company; the answer to a request is the same
whether or not the address is already subscribed (the confirmation mail is sent either way); every
message to a subscriber carries its one-click unsubscribe link (in the body and in the
``List-Unsubscribe`` headers of RFC 8058).
"""

import hashlib
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.emails import send_templated_email
from catalogue.models import DocumentNotice, Frequency, Subscription
from certificates.codes import format_code
from certificates.models import LISTED_KINDS, Certificate
from core.throttle import throttle_hit
from products.models import Product

CONFIRM_SALT = "catalogue.subscription.confirm"
CANCEL_SALT = "catalogue.subscription.cancel"
CONFIRM_MAX_AGE = timedelta(days=3)
# Confirmation mails one address may receive per day, whoever asks: the form cannot be used to
# flood someone's mailbox. Past the limit the answer stays the same; no mail is sent.
ADDRESS_LIMIT = 5
ADDRESS_WINDOW_SECONDS = 24 * 3600
INVALID_LINK = "Ce lien n'est pas valide ou a expiré : abonnez-vous à nouveau depuis la page du produit."
UNKNOWN_PRODUCT = "Ce produit ne figure pas au catalogue."
CONFIRM_TEMPLATE = "catalogue/subscription_confirm"
CHANGE_TEMPLATE = "catalogue/document_change"
DIGEST_TEMPLATE = "catalogue/weekly_digest"
Change = DocumentNotice.Change


def normalise_email(email: str) -> str:
    return email.strip().lower()


def subscription_request(*, email: str, product: Product, frequency: str) -> bool:
    """E-mail ``email`` a signed link confirming its subscription to ``product``; True if sent.

    Nothing is stored until the link is followed. The caller answers the same whatever is returned:
    False only means the address already received ``ADDRESS_LIMIT`` links today."""
    email = normalise_email(email)
    digest = hashlib.sha256(email.encode()).hexdigest()
    if throttle_hit(
        f"catalogue:subscribe:address:{digest}", limit=ADDRESS_LIMIT, window_seconds=ADDRESS_WINDOW_SECONDS
    ):
        return False
    token = signing.dumps(
        {"e": email, "p": str(product.public_id), "f": Frequency(frequency).value}, salt=CONFIRM_SALT
    )
    context = {
        "product": product.display_name,
        "frequency": Frequency(frequency).label,
        "path": reverse("catalogue:subscription_confirm", kwargs={"token": token}),
        "max_age_days": CONFIRM_MAX_AGE.days,
    }
    send_templated_email(template=CONFIRM_TEMPLATE, to=email, context=context)
    return True


def confirmation_request(*, token: str) -> dict:
    """What a confirmation link asks for (address, product, frequency); ``INVALID_LINK`` when the
    token is forged, altered, expired or names a product no longer known."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        product = Product.objects.get(public_id=data["p"])
        return {"email": data["e"], "product": product, "frequency": Frequency(data["f"])}
    except (signing.BadSignature, KeyError, TypeError, ValueError, ValidationError, Product.DoesNotExist):
        raise ValidationError(INVALID_LINK) from None


def subscription_confirm(*, token: str) -> Subscription:
    """Record the subscription a confirmation link asks for (idempotent: confirming twice, or an
    address already subscribed, keeps one subscription, with the frequency of the latest link)."""
    request = confirmation_request(token=token)
    subscription, _created = Subscription.objects.update_or_create(
        email=request["email"],
        product=request["product"],
        defaults={"frequency": request["frequency"], "confirmed_at": timezone.now()},
    )
    return subscription


def cancel_token(subscription: Subscription) -> str:
    """The unsubscribe link's token: it never expires, and needs no sign-in."""
    return signing.dumps(str(subscription.public_id), salt=CANCEL_SALT)


def cancel_path(subscription: Subscription) -> str:
    return reverse("catalogue:subscription_cancel", kwargs={"token": cancel_token(subscription)})


def subscription_cancel(*, token: str) -> None:
    """Delete the subscription an unsubscribe link names (idempotent: a second click finds nothing
    to delete and succeeds too)."""
    try:
        public_id = signing.loads(token, salt=CANCEL_SALT)
        Subscription.objects.filter(public_id=public_id).delete()
    except (signing.BadSignature, ValidationError, ValueError, TypeError):
        raise ValidationError(INVALID_LINK) from None


def _send(*, template: str, subscription: Subscription, context: dict) -> None:
    path = cancel_path(subscription)
    headers = {
        "List-Unsubscribe": f"<{settings.SITE_URL}{path}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    context = {**context, "cancel_path": path}
    send_templated_email(template=template, to=subscription.email, context=context, headers=headers)


# --- Telling subscribers ---------------------------------------------------------------------------
# How a message names each kind of public document (the words agree with it).
KIND_WORDS = {
    Certificate.Kind.ATTESTATION: {
        "name": "attestation",
        "the": "l'attestation",
        "a": "Une attestation",
        "issued": "délivrée",
        "revoked": "révoquée",
    },
    Certificate.Kind.CONFORMITE: {
        "name": "certificat de conformité",
        "the": "le certificat de conformité",
        "a": "Un certificat de conformité",
        "issued": "délivré",
        "revoked": "révoqué",
    },
}


def _document(certificate: dict) -> dict:
    """What a message says of a document: only what its public pages show."""
    return {
        "words": KIND_WORDS[certificate["kind"]],
        "product": certificate["stated_product_name"],
        "company": certificate["stated_company_name"],
        "version": certificate["stated_version_label"],
        "code": format_code(certificate["code"]),
        "verify_path": reverse("certificates:verify", kwargs={"code": format_code(certificate["code"])}),
        "product_path": reverse("catalogue:product", kwargs={"public_id": certificate["product_public_id"]}),
        "rendered_at": certificate["rendered_at"],
        "revoked_at": certificate["revoked_at"],
        "revocation_reason": certificate["revocation_reason"],
    }


DOCUMENT_FIELDS = (
    "kind",
    "code",
    "stated_product_name",
    "stated_company_name",
    "stated_version_label",
    "rendered_at",
    "revoked_at",
    "revocation_reason",
)


def _documents():
    """The public documents (attestations, certificates of conformity) once rendered."""
    return Certificate.objects.filter(kind__in=LISTED_KINDS, status=Certificate.Status.READY).values(
        *DOCUMENT_FIELDS,
        product_id=F("assessment__product_version__product_id"),
        product_public_id=F("assessment__product_version__product__public_id"),
    )


def subscriptions_notify_document(*, certificate_id: int, change: str) -> int:
    """E-mail every subscriber of the document's product who asked for each change that the
    public document ``certificate_id`` was issued or revoked (``change``); returns how many were sent.

    Called by a task once the change is committed. Idempotent: the subscribers are told once per
    document and change (``DocumentNotice``); a change that did not happen (a document not
    ready, not revoked) or a report sends nothing."""
    if change not in Change.values:
        return 0
    document = _documents().filter(pk=certificate_id).first()
    if document is None or (change == Change.REVOKED and document["revoked_at"] is None):
        return 0
    with transaction.atomic():
        notice, created = DocumentNotice.objects.get_or_create(certificate_id=certificate_id, change=change)
        if not created:
            return 0
        subscriptions = list(
            Subscription.objects.filter(product_id=document["product_id"], frequency=Frequency.EACH).order_by(
                "pk"
            )
        )
        context = {"document": _document(document), "revoked": change == Change.REVOKED}
        for subscription in subscriptions:
            _send(template=CHANGE_TEMPLATE, subscription=subscription, context=context)
        notice.recipients = len(subscriptions)
        notice.save(update_fields=["recipients"])
    return len(subscriptions)


def subscriptions_send_digests(*, now=None) -> int:
    """Send each weekly subscriber one message listing the documents of their products issued or
    revoked since their last digest (or their confirmation); returns how many were sent.

    A subscriber with nothing new gets nothing. Each digest moves its subscriptions' period on, so
    running it again (a redelivered task) sends nothing twice."""
    now = now or timezone.now()
    subscriptions = list(Subscription.objects.filter(frequency=Frequency.WEEKLY).order_by("email", "pk"))
    if not subscriptions:
        return 0
    starts = {
        subscription.pk: subscription.digest_sent_at or subscription.confirmed_at
        for subscription in subscriptions
    }
    earliest = min(starts.values())
    changes = defaultdict(list)
    window = Q(rendered_at__gt=earliest, rendered_at__lte=now) | Q(
        revoked_at__gt=earliest, revoked_at__lte=now
    )
    for document in (
        _documents()
        .filter(window, product_id__in={s.product_id for s in subscriptions})
        .order_by("rendered_at", "code")
    ):
        changes[document["product_id"]].append(document)
    by_email = defaultdict(list)
    for subscription in subscriptions:
        by_email[subscription.email].append(subscription)
    sent = 0
    for own in by_email.values():
        products = []
        for subscription in own:
            start = starts[subscription.pk]
            documents = [
                {
                    **_document(document),
                    "issued": start < document["rendered_at"] <= now,
                    "revoked": document["revoked_at"] is not None and start < document["revoked_at"] <= now,
                }
                for document in changes[subscription.product_id]
            ]
            documents = [document for document in documents if document["issued"] or document["revoked"]]
            if documents:
                products.append({"cancel_path": cancel_path(subscription), "documents": documents})
        if products:
            # The headers' one-click link cancels the first subscription; each product has its own link.
            _send(template=DIGEST_TEMPLATE, subscription=own[0], context={"products": products})
            sent += 1
        Subscription.objects.filter(pk__in=[subscription.pk for subscription in own]).update(
            digest_sent_at=now
        )
    return sent
