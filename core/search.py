"""Accent- and case-insensitive text search on PostgreSQL, usable in stored (generated) columns and
their indexes.

PostgreSQL's ``unaccent(text)`` is only STABLE (it reads its dictionary from the search path), so
neither a generated column nor an index may use it. ``convergence_unaccent`` (created by the
migration that first needs it, see ``CREATE_UNACCENT``) calls it with its dictionary named, which
is IMMUTABLE in practice, and is declared so. Normalise a stored text and a searched word with the
same ``normalised()`` expression, and they compare the same way.
"""

from django.db.models import Func, TextField
from django.db.models.functions import Lower

CREATE_UNACCENT = """
CREATE OR REPLACE FUNCTION convergence_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""
DROP_UNACCENT = "DROP FUNCTION IF EXISTS convergence_unaccent(text)"


class ImmutableUnaccent(Func):
    function = "convergence_unaccent"
    output_field = TextField()


def normalised(expression) -> Func:
    """``expression`` without accents, in lower case (as ``lower(unaccent(…))``)."""
    return Lower(ImmutableUnaccent(expression))
