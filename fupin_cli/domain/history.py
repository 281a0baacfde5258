"""A case as it stood at the end of a past day, replayed from its audit events by their effective
dates (`--on`). Pure: standard library only; used by the as-of reports.

Each event's `after` holds the fields the step changed (ISO dates as text); the steps of one case are
dated in order (domain.dates.check_step_day), so the events up to a day are a prefix of the trail.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

REPLAYED = (
    "state", "lead_unit", "category", "assigned_on", "original_due", "due", "due_provisional", "feedback_on",
)  # fmt: skip
"""The fields an as-of report needs, as they stood then."""


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def state_as_of(events: Iterable[tuple[str, Any, Mapping[str, Any]]], day: date) -> dict[str, Any] | None:
    """The replayed fields of one case at the end of `day` from its events (action, effective_on,
    after) oldest first, plus `extensions` (extensions granted by then); None if not yet opened."""
    found: dict[str, Any] | None = None
    for action, effective_on, after in events:
        on = _day(effective_on)
        if on is not None and on > day:
            break
        if found is None:
            found = {name: None for name in REPLAYED} | {"extensions": 0}
        for name in REPLAYED:
            if name in after:
                found[name] = after[name]
        found["extensions"] += action == "extend"
    if found is not None:
        for name in ("assigned_on", "original_due", "due", "feedback_on"):
            found[name] = _day(found[name])
        found["due_provisional"] = bool(found["due_provisional"])
    return found
