"""Product reads that look up at assessments without importing them (products sit below)."""

from assessments.models import State
from products.selectors import VALIDATED


def test_the_locking_state_is_the_validated_state_of_assessments():
    # products.selectors names the state by its stored value; a renamed state must fail here.
    assert VALIDATED == State.VALIDATED
