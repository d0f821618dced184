"""X-1: the compatibility rules of `scripts/contracts`, one small hand-made schema per rule.
Breaking within a vN: a removed or renamed field, an optional field made required, a new
required field, a type change, a narrowed enum/Literal. Adding an optional field is not."""

import importlib.machinery
import importlib.util
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "contracts"
_loader = importlib.machinery.SourceFileLoader("konto_contracts", str(SCRIPT))
_spec = importlib.util.spec_from_loader("konto_contracts", _loader)
assert _spec is not None
contracts = importlib.util.module_from_spec(_spec)
_loader.exec_module(contracts)


def event(data: dict[str, Any], required: list[str], defs: dict[str, Any] | None = None) -> Any:
    """The shape pydantic gives an event: the envelope, `data` a $ref into $defs."""
    return {
        "$defs": {
            "Data": {"type": "object", "properties": data, "required": required},
            **(defs or {}),
        },
        "type": "object",
        "properties": {
            "type": {"const": "konto.x.thing.done.v1", "type": "string"},
            "data": {"$ref": "#/$defs/Data"},
        },
        "required": ["data"],
    }  # fmt: skip


BASE = event(
    {
        "id": {"type": "string"},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "kind": {"enum": ["a", "b"], "type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "at": {"type": "string", "format": "date-time"},
    },
    ["id", "kind", "tags", "at"],
)


def changed(**overrides: Any) -> Any:
    props = dict(BASE["$defs"]["Data"]["properties"])
    required = list(BASE["$defs"]["Data"]["required"])
    for name, schema in overrides.items():
        if schema is None:
            props.pop(name)
        else:
            props[name] = schema
    return props, required


def test_identical_and_added_optional_field_are_compatible_X_1() -> None:
    assert contracts.breaking_changes(BASE, BASE) == []
    props, required = changed(extra={"type": "integer", "default": 0})
    assert contracts.breaking_changes(BASE, event(props, required)) == []


def test_widened_enum_is_compatible_X_1() -> None:
    props, required = changed(kind={"enum": ["a", "b", "c"], "type": "string"})
    assert contracts.breaking_changes(BASE, event(props, required)) == []


@pytest.mark.parametrize(
    ("props_required", "expected"),
    [
        (changed(note=None), "$.data.note: field removed or renamed"),
        (
            (changed(ident={"type": "string"}, id=None)[0], ["ident", "kind", "tags", "at"]),
            "$.data.id: field removed or renamed",
        ),
        (
            (changed()[0], ["id", "kind", "tags", "at", "note"]),
            "$.data.note: optional field made required",
        ),
        (
            (changed(new={"type": "string"})[0], ["id", "kind", "tags", "at", "new"]),
            "$.data.new: new required field",
        ),
        (changed(id={"type": "integer"}), "$.data.id: type changed"),
        (changed(at={"type": "string"}), "$.data.at: type changed"),
        (changed(note={"type": "string", "default": ""}), "$.data.note: type changed"),
        (changed(tags={"type": "array", "items": {"type": "integer"}}), "$.data.tags[]: type"),
        (changed(kind={"enum": ["a"], "type": "string"}), "$.data.kind: enum/Literal narrowed"),
        (changed(kind={"const": "a", "type": "string"}), "$.data.kind: enum/Literal narrowed"),
        (changed(id={"enum": ["x", "y"], "type": "string"}), "$.data.id: narrowed to the values"),
    ],
    ids=[
        "removed", "renamed", "made-required", "new-required", "type", "format", "nullability",
        "item-type", "narrowed-enum", "narrowed-literal", "free-to-enum",
    ],
)  # fmt: skip
def test_each_breaking_rule_fires_X_1(
    props_required: tuple[dict[str, Any], list[str]], expected: str
) -> None:
    problems = contracts.breaking_changes(BASE, event(*props_required))
    assert any(p.startswith(expected) for p in problems), problems


def test_breaking_change_asks_for_a_new_version_X_1() -> None:
    props, required = changed(note=None)
    problems = contracts.event_problems(
        {"konto.x.thing.done.v1": event(props, required)}, {"konto.x.thing.done.v1": BASE}
    )
    assert len(problems) == 1
    assert "publish a new version (konto.x.thing.done.v2) instead" in problems[0]


def test_missing_stale_and_orphaned_schemas_are_reported_X_1() -> None:
    props, required = changed(extra={"type": "integer", "default": 0})
    problems = contracts.event_problems(
        {"konto.x.a.v1": BASE, "konto.x.b.v1": event(props, required)},
        {"konto.x.b.v1": BASE, "konto.x.gone.v1": BASE},
    )
    assert any("konto.x.a.v1: no committed schema" in p for p in problems)
    assert any("konto.x.b.v1: committed schema is stale" in p for p in problems)
    assert any("konto.x.gone.v1: schema committed but no such event type" in p for p in problems)


def test_real_models_a_removed_field_is_caught_X_1() -> None:
    """On a real generated schema: dropping UserRegistered.mobile is breaking."""
    schemas = contracts.event_schemas()
    old = schemas["konto.auth.user.registered.v1"]
    new = {**old, "$defs": {**old["$defs"]}}
    data = dict(new["$defs"]["UserRegistered"])
    data["properties"] = {k: v for k, v in data["properties"].items() if k != "mobile"}
    data["required"] = [r for r in data["required"] if r != "mobile"]
    new["$defs"]["UserRegistered"] = data
    assert contracts.breaking_changes(old, new) == ["$.data.mobile: field removed or renamed"]
