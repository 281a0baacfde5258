"""`fupin check plan`: the year's sample of counties and villages, drawn once with a seed and shown again.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from fupin_cli.domain import sampling
from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.check_values import check_year
from fupin_cli.domain.errors import InvalidInputError, RuleViolationError
from fupin_cli.services.check_common import DEFAULT_SEED_LIMIT, PLAN_SUBJECT
from fupin_cli.services.database import reading
from fupin_cli.settings import Settings
from fupin_cli.storage import check_rows
from fupin_cli.storage.rows import Rows

if TYPE_CHECKING:
    from fupin_cli.storage.unit_of_work import UnitOfWork


# --- plans ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountyCounts:
    key_villages: int
    project_villages: int


@dataclass(frozen=True)
class PlanView:
    plan: sampling.Plan
    county_count: int
    drawn_on: date
    drawn_by: str
    counts: dict[str, CountyCounts]
    """Per key county, the villages the plan was judged against (as stored now)."""
    drawn_now: bool = False
    redrawn_from_seed: int | None = None
    """The seed of the plan a --redraw replaced."""
    villages_changed: bool = False
    """The villages differ from those the plan was drawn from: the same seed may now draw otherwise."""
    notes: tuple[str, ...] = ()


def county_villages(rows: Rows, period_year: int) -> list[sampling.CountyVillages]:
    villages = check_rows.village_rows(rows)
    found = []
    for county in check_rows.key_counties(rows):
        mine = [row for row in villages if row["county"] == county]
        found.append(
            sampling.CountyVillages(
                county=county,
                key_villages=tuple(row["name"] for row in mine if row["key_village"]),
                project_villages=tuple(row["name"] for row in mine if period_year in row["project_years"]),
            )
        )
    return found


def _in_units_order(rows: Rows, plan: sampling.Plan) -> sampling.Plan:
    """The plan with its counties as the units file lists them (it is drawn and stored in name order)."""
    order = {county: position for position, county in enumerate(check_rows.key_counties(rows))}
    ordered = sorted(plan.counties, key=lambda c: (order.get(c.county, len(order)), c.county))
    return replace(plan, counties=tuple(ordered))


def _counts(counties: Sequence[sampling.CountyVillages]) -> dict[str, CountyCounts]:
    return {c.county: CountyCounts(len(c.key_villages), len(c.project_villages)) for c in counties}


def _stored_plan_view(rows: Rows, stored: dict[str, Any], notes: Sequence[str] = ()) -> PlanView:
    plan = sampling.plan_from_data(stored["plan"])
    counties = county_villages(rows, plan.period_year)
    return PlanView(
        plan=_in_units_order(rows, plan),
        county_count=int(stored["county_count"]),
        drawn_on=stored["drawn_on"],
        drawn_by=stored["drawn_by"],
        counts=_counts(counties),
        villages_changed=sampling.villages_digest(counties) != stored["villages_digest"],
        notes=tuple(notes),
    )


def _checked_plan_options(
    settings: Settings, *, year: int, seed: int | None, counties: int | None, period_year: int | None
) -> None:
    check_year(year, today=settings.today)
    if seed is not None:
        sampling.check_seed(seed)
    if counties is not None:
        sampling.check_focus_count(counties)
    if period_year is not None:
        check_year(period_year, today=settings.today, what="项目年度")
        if period_year > year:
            raise InvalidInputError(f"项目年度 {period_year} 晚于计划年度 {year}")


def stored_plan(
    *,
    settings: Settings,
    year: int,
    seed: int | None = None,
    counties: int | None = None,
    period_year: int | None = None,
) -> PlanView | None:
    """The year's stored plan, shown on the light read path (writing nothing); None when there is none."""
    _checked_plan_options(settings, year=year, seed=seed, counties=counties, period_year=period_year)
    with reading(settings) as rows:
        stored = check_rows.load_plan(rows, year)
        if stored is None:
            return None
        return _stored_plan_view(rows, stored, _not_redrawn(stored, seed, counties, period_year))


def plan_year(
    uow: UnitOfWork,
    *,
    settings: Settings,
    year: int,
    seed: int | None = None,
    counties: int | None = None,
    period_year: int | None = None,
    redraw: bool = False,
) -> PlanView:
    """The year's plan drawn (and stored, with an audit event) when there is none, or on --redraw;
    a plan stored meanwhile by another clerk is shown, not drawn again."""
    _checked_plan_options(settings, year=year, seed=seed, counties=counties, period_year=period_year)
    return _draw(uow, settings, year=year, seed=seed, counties=counties, period_year=period_year, redraw=redraw)


def _not_redrawn(
    stored: dict[str, Any], seed: int | None, counties: int | None, period_year: int | None
) -> list[str]:
    asked = {"--seed": seed, "--counties": counties, "--period": period_year}
    ignored = [option for option, value in asked.items() if value is not None]
    if not ignored:
        return []
    return [
        f"{stored['year']} 年计划已于 {stored['drawn_on']} 抽取，未重抽（{'、'.join(ignored)} 未用）；要重抽请加 --redraw"
    ]


def _draw(
    uow: UnitOfWork,
    settings: Settings,
    *,
    year: int,
    seed: int | None,
    counties: int | None,
    period_year: int | None,
    redraw: bool,
) -> PlanView:
    from fupin_cli.storage import checks as repository  # the write path's modules

    conn = uow.connection()
    stored = check_rows.load_plan(uow, year)
    if stored is not None and not redraw:  # another clerk drew it a moment ago
        return _stored_plan_view(uow, stored, _not_redrawn(stored, seed, counties, period_year))
    previous = sampling.plan_from_data(stored["plan"]) if stored is not None else None
    period = period_year or (previous.period_year if previous else year)
    chosen_seed = seed if seed is not None else secrets.randbelow(DEFAULT_SEED_LIMIT)
    count = counties or (int(stored["county_count"]) if stored else sampling.DEFAULT_FOCUS_COUNTIES)
    villages = county_villages(uow, period)
    if not any(c.key_villages or c.project_villages for c in villages):
        raise RuleViolationError("重点县还没有村庄数据：请先用 fupin check villages import 导入村庄名单")
    plan = sampling.draw_plan(
        year=year, period_year=period, seed=chosen_seed, counties=villages, focus_count=count
    )
    data = sampling.plan_to_data(plan)
    digest = sampling.villages_digest(villages)
    repository.save_plan(
        conn,
        year=year,
        period_year=period,
        seed=chosen_seed,
        county_count=count,
        plan=data,
        villages_digest=digest,
        drawn_on=settings.today,
        drawn_by=settings.user,
    )
    uow.record(
        subject=PLAN_SUBJECT.format(year=year),
        action=AuditAction.PLAN_REDRAW if previous else AuditAction.PLAN_DRAW,
        effective_on=settings.today,
        before={"seed": previous.seed, "plan": stored["plan"]} if previous and stored else None,
        after={"seed": chosen_seed, "villages_digest": digest, "plan": data, "county_count": count},
    )
    return PlanView(
        plan=_in_units_order(uow, plan),
        county_count=count,
        drawn_on=settings.today,
        drawn_by=settings.user,
        counts=_counts(villages),
        drawn_now=True,
        redrawn_from_seed=previous.seed if previous else None,
    )
