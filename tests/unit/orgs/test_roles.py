"""ORG-2 / ORG-3: every role and action, as one table. A cell is "ok", "forbidden" (403) or
"last" (409: the organization would lose its last legal representative)."""

from collections.abc import Callable

import pytest

from konto.orgs.domain.roles import (
    Action,
    LastLegalRepresentative,
    NotAllowed,
    Role,
    check_change,
    check_invite,
    check_remove,
    may,
    normalize_access,
)

LR, AD, CO, EX = (
    Role.LEGAL_REPRESENTATIVE,
    Role.ADMINISTRATOR,
    Role.COLLABORATOR,
    Role.EXTERNAL,
)

# action name -> what it checks, given the actor's role. Organizations here have two legal
# representatives unless the action says "last".
ACTIONS: dict[str, Callable[[Role], None]] = {
    "view": lambda a: _plain(a, Action.VIEW),
    "rename": lambda a: _plain(a, Action.RENAME),
    "list members": lambda a: _plain(a, Action.LIST_MEMBERS),
    "view audit": lambda a: _plain(a, Action.VIEW_AUDIT),
    "delete organization": lambda a: _plain(a, Action.DELETE),
    "change logo": lambda a: _plain(a, Action.CHANGE_LOGO),
    "invite collaborator": lambda a: check_invite(a, CO),
    "invite administrator": lambda a: check_invite(a, AD),
    "invite legal rep": lambda a: check_invite(a, LR),
    "give products to collaborator": lambda a: check_change(a, CO, CO, 2),
    "promote collaborator to admin": lambda a: check_change(a, CO, AD, 2),
    "demote admin to external": lambda a: check_change(a, AD, EX, 2),
    "promote admin to legal rep": lambda a: check_change(a, AD, LR, 2),
    "demote one of two legal reps": lambda a: check_change(a, LR, AD, 2),
    "demote the last legal rep": lambda a: check_change(a, LR, AD, 1),
    "remove collaborator": lambda a: check_remove(a, CO, 2, leaving=False),
    "remove admin": lambda a: check_remove(a, AD, 2, leaving=False),
    "remove one of two legal reps": lambda a: check_remove(a, LR, 2, leaving=False),
    "remove the last legal rep": lambda a: check_remove(a, LR, 1, leaving=False),
    "leave": lambda a: check_remove(a, a, 2, leaving=True),
    "leave as the last legal rep": lambda a: check_remove(a, LR, 1, leaving=True),
}

# columns: legal representative, administrator, collaborator, external
TABLE: dict[str, tuple[str, str, str, str]] = {
    "view": ("ok", "ok", "ok", "ok"),
    "rename": ("ok", "ok", "forbidden", "forbidden"),
    "list members": ("ok", "ok", "ok", "forbidden"),
    "view audit": ("ok", "ok", "forbidden", "forbidden"),
    "delete organization": ("ok", "forbidden", "forbidden", "forbidden"),
    "change logo": ("ok", "ok", "forbidden", "forbidden"),
    "invite collaborator": ("ok", "ok", "forbidden", "forbidden"),
    "invite administrator": ("ok", "ok", "forbidden", "forbidden"),
    "invite legal rep": ("ok", "forbidden", "forbidden", "forbidden"),
    "give products to collaborator": ("ok", "ok", "forbidden", "forbidden"),
    "promote collaborator to admin": ("ok", "ok", "forbidden", "forbidden"),
    "demote admin to external": ("ok", "ok", "forbidden", "forbidden"),
    "promote admin to legal rep": ("ok", "forbidden", "forbidden", "forbidden"),
    "demote one of two legal reps": ("ok", "forbidden", "forbidden", "forbidden"),
    "demote the last legal rep": ("last", "forbidden", "forbidden", "forbidden"),
    "remove collaborator": ("ok", "ok", "forbidden", "forbidden"),
    "remove admin": ("ok", "ok", "forbidden", "forbidden"),
    "remove one of two legal reps": ("ok", "forbidden", "forbidden", "forbidden"),
    "remove the last legal rep": ("last", "forbidden", "forbidden", "forbidden"),
    "leave": ("ok", "ok", "ok", "ok"),
    "leave as the last legal rep": ("last", "last", "last", "last"),
}

ROLES = (LR, AD, CO, EX)


def _plain(actor: Role, action: Action) -> None:
    if not may(actor, action):
        raise NotAllowed(action.value)


def _outcome(check: Callable[[Role], None], actor: Role) -> str:
    try:
        check(actor)
    except NotAllowed:
        return "forbidden"
    except LastLegalRepresentative:
        return "last"
    return "ok"


def test_table_covers_every_action_and_role_ORG_3() -> None:
    assert set(TABLE) == set(ACTIONS)
    assert {a.value for a in Action} <= {
        "view",
        "rename",
        "list_members",
        "view_audit",
        "invite",
        "change_member",
        "remove_member",
        "delete",
        "change_logo",
    }


@pytest.mark.parametrize(
    ("action", "actor", "expected"),
    [(action, role, row[i]) for action, row in TABLE.items() for i, role in enumerate(ROLES)],
    ids=lambda v: v.value if isinstance(v, Role) else str(v),
)
def test_role_x_action_ORG_2_ORG_3(action: str, actor: Role, expected: str) -> None:
    assert _outcome(ACTIONS[action], actor) == expected


def test_last_legal_rep_can_be_replaced_ORG_3() -> None:
    # Promote a second one first, then the first may step down: never zero in between.
    check_change(LR, AD, LR, legal_reps=1)
    check_change(LR, LR, AD, legal_reps=2)


def test_managers_have_every_product_and_billing_ORG_2() -> None:
    for role in (LR, AD):
        access = normalize_access(role, ["vps-1"], billing=False)
        assert (access.products, access.billing) == ((), True)


def test_collaborators_get_products_one_by_one_ORG_2() -> None:
    access = normalize_access(CO, [" web-2", "vps-1", "web-2", ""], billing=False)
    assert access.products == ("vps-1", "web-2")
    assert access.billing is False
    assert normalize_access(EX, [], billing=True).billing is True
