"""Migration operations shared by several apps."""

from django.contrib.postgres.operations import UnaccentExtension


class SharedUnaccent(UnaccentExtension):
    """PostgreSQL's ``unaccent``, created if missing by each app whose objects use it (help centre,
    catalogue, certificates' search column) and never dropped when one of them is unapplied: the
    others' objects still depend on it."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass
