"""Re-export of the current-company mechanism so portal code can import it from ``portal``."""

from companies.current import SESSION_KEY, current_membership, member_required, set_current_company

__all__ = ["SESSION_KEY", "current_membership", "member_required", "set_current_company"]
