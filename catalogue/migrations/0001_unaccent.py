from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """The catalogue's search ignores accents (PostgreSQL's unaccent, a contrib extension)."""

    dependencies = []

    operations = [UnaccentExtension()]
