"""Hand-written SELECTs for the few queries that every questionnaire request runs.

Measured with bench/questionnaire.py on a 2-core machine: the ORM spends 0.6 to 1 ms building the SQL
of each of these queries, more than PostgreSQL takes to answer them (a round trip is about 0.25 ms).
Here the column lists are derived once from the models' metadata, and each row becomes model
instances through ``Model.from_db`` after the fields' own database converters, as the ORM does.
Every query written this way has a test comparing it with its ORM equivalent.
"""

from django.db import connection


class Columns:
    """The columns of ``model`` under ``alias`` (all concrete fields but ``exclude``), and how to turn
    their values into an instance (the excluded fields are deferred, as with ``.defer()``)."""

    def __init__(self, model, alias: str, *, exclude: tuple[str, ...] = ()):
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if field.name not in exclude]
        self.columns = [field.get_col(alias) for field in self.fields]
        self.names = [field.attname for field in self.fields]
        self.sql = ", ".join(f'{alias}."{field.column}"' for field in self.fields)
        self._converters = None

    def __len__(self) -> int:
        return len(self.fields)

    def converters(self) -> list[list]:
        if self._converters is None:
            self._converters = [
                connection.ops.get_db_converters(column) + field.get_db_converters(connection)
                for field, column in zip(self.fields, self.columns, strict=True)
            ]
        return self._converters

    def instance(self, values):
        converted = list(values)
        for index, converters in enumerate(self.converters()):
            if converters:
                value, column = converted[index], self.columns[index]
                for converter in converters:
                    value = converter(value, column, connection)
                converted[index] = value
        return self.model.from_db(connection.alias, self.names, converted)


def fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def split(row, *parts: Columns) -> list:
    """One instance per part from consecutive slices of ``row``; what remains is appended as is."""
    instances, start = [], 0
    for part in parts:
        instances.append(part.instance(row[start : start + len(part)]))
        start += len(part)
    return instances + list(row[start:])
