"""Products' identity becomes the full name ``[Name] [OS] [Device]`` without OS or device words typed
in the name (``products.models.identity_key``). A product whose new identity would collide with
another product of its company (a duplicate the former key let through) keeps its former one, so the
migration never fails; editing it later meets the duplicate message."""

from django.db import migrations


def recompute(apps, schema_editor):
    from products.models import identity_key  # the current rule: a pure function of four strings

    Product = apps.get_model("products", "Product")
    taken = set(Product.objects.values_list("company_id", "identity"))
    for product in Product.objects.order_by("pk").iterator():
        key = identity_key(name=product.name, os=product.os, os_other=product.os_other, device=product.device)
        if key == product.identity or (product.company_id, key) in taken:
            continue
        taken.discard((product.company_id, product.identity))
        taken.add((product.company_id, key))
        Product.objects.filter(pk=product.pk).update(identity=key)


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
