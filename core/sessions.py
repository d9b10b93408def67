"""Database sessions read with hand-written SQL: every signed-in request reads its session first.

Same table, same data and same behaviour as ``django.contrib.sessions.backends.db`` (which this
extends); only the read skips building the ORM query (see ``core/sql.py``). Writes are unchanged.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.sql import Columns, fetch, split

_SESSION = Columns(Session, "s")
_READ = (
    f"SELECT {_SESSION.sql} FROM {Session._meta.db_table} s WHERE s.session_key = %s AND s.expire_date > %s"
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        rows = fetch(_READ, [self.session_key, timezone.now()])
        if not rows:
            self._session_key = None
            return None
        return split(rows[0], _SESSION)[0]
