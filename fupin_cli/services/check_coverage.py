"""`fupin check coverage`: how far a year's inspections reached the counties and villages of the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fupin_cli.domain import sampling
from fupin_cli.domain.check_values import check_year
from fupin_cli.domain.inspections import CheckedBy
from fupin_cli.services.check_plans import county_villages
from fupin_cli.services.database import reading
from fupin_cli.settings import Settings
from fupin_cli.storage import check_rows

# --- coverage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageReport:
    year: int
    today: date
    period_year: int
    plan_seed: int | None
    focus_counties: tuple[str, ...]
    rows: tuple[sampling.QuotaCoverage, ...]
    late: bool
    """More than three quarters of the year gone: unmet quotas are 红."""
    notes: tuple[str, ...] = field(default=())


def coverage(*, settings: Settings, year: int) -> CoverageReport:
    """Per key county, each 扶贫资金项目 quota of `year`: required, done (visits recorded), missing."""
    check_year(year, today=settings.today)
    with reading(settings) as rows:
        stored = check_rows.load_plan(rows, year)
        plan = sampling.plan_from_data(stored["plan"]) if stored else None
        period = plan.period_year if plan else year
        counties = county_villages(rows, period)
        order = {county: position for position, county in enumerate(check_rows.key_counties(rows))}
        seen: dict[str, dict[str, set[str]]] = {}
        for county, village, checked_by, method in check_rows.fund_project_visits(rows, year):
            sides = seen.setdefault(county, {"city": set(), "focus": set(), "self": set()})
            if checked_by == CheckedBy.CITY.value:
                sides["city"].add(village)
            elif checked_by == CheckedBy.COUNTY.value:
                sides["focus" if method == sampling.FOCUS_METHOD else "self"].add(village)
    visits = {
        county: sampling.CountyVisits(frozenset(s["city"]), frozenset(s["focus"]), frozenset(s["self"]))
        for county, s in seen.items()
    }
    rows = sampling.coverage(year=year, today=settings.today, counties=counties, plan=plan, visits=visits)
    rows.sort(
        key=lambda row: (order.get(row.county, len(order)), row.county)
    )  # stable: quotas keep their order
    notes = []
    if plan is None:
        notes.append(f"{year} 年尚未抽取计划（fupin check plan --year {year}）：市级配额均按抽查 1/3 计")
    elif stored and sampling.villages_digest(counties) != stored["villages_digest"]:
        notes.append("村庄名单在抽取计划之后有变化：配额按现在的名单计算")
    return CoverageReport(
        year=year,
        today=settings.today,
        period_year=period,
        plan_seed=plan.seed if plan else None,
        focus_counties=plan.focus_counties if plan else (),
        rows=tuple(rows),
        late=sampling.year_gone(year, settings.today) > sampling.LATE_SHARE,
        notes=tuple(notes),
    )
