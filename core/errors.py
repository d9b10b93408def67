"""The error pages of production (DEBUG off): French, DSFR, wired in ``convergence/urls.py``.

400 and 500 render the standalone ``errors/standalone.html`` without the request: a 500 may come
from the database or a context processor, a 400 from a forged Host header, so their pages need
neither. 403 and 404 keep the site's header (who is signed in, sign out); a 403 shows the reason the
access check gave, written for people ("Cette page est réservée aux instructeurs de l'agence.").
"""

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

BAD_REQUEST = "La requête envoyée n'est pas valide. Revenez à la page précédente et recommencez."
FORBIDDEN = "Vous n'avez pas accès à cette page."
NOT_FOUND = "Cette page n'existe pas, a été déplacée, ou n'est pas accessible avec votre compte."
SERVER_ERROR = (
    "Une erreur inattendue s'est produite de notre côté ; l'équipe technique en est informée. "
    "Réessayez dans quelques instants."
)
CSRF_EXPIRED = (
    "Le formulaire envoyé n'était plus valide : votre session a expiré ou vous vous êtes reconnecté "
    "depuis un autre onglet. Revenez à la page précédente, rechargez-la puis recommencez."
)
CSRF_NO_COOKIE = (
    "Votre navigateur n'a pas envoyé le cookie de sécurité de Convergence : autorisez les cookies "
    "pour ce site, rechargez la page précédente puis recommencez."
)


@requires_csrf_token
def bad_request(request, exception):
    return _standalone(title="Requête incorrecte", message=BAD_REQUEST, status=400)


@requires_csrf_token
def permission_denied(request, exception):
    # Only a message written for people is shown: PermissionDenied() carries none.
    reason = exception.args[0] if exception.args and isinstance(exception.args[0], str) else ""
    return _page(request, title="Accès refusé", message=reason or FORBIDDEN, status=403)


@requires_csrf_token
def page_not_found(request, exception):
    # Http404's text is not shown: get_object_or_404 writes it in English, for developers.
    return _page(request, title="Page introuvable", message=NOT_FOUND, status=404)


@requires_csrf_token
def server_error(request):
    return _standalone(title="Erreur du serveur", message=SERVER_ERROR, status=500)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form or an autosave sent with a stale or missing CSRF token."""
    message = CSRF_NO_COOKIE if reason == REASON_NO_CSRF_COOKIE else CSRF_EXPIRED
    return _page(request, title="Page expirée", message=message, status=403)


def _page(request, *, title: str, message: str, status: int) -> HttpResponse:
    context = {"title": title, "message": message, "status": status}
    return render(request, "errors/page.html", context, status=status)


def _standalone(*, title: str, message: str, status: int) -> HttpResponse:
    # Rendered without the request: no context processor, no session, no database.
    context = {"title": title, "message": message, "status": status, "support_email": settings.SUPPORT_EMAIL}
    return HttpResponse(loader.get_template("errors/standalone.html").render(context), status=status)
