"""Dates read from PostgreSQL by psycopg's compiled loader, as Django reads them.

Django's PostgreSQL backend (5.2) reads ``timestamptz`` values through a loader of its own, made to
label each date with the connection's time zone; it derives from psycopg's pure-Python loader, so
with ``psycopg-binary`` installed every date of a result is still parsed in Python (Django ticket
#36960; psycopg's compiled loader cannot be subclassed): 5 to 9 µs a date on our machines, against
0.3 µs. A query of 300 dates takes 3.3 ms instead of 0.9 ms (``bench/timestamps.py``); a section page
reads some fifty dates.

On each connection Django opens (``connection_created``), ``use_compiled_loader`` registers a loader
that has psycopg's compiled loader parse the text and gives each date the connection's time zone,
exactly as Django's does. Its ``timezone`` attribute is what Django's backend compares with the
connection's time zone before each cursor: equal, Django keeps it.
"""

from functools import cache

import psycopg
from psycopg.adapt import Loader
from psycopg.postgres import types
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader as PythonTimestamptzLoader

TIMESTAMPTZ_OID = types["timestamptz"].oid
# psycopg's own choice for the type: the compiled loader when psycopg-binary is installed.
COMPILED_LOADER = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)


@cache
def loader_for(timezone) -> type[Loader]:
    """The loader of ``timestamptz`` text for connections in ``timezone`` (None: naive dates)."""

    class CompiledTimestamptzLoader(Loader):
        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._compiled = COMPILED_LOADER(oid, context).load
            if self.connection is not None and self.connection.info.timezone == timezone:
                # The compiled loader's dates already carry the zone: psycopg calls it directly.
                self.load = self._compiled

        def load(self, data):
            return self._compiled(data).replace(tzinfo=timezone)

    CompiledTimestamptzLoader.timezone = timezone
    return CompiledTimestamptzLoader


def use_compiled_loader(sender, connection, **kwargs):
    """``connection_created`` receiver: read this connection's dates with the compiled loader."""
    if connection.vendor != "postgresql" or COMPILED_LOADER is PythonTimestamptzLoader:
        return
    adapters = connection.connection.adapters
    loader = loader_for(connection.timezone)
    # A pooled connection comes back at every request: register once.
    if adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT) is not loader:
        adapters.register_loader(TIMESTAMPTZ_OID, loader)
