"""What definitions tell the layers above them, which they cannot import."""

from django.dispatch import Signal

# Sent with ``version_id`` once a version's expected proofs changed and the change is committed (a
# proofs addendum imported): whatever memoises them forgets them.
expected_proofs_changed = Signal()
