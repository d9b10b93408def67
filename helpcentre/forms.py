from django import forms

from helpcentre.selectors import FacetChoices

QUERY_MAX_LENGTH = 200
QUERY_TOO_LONG = f"Votre recherche dépasse {QUERY_MAX_LENGTH} caractères : raccourcissez-la."
UNKNOWN_TAG = "Ce filtre n'existe pas : choisissez une valeur de la liste."


class SearchForm(forms.Form):
    """The help centre's search box and its five facet filters (the choices come from the database).

    A hostile or stale value is a form error, shown next to its field; the valid fields still apply.
    """

    q = forms.CharField(
        label="Rechercher dans le centre d'aide",
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={"max_length": QUERY_TOO_LONG},
    )

    def __init__(self, data=None, *, facets: list[FacetChoices]):
        super().__init__(data)
        self.facets = facets
        for facet in facets:
            choices = [("", "Toutes")] + [
                (tag.slug, f"{tag.label} ({tag.entry_count})") for tag in facet.tags
            ]
            self.fields[facet.code] = forms.ChoiceField(
                label=facet.label,
                choices=choices,
                required=False,
                error_messages={"invalid_choice": UNKNOWN_TAG},
            )

    def clean_q(self) -> str:
        # PostgreSQL refuses a NUL character in a string; nobody types one.
        return " ".join(self.cleaned_data["q"].replace("\x00", " ").split())

    def search(self) -> tuple[str, dict[str, str]]:
        """(text, {facet code: tag slug}) of the valid fields; an invalid field counts as empty."""
        self.is_valid()
        data = self.cleaned_data
        tags = {facet.code: data[facet.code] for facet in self.facets if data.get(facet.code)}
        return data.get("q", ""), tags

    def facet_fields(self):
        return [self[facet.code] for facet in self.facets]


class VoteForm(forms.Form):
    useful = forms.TypedChoiceField(
        choices=[("oui", "Oui"), ("non", "Non")], coerce=lambda value: value == "oui"
    )
