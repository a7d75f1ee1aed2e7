"""Graph's patternedRecurrence, typed, as found on series masters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Recurrence:
    pattern: str
    """daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly, relativeYearly."""
    interval: int
    days_of_week: tuple[str, ...]
    day_of_month: int
    month: int
    index: str
    """first, second, third, fourth, last (relative patterns)."""
    range_type: str
    """endDate, noEnd, numbered."""
    start_date: str
    end_date: str
    occurrences: int

    @classmethod
    def from_json(cls, obj: Any) -> Recurrence | None:
        if not isinstance(obj, dict):
            return None
        pattern = obj.get("pattern") if isinstance(obj.get("pattern"), dict) else {}
        span = obj.get("range") if isinstance(obj.get("range"), dict) else {}
        assert isinstance(pattern, dict) and isinstance(span, dict)

        def text(source: dict[str, Any], key: str) -> str:
            value = source.get(key)
            return value if isinstance(value, str) else ""

        def number(source: dict[str, Any], key: str) -> int:
            value = source.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else 0

        days = pattern.get("daysOfWeek")
        kind = text(pattern, "type")
        if not kind:
            return None
        return cls(
            pattern=kind,
            interval=max(number(pattern, "interval"), 1),
            days_of_week=tuple(d for d in days if isinstance(d, str))
            if isinstance(days, list)
            else (),
            day_of_month=number(pattern, "dayOfMonth"),
            month=number(pattern, "month"),
            index=text(pattern, "index"),
            range_type=text(span, "type"),
            start_date=text(span, "startDate"),
            end_date=text(span, "endDate"),
            occurrences=number(span, "numberOfOccurrences"),
        )
