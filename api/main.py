"""The API under ``/api/v1/`` (django-ninja): OpenAPI 3.1 schema, interactive documentation,
RFC 9457 problems in French for every error."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from api import problems, public, vendor
from api.security import AddressThrottle

DESCRIPTION = """
API de Convergence. Les opérations « Public » ne demandent rien ; les opérations « Éditeur » demandent
une clé d'API de l'entreprise (en-tête `Authorization: Bearer cvg_…`), créée par un mandataire dans
l'espace éditeur : portée `lecture` (produits, versions, évaluations, états, profils) ou `ecriture`
(en plus : créer une version, commencer une évaluation, importer des réponses, soumettre).

Les erreurs sont des « problem details » (RFC 9457, `application/problem+json`) en français. Chaque
adresse et chaque clé ont un nombre limité de requêtes par minute : au-delà, la réponse est 429 avec
l'en-tête `Retry-After`.
"""


class ConvergenceAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The schema, with every error response under the problem media type."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {problems.PROBLEM_MEDIA_TYPE: content["application/json"]}
        return schema


api = ConvergenceAPI(
    title="API Convergence",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/documentation",
    openapi_url="/openapi.json",
    throttle=[AddressThrottle()],
)
api.add_router("/", public.router)
api.add_router("/entreprise", vendor.router)


@api.exception_handler(NinjaValidationError)
def _invalid_request(request, exc):
    return problems.problem(422, problems.INVALID_REQUEST, errors=problems.validation_messages(exc.errors))


@api.exception_handler(DjangoValidationError)
def _invalid_data(request, exc):
    messages = exc.messages
    return problems.problem(422, messages[0] if len(messages) == 1 else "Voir « errors ».", errors=messages)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problems.problem(401, problems.UNAUTHENTICATED, headers={"WWW-Authenticate": "Bearer"})


@api.exception_handler(Throttled)
def _throttled(request, exc):
    seconds = int(exc.wait or 60)
    return problems.problem(
        429, problems.TOO_MANY.format(seconds=seconds), headers={"Retry-After": str(seconds)}
    )


@api.exception_handler(HttpError)
def _http_error(request, exc):
    detail = problems.FRENCH.get(str(exc), str(exc))
    return problems.problem(exc.status_code, detail)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problems.problem(404, problems.NOT_FOUND)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return problems.problem(403, str(exc) or problems.TITLES[403])


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return problems.problem(413, "Le corps de la requête est trop volumineux.")
