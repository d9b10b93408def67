"""Background work on certificates: thin adapters over the services, taking ids, idempotent."""

from celery import shared_task

from certificates import services
from certificates.models import Certificate

MAX_RETRIES = 3
RETRY_BACKOFF_SECONDS = 5  # 5 s, 10 s, 20 s
# Retries count failures the task sees; a render that kills its worker (out of memory...) is only
# seen through the attempts counter, and must not be redelivered for ever.
MAX_ATTEMPTS = 6
TOO_MANY_ATTEMPTS = "Abandon après {attempts} tentatives : le rendu a été interrompu à chaque fois."


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def certificate_render(self, certificate_id: int) -> None:
    """Render a pending certificate; retried with backoff, then marked failed with the reason."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None or certificate.status != Certificate.Status.PENDING:
        return  # deleted test data, or a redelivery of a finished render: nothing to do
    if certificate.attempts >= MAX_ATTEMPTS:
        services.certificate_fail(
            certificate=certificate, reason=TOO_MANY_ATTEMPTS.format(attempts=certificate.attempts)
        )
        return
    try:
        services.certificate_render_pdf(certificate=certificate)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            services.certificate_fail(certificate=certificate, reason=f"{type(error).__name__} : {error}")
            return
        raise self.retry(exc=error, countdown=RETRY_BACKOFF_SECONDS * 2**self.request.retries) from error


@shared_task(acks_late=True)
def certificates_requeue_pending() -> int:
    """Periodic (Celery beat): enqueue again certificates left pending, e.g. while the broker was down."""
    return services.certificates_requeue_pending()
