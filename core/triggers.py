"""Database triggers shared by the apps' models."""

import pgtrigger


def append_only(*, name: str, columns: tuple[str, ...]) -> list:
    """Triggers refusing any delete, and any update but the actor's account being deleted
    (``SET_NULL``): a log row, once written, states the same thing forever."""
    old = ", ".join(f"OLD.{column}" for column in columns)
    new = ", ".join(f"NEW.{column}" for column in columns)
    return [
        pgtrigger.Protect(name=f"{name}_no_delete", operation=pgtrigger.Delete),
        pgtrigger.Protect(
            name=f"{name}_no_update",
            operation=pgtrigger.Update,
            condition=pgtrigger.Condition(
                f"(ROW({old}) IS DISTINCT FROM ROW({new})"
                " OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id))"
            ),
        ),
    ]


def never_moves(*, name: str, field: str) -> pgtrigger.Protect:
    """A trigger refusing any update of the foreign key ``field``: the row belongs to the same parent
    for good (what it belongs to may then be memoised, as access checks do)."""
    return pgtrigger.Protect(
        name=f"{name}_never_moves", operation=pgtrigger.Update, condition=pgtrigger.AnyChange(field)
    )
