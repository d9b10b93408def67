from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_has_second_factor"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="memberships_version",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="version des rattachements"
            ),
        ),
    ]
