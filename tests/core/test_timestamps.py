"""Dates are read by psycopg's compiled loader (``core.timestamps``), and read exactly as Django's own
loader reads them: same instants, same time zone, same errors."""

import psycopg
import pytest
from django.db import DataError, connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader as PythonTimestamptzLoader

from core.timestamps import COMPILED_LOADER, TIMESTAMPTZ_OID, loader_for

pytestmark = pytest.mark.django_db

# Instants around the changes of time in Paris, with and without fractions of a second, at the ends
# of the range, and given in other time zones than the connection's (UTC).
LITERALS = (
    "2026-03-29 00:59:59.999999+00",
    "2026-03-29 01:00:00+00",
    "2026-10-25 00:59:59.5+00",
    "2026-10-25 01:00:00.000001+00",
    "2026-06-01 12:00:00+02",
    "2026-06-01 12:00:00-09:30",
    "2000-02-29 23:59:59+00",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
)
QUERY = "SELECT " + ", ".join(f"'{literal}'::timestamptz" for literal in LITERALS)


def _read(sql, *, django_loader=False):
    with connection.cursor() as cursor:
        if django_loader:  # what Django's backend registers by itself
            register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute(sql)
        return cursor.fetchone()


def test_the_compiled_loader_is_installed_and_reads_the_cursors_dates():
    assert psycopg.pq.__impl__ == "binary"  # requirements.txt pins psycopg-binary
    assert COMPILED_LOADER is not PythonTimestamptzLoader
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        instance = loader(TIMESTAMPTZ_OID, cursor.cursor)
    assert loader is loader_for(connection.timezone)
    # The connection is in the loader's zone: psycopg calls the compiled loader itself for each date.
    assert type(instance.load.__self__) is COMPILED_LOADER
    assert _read("SELECT now()")[0].tzinfo is connection.timezone


def test_dates_read_are_the_ones_djangos_loader_reads():
    ours, djangos = _read(QUERY), _read(QUERY, django_loader=True)
    assert ours == djangos
    assert [value.tzinfo for value in ours] == [value.tzinfo for value in djangos]
    assert [value.utcoffset() for value in ours] == [value.utcoffset() for value in djangos]


def test_a_date_python_cannot_hold_is_the_same_error_as_with_djangos_loader():
    for django_loader in (False, True):
        with pytest.raises(DataError):
            _read("SELECT 'infinity'::timestamptz", django_loader=django_loader)


def test_a_model_date_round_trips(django_user_model):
    user = django_user_model.objects.create_user(email="dates@example.fr", password="x" * 20)
    assert django_user_model.objects.values_list("date_joined", flat=True).get(pk=user.pk) == user.date_joined


def test_a_loader_for_another_zone_gives_the_dates_djangos_gives_them():
    """Where the connection's zone is not the loader's (here: naive dates), each date is relabelled
    as Django's loader does."""
    results = []
    for register in (
        lambda cursor: cursor.adapters.register_loader(TIMESTAMPTZ_OID, loader_for(None)),
        lambda cursor: register_tzloader(None, cursor),
    ):
        with connection.cursor() as cursor:
            register(cursor.cursor)
            cursor.execute(QUERY)
            results.append(cursor.fetchone())
    ours, djangos = results
    assert ours == djangos
    assert all(value.tzinfo is None for value in ours)
