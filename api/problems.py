"""Errors as RFC 9457 problem details (``application/problem+json``), in French.

Every operation documents the problems it may answer (``responses``); the schema then names their
media type ``application/problem+json`` (``api.main.ConvergenceAPI``).
"""

from django.http import JsonResponse
from ninja import Schema

PROBLEM_MEDIA_TYPE = "application/problem+json"
TITLES = {
    400: "Requête incorrecte",
    401: "Authentification requise",
    403: "Action non permise",
    404: "Ressource introuvable",
    409: "Conflit",
    413: "Requête trop volumineuse",
    422: "Données invalides",
    429: "Trop de requêtes",
}
UNAUTHENTICATED = (
    "Clé d'API absente, inconnue ou révoquée. Envoyez l'en-tête « Authorization: Bearer <clé> » "
    "avec une clé active créée par un mandataire dans l'espace éditeur."
)
READ_ONLY_KEY = "Cette clé est en lecture seule : une clé de portée « ecriture » est nécessaire."
NOT_FOUND = "Aucune ressource ne correspond à cette adresse."
TOO_MANY = "Trop de requêtes : réessayez dans {seconds} secondes."
# django-ninja's own messages, in French.
FRENCH = {"Cannot parse request body": "Le corps de la requête n'est pas un document JSON lisible."}
INVALID_REQUEST = "La requête ne respecte pas le schéma de l'opération : voir « errors »."


class Problem(Schema):
    """An RFC 9457 problem: ``title`` names the kind of error, ``detail`` this occurrence,
    ``errors`` lists every problem found (the location first) when there are several."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[str] = []


def problem(status: int, detail: str, *, errors: list[str] | None = None, headers: dict | None = None):
    body = Problem(title=TITLES.get(status, "Erreur"), status=status, detail=detail, errors=errors or [])
    response = JsonResponse(body.model_dump(), status=status, content_type=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def responses(*statuses: int) -> dict:
    """The ``response`` mapping entries of the problems an operation may answer."""
    return dict.fromkeys(statuses, Problem)


def validation_messages(errors: list[dict]) -> list[str]:
    """pydantic's errors as French lines, each with its location (``body.label : …``)."""
    lines = []
    for error in errors:
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "__root__") or "requête"
        kind = error.get("type", "")
        if kind == "missing":
            lines.append(f"{where} : valeur obligatoire absente.")
        elif kind.endswith(("_type", "_parsing")):
            lines.append(f"{where} : type de valeur incorrect ({kind}).")
        elif kind == "value_error" and (cause := (error.get("ctx") or {}).get("error")):
            lines.append(f"{where} : {cause}")  # our validators' own French message (api.fields)
        else:
            lines.append(f"{where} : valeur refusée ({kind}).")
    return lines
