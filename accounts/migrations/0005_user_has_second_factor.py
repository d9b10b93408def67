from django.db import migrations, models


def flag_users_with_a_device(apps, schema_editor):
    """Users who confirmed a TOTP device before the flag existed owe the second factor too."""
    User = apps.get_model("accounts", "User")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    owners = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    User.objects.filter(pk__in=owners).update(has_second_factor=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_known_login_address"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="has_second_factor",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="double authentification activée"
            ),
        ),
        migrations.RunPython(flag_users_with_a_device, migrations.RunPython.noop),
    ]
