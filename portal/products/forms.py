from django import forms
from django.core.exceptions import ValidationError

from products import services
from products.models import Product, ProductVersion

VARIANT_HELP = (
    "Une variante dont la maturité diffère (autre support ou autre système d'exploitation) est un "
    "produit distinct : créez un produit par variante, pas une version."
)

IDENTITY_FIELD_LOCKED = "Figure sur l'attestation d'une évaluation validée : ne peut plus être modifié."


class ProductForm(forms.ModelForm):
    """Identification of a product. Uniqueness (name + OS + device) is checked against ``company``."""

    class Meta:
        model = Product
        fields = [
            "name",
            "os",
            "os_other",
            "device",
            "commercial_name",
            "description",
            "nil_number",
            "certifications",
        ]
        help_texts = {
            "name": "Sans le système ni le support : le produit s'affiche « [Nom] [Système] [Support] ».",
            "os_other": "Seulement si vous avez choisi « Autre ».",
            "nil_number": "Numéro attribué par le centre national d'homologation DMP, le cas échéant.",
            "certifications": "Champ libre : ISO 13485, HDS, participation à un connectathon…",
        }
        widgets = {
            "os": forms.RadioSelect,
            "device": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "certifications": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, company, identity_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        # Once an assessment is validated, the product is named on an attestation (see the service).
        self.identity_locked = identity_locked
        if identity_locked:
            for name in services.IDENTITY_FIELDS:
                self.fields[name].help_text = IDENTITY_FIELD_LOCKED

    def clean(self):
        data = super().clean()
        if self.identity_locked and (changed := self._identity_changes(data)):
            self.add_error(None, services.PRODUCT_IDENTITY_LOCKED)
            for name in changed:
                self.add_error(name, IDENTITY_FIELD_LOCKED)
            return data
        if data.get("os") == Product.OS.OTHER and not (data.get("os_other") or "").strip():
            self.add_error("os_other", services.OS_OTHER_REQUIRED)
        elif self.errors:
            return data
        try:
            duplicate = services.product_duplicate(
                company=self.company, fields=data, exclude_pk=self.instance.pk
            )
        except ValidationError as error:  # the name holds the OS or device words
            self.add_error(None, error)
            return data
        if duplicate:
            self.add_error("name", services.PRODUCT_DUPLICATE.format(name=duplicate.display_name))
        return data

    def _identity_changes(self, data: dict) -> list[str]:
        typed = {name: (data.get(name) or "").strip() for name in services.IDENTITY_FIELDS if name in data}
        if typed.get("os") != Product.OS.OTHER:
            typed["os_other"] = ""
        return services.identity_changes(product=self.instance, fields=typed)

    def _post_clean(self):
        # The identity constraint is checked (with its message) in clean() and by the service; the
        # model's own validate_constraints would run before ``identity`` is computed.
        pass


class ProductVersionForm(forms.ModelForm):
    class Meta:
        model = ProductVersion
        fields = ["label", "status"]
        help_texts = {
            "label": f"Édition ou numéro de version, par exemple « 4.2 » ou « Édition 2026 ». {VARIANT_HELP}"
        }
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args, product, label_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.product = product
        # Once an assessment of the version is validated, its label is on an attestation.
        self.label_locked = label_locked
        if label_locked:
            self.fields["label"].help_text = IDENTITY_FIELD_LOCKED

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if self.label_locked and label != self.instance.label:
            raise forms.ValidationError(services.VERSION_LABEL_LOCKED)
        duplicates = ProductVersion.objects.filter(product=self.product, label__iexact=label).exclude(
            pk=self.instance.pk
        )
        if duplicates.exists():
            raise forms.ValidationError(services.VERSION_DUPLICATE.format(label=label))
        return label

    def _post_clean(self):
        pass


class ProductSearchForm(forms.Form):
    q = forms.CharField(label="Rechercher un produit", required=False, max_length=100)
