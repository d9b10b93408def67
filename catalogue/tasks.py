"""Background work of the catalogue: messages to the subscribers of its products (thin adapters over
``catalogue.services``, taking ids, idempotent)."""

from celery import shared_task

from catalogue import services


@shared_task(acks_late=True)
def subscriptions_notify_document(certificate_id: int, change: str) -> int:
    """Enqueued by the certificates services (``CERTIFICATE_CHANGE_TASKS``) once an attestation is
    issued or revoked."""
    return services.subscriptions_notify_document(certificate_id=certificate_id, change=change)


@shared_task(acks_late=True)
def subscriptions_send_digests() -> int:
    """Periodic (Celery beat, weekly): one digest per weekly subscriber with something new."""
    return services.subscriptions_send_digests()
