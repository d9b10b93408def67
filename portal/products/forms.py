from django import forms

from products import services
from products.models import Product, ProductVersion

VARIANT_HELP = (
    "Une variante dont la maturité diffère (autre support ou autre système d'exploitation) est un "
    "produit distinct : créez un produit par variante, pas une version."
)


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

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company

    def clean(self):
        data = super().clean()
        if data.get("os") == Product.OS.OTHER and not (data.get("os_other") or "").strip():
            self.add_error("os_other", services.OS_OTHER_REQUIRED)
        elif self.errors:
            return data
        elif duplicate := services.product_duplicate(
            company=self.company, fields=data, exclude_pk=self.instance.pk
        ):
            self.add_error("name", services.PRODUCT_DUPLICATE.format(name=duplicate.display_name))
        return data

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

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.product = product

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
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
