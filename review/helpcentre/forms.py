import re

from django import forms

from helpcentre.models import Entry, Facet, Tag

ITEM_CODE = re.compile(r"^[A-Z0-9][A-Za-z0-9.\-]{0,29}$")
BAD_ITEM_CODE = "« {code} » n'est pas un code d'exigence (par exemple A08.3.1)."
TOO_MANY_ITEMS = "Vingt exigences au plus par réponse."
STATUSES = [("", "Tous")] + list(Entry.Status.choices)


class EntryForm(forms.Form):
    """An entry as the back office edits it: its texts, status, facet values and explained items."""

    title = forms.CharField(label="Question", max_length=200)
    body = forms.CharField(
        label="Réponse",
        help_text="Paragraphes séparés par une ligne vide.",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10_000,
    )
    status = forms.ChoiceField(label="Statut", choices=Entry.Status.choices, widget=forms.RadioSelect)
    item_codes = forms.CharField(
        label="Exigences expliquées",
        help_text="Codes séparés par des espaces ou des virgules, par exemple A08.3.1, URB.1.1.",
        required=False,
        max_length=600,
    )

    def __init__(self, data=None, *, tags: list[Tag], initial=None):
        super().__init__(data, initial=initial)
        self.tags_by_pk = {tag.pk: tag for tag in tags}
        for facet in Facet:
            choices = [(str(tag.pk), tag.label) for tag in tags if tag.facet == facet.value]
            self.fields[f"tags_{facet.value}"] = forms.MultipleChoiceField(
                label=facet.label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
            )

    @classmethod
    def for_entry(cls, entry: Entry, *, tags: list[Tag]) -> "EntryForm":
        chosen = {tag.pk for tag in entry.tags.all()}
        initial = {
            "title": entry.title,
            "body": entry.body,
            "status": entry.status,
            "item_codes": ", ".join(entry.item_codes),
        }
        for facet in Facet:
            initial[f"tags_{facet.value}"] = [
                str(t.pk) for t in tags if t.facet == facet.value and t.pk in chosen
            ]
        return cls(tags=tags, initial=initial)

    def clean_item_codes(self) -> list[str]:
        codes = list(
            dict.fromkeys(part for part in re.split(r"[\s,;]+", self.cleaned_data["item_codes"]) if part)
        )
        for code in codes:
            if not ITEM_CODE.match(code):
                raise forms.ValidationError(BAD_ITEM_CODE.format(code=code[:40]))
        if len(codes) > 20:
            raise forms.ValidationError(TOO_MANY_ITEMS)
        return codes

    def entry_data(self) -> dict:
        """The keyword arguments of helpcentre.services.entry_create / entry_update."""
        data = self.cleaned_data
        tags = [self.tags_by_pk[int(pk)] for facet in Facet for pk in data[f"tags_{facet.value}"]]
        return {
            "title": data["title"],
            "body": data["body"],
            "status": data["status"],
            "tags": tags,
            "item_codes": data["item_codes"],
        }


class EntryFilterForm(forms.Form):
    statut = forms.ChoiceField(label="Statut", choices=STATUSES, required=False)
