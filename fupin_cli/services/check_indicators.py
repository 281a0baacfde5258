"""`fupin check indicator` and `check indicators`: a county's yearly rates and those below the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING

from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.check_values import check_rate, check_year, parse_threshold
from fupin_cli.domain.dates import check_step_day
from fupin_cli.domain.errors import RuleViolationError
from fupin_cli.domain.inspections import IndicatorKind
from fupin_cli.services.check_common import county_named, load_catalogue
from fupin_cli.services.database import reading
from fupin_cli.settings import Settings
from fupin_cli.storage import check_rows

if TYPE_CHECKING:
    from fupin_cli.storage.unit_of_work import UnitOfWork


# --- indicators ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorView:
    year: int
    county: str
    indicator: IndicatorKind
    numerator: int
    denominator: int
    recorded_on: date
    threshold: Fraction
    previous: tuple[int, int] | None = None

    @property
    def rate(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    @property
    def below(self) -> bool:
        return self.rate < self.threshold


def record_indicator(
    uow: UnitOfWork,
    *,
    settings: Settings,
    county: str,
    year: int,
    kind: str,
    numerator: int,
    denominator: int,
    on: date | None = None,
) -> IndicatorView:
    """A county's rate for a year; recording it again replaces the figures (the event keeps both)."""
    from fupin_cli.storage import checks as repository  # the write path's modules

    day = on or settings.today
    check_year(year, today=settings.today)
    check_rate(numerator, denominator)
    check_step_day(day, today=settings.today)
    indicator = load_catalogue().parse_indicator(kind)
    conn = uow.connection()
    chosen = county_named(uow, county)
    if indicator.key_counties_only and chosen not in check_rows.key_counties(uow):
        raise RuleViolationError(f"{indicator.name}只统计扶贫开发重点县，{chosen}不是重点县")
    stored = check_rows.load_indicator(uow, year=year, county=chosen, kind=indicator.name)
    repository.save_indicator(
        conn,
        year=year,
        county=chosen,
        kind=indicator.name,
        numerator=numerator,
        denominator=denominator,
        on=day,
    )
    figures = {"numerator": numerator, "denominator": denominator}
    uow.record(
        subject=f"指标〔{year}〕{chosen}·{indicator.name}",
        action=AuditAction.INDICATOR,
        effective_on=day,
        before={"numerator": stored["numerator"], "denominator": stored["denominator"]}
        if stored
        else None,
        after=figures,
    )
    return IndicatorView(
        year=year,
        county=chosen,
        indicator=indicator,
        numerator=numerator,
        denominator=denominator,
        recorded_on=day,
        threshold=indicator.threshold,
        previous=(int(stored["numerator"]), int(stored["denominator"])) if stored else None,
    )


@dataclass(frozen=True)
class IndicatorReport:
    year: int
    threshold: Fraction | None
    """The --threshold given for every indicator, or None when each uses its own."""
    rows: tuple[IndicatorView, ...]
    recorded: int
    show_all: bool


def indicators_below(
    *,
    settings: Settings,
    year: int,
    threshold: str | None = None,
    kind: str | None = None,
    show_all: bool = False,
) -> IndicatorReport:
    """The counties whose rate is below the threshold (each indicator's own unless --threshold)."""
    catalogue = load_catalogue()
    override = parse_threshold(threshold) if threshold is not None else None
    wanted = catalogue.parse_indicator(kind) if kind is not None else None
    by_name = {item.name: item for item in catalogue.indicators}
    with reading(settings) as rows:
        stored = check_rows.indicator_rows(rows, year=year)
    views = []
    for row in stored:
        indicator = by_name.get(row["kind"])
        if indicator is None or (wanted is not None and indicator != wanted):
            continue
        views.append(
            IndicatorView(
                year=year,
                county=row["county"],
                indicator=indicator,
                numerator=int(row["numerator"]),
                denominator=int(row["denominator"]),
                recorded_on=row["recorded_on"],
                threshold=override if override is not None else indicator.threshold,
            )
        )
    order = {item.name: position for position, item in enumerate(catalogue.indicators)}
    views.sort(key=lambda v: (order[v.indicator.name], v.rate, v.county))
    shown = views if show_all else [view for view in views if view.below]
    return IndicatorReport(year, override, tuple(shown), len(views), show_all)
