from celery import shared_task


@shared_task
def health_ping(value: str = "pong") -> str:
    """Round trip used by the health checks and the worker tests: returns its argument."""
    return value
