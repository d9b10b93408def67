"""``CertificateEvent`` goes: its facts are on the certificate rows (``0005``) and in their audit trail
(``audit.0012``). Going back recreates the table empty."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0012_certificate_one_history"),
        ("certificates", "0005_certificate_facts_on_the_row"),
    ]

    operations = [
        migrations.DeleteModel(name="CertificateEvent"),
    ]
