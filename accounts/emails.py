"""French e-mails built from three templates: ``emails/<name>_subject.txt``, ``.txt`` and ``.html``."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def send_templated_email(*, template: str, to: str, context: dict, headers: dict | None = None) -> None:
    context = {"site_url": settings.SITE_URL, "support_email": settings.SUPPORT_EMAIL, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", context),
        to=[to],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    message.send()


def send_templated_email_on_commit(*, template: str, to: str, context: dict) -> None:
    """Send once the current transaction commits: a rolled-back decision sends nothing."""
    transaction.on_commit(lambda: send_templated_email(template=template, to=to, context=context))
