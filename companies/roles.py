"""What each role may do inside its company. Views and services ask ``role_can``, never the role."""

from companies.models import Role

MANAGE_MEMBERS = "manage_members"
SUBMIT_ASSESSMENT = "submit_assessment"
EDIT_PRODUCTS = "edit_products"
ANSWER = "answer"
MANAGE_API_KEYS = "manage_api_keys"

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.MANDATAIRE: frozenset({MANAGE_MEMBERS, SUBMIT_ASSESSMENT, EDIT_PRODUCTS, ANSWER, MANAGE_API_KEYS}),
    Role.REPRESENTANT: frozenset({MANAGE_MEMBERS, SUBMIT_ASSESSMENT, EDIT_PRODUCTS, ANSWER}),
    Role.SALARIE: frozenset({EDIT_PRODUCTS, ANSWER}),
}

# Roles a manager may give, by the manager's role: a représentant never creates a mandataire.
ASSIGNABLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.MANDATAIRE: (Role.MANDATAIRE, Role.REPRESENTANT, Role.SALARIE),
    Role.REPRESENTANT: (Role.REPRESENTANT, Role.SALARIE),
    Role.SALARIE: (),
}


def role_can(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())


def assignable_roles(role: str) -> tuple[str, ...]:
    return ASSIGNABLE_ROLES.get(role, ())
