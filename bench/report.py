"""Figures with their goals, as a table on the terminal and as JSON."""

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_COMPARE: dict[str, Callable[[float, float], bool]] = {">=": operator.ge, "<=": operator.le}


@dataclass(frozen=True)
class Goal:
    op: str  # ">=" or "<="
    target: float

    def met(self, value: float) -> bool:
        return _COMPARE[self.op](value, self.target)

    def __str__(self) -> str:
        return f"{'≥' if self.op == '>=' else '≤'} {self.target:g}"


@dataclass
class Figure:
    key: str
    label: str
    unit: str
    used: str
    value: float | None = None
    goal: Goal | None = None
    details: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    note: str | None = None

    @property
    def passed(self) -> bool | None:
        if self.goal is None or self.value is None:
            return None
        return self.goal.met(self.value)

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "goal": {"op": self.goal.op, "target": self.goal.target} if self.goal else None,
            "pass": self.passed,
            "used": self.used,
            "details": self.details,
            "error": self.error,
            "note": self.note,
        }


def _value(figure: Figure) -> str:
    if figure.value is None:
        return "error" if figure.error else "-"
    digits = 2 if abs(figure.value) < 10 else 1 if abs(figure.value) < 1000 else 0
    return f"{figure.value:,.{digits}f} {figure.unit}"


def table(figures: list[Figure]) -> str:
    rows = [("figure", "value", "goal", "ok", "used")]
    for figure in figures:
        ok = {True: "pass", False: "FAIL", None: ""}[figure.passed]
        rows.append((figure.label, _value(figure), str(figure.goal or ""), ok, figure.used))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1])]
        cells += [row[2].ljust(widths[2]), row[3].ljust(widths[3]), row[4]]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("-" * len(lines[0]))
    notes = [f"{f.label}: {f.error or f.note}" for f in figures if f.error or f.note]
    return "\n".join(lines + notes)
