from core.migration_operations import SharedUnaccent
from django.db import migrations


class Migration(migrations.Migration):
    """The catalogue's search ignores accents (PostgreSQL's unaccent, a contrib extension)."""

    dependencies = []

    operations = [SharedUnaccent()]
