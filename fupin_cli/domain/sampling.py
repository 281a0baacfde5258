"""The yearly sampling plan of 扶贫资金项目监督检查 and its quotas. Standard library only.

The rules (责任清单 第二部分（二）三), each share rounded up:

- 重点督查: every year the city picks 2–3 key counties and verifies one period (a year) fully there,
  so the city visits **all** the project villages (项目实施村) of that period in those counties;
  each county spot-checks (重点检查) at least 30% of its key villages (重点村).
- 全面督查: in the key counties not picked, the city samples at least 1/3 of the project villages of
  the period; each county self-checks (自查) at least 1/2 of its key villages.

Shares are exact fractions and quotas are rounded up on them (30% of 7 = 21/10 → 3; 1/3 of 3 → 1;
1/2 of 1 → 1): no float ever decides a quota. A plan is drawn with `random.Random(seed)` over sorted
inputs, so the same seed on the same villages always draws the same plan.
"""

import hashlib
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Any

from fupin_cli.domain.errors import InvalidInputError

CITY_SAMPLE_SHARE = Fraction(1, 3)
"""全面督查: the city samples at least 1/3 of the project villages of a county not picked."""
COUNTY_FOCUS_SHARE = Fraction(3, 10)
"""重点督查: each county spot-checks at least 30% of its key villages."""
COUNTY_SELF_SHARE = Fraction(1, 2)
"""全面督查: each county self-checks at least 1/2 of its key villages."""
FOCUS_COUNTIES = (2, 3)
"""How many key counties the city may pick for 重点督查 in a year."""
DEFAULT_FOCUS_COUNTIES = 2
FOCUS_METHOD = "重点督查"
"""An inspection of kind 2 with this method: the county's visits count towards its 30% 重点检查."""
SEED_LIMIT = 10**12
"""Seeds are whole numbers below this (twelve digits at most, easy to read out and type)."""


def at_least(share: Fraction, count: int) -> int:
    """The smallest whole number of villages that is at least `share` of `count`: ceil, exactly."""
    if count < 0:
        raise ValueError(f"a negative count of villages: {count}")
    return math.ceil(share * count)


class QuotaKind(StrEnum):
    CITY_FULL = "city_full"  # 市·重点督查：抽中的重点县，该时段项目实施村全部核查
    CITY_SAMPLE = "city_sample"  # 市·全面督查：未抽中的重点县，抽查项目实施村 1/3 以上
    COUNTY_FOCUS = "county_focus"  # 县·重点检查：抽查重点村 30% 以上
    COUNTY_SELF = "county_self"  # 县·自查：自查重点村 1/2 以上

    @property
    def label(self) -> str:
        return _QUOTA_LABELS[self]

    @property
    def share(self) -> Fraction:
        return _QUOTA_SHARES[self]

    @property
    def by_city(self) -> bool:
        return self in (QuotaKind.CITY_FULL, QuotaKind.CITY_SAMPLE)

    @property
    def share_text(self) -> str:
        """全部, 1/3, 30%, 1/2: as the office's text writes the share."""
        return {Fraction(1): "全部", Fraction(3, 10): "30%"}.get(self.share, str(self.share))


_QUOTA_LABELS = {
    QuotaKind.CITY_FULL: "市重点督查·项目实施村全部核查",
    QuotaKind.CITY_SAMPLE: "市全面督查·抽查项目实施村",
    QuotaKind.COUNTY_FOCUS: "县重点检查·抽查重点村",
    QuotaKind.COUNTY_SELF: "县自查·重点村",
}
_QUOTA_SHARES = {
    QuotaKind.CITY_FULL: Fraction(1),
    QuotaKind.CITY_SAMPLE: CITY_SAMPLE_SHARE,
    QuotaKind.COUNTY_FOCUS: COUNTY_FOCUS_SHARE,
    QuotaKind.COUNTY_SELF: COUNTY_SELF_SHARE,
}


@dataclass(frozen=True)
class CountyVillages:
    """What a key county has to be checked: its key villages and its project villages of the period."""

    county: str
    key_villages: tuple[str, ...]
    project_villages: tuple[str, ...]


@dataclass(frozen=True)
class Quota:
    kind: QuotaKind
    base: int
    """How many villages the share is taken of."""
    required: int


def quotas_for(county: CountyVillages, *, focus: bool) -> tuple[Quota, ...]:
    """The four quotas of one key county, or three: the city's is full (picked) or a third (not)."""
    projects = len(set(county.project_villages))
    keys = len(set(county.key_villages))
    city = QuotaKind.CITY_FULL if focus else QuotaKind.CITY_SAMPLE
    return (
        Quota(city, projects, at_least(city.share, projects)),
        Quota(QuotaKind.COUNTY_FOCUS, keys, at_least(COUNTY_FOCUS_SHARE, keys)),
        Quota(QuotaKind.COUNTY_SELF, keys, at_least(COUNTY_SELF_SHARE, keys)),
    )


@dataclass(frozen=True)
class CountyPlan:
    county: str
    focus: bool
    """Picked for 重点督查 this year."""
    city_villages: tuple[str, ...]
    """The project villages the city visits, in name order."""
    quotas: tuple[Quota, ...]

    def quota(self, kind: QuotaKind) -> Quota | None:
        return next((quota for quota in self.quotas if quota.kind is kind), None)


@dataclass(frozen=True)
class Plan:
    year: int
    period_year: int
    """The year whose project villages are checked (某一年度)."""
    seed: int
    focus_counties: tuple[str, ...]
    counties: tuple[CountyPlan, ...]
    """Every key county, in name order."""

    def county(self, name: str) -> CountyPlan | None:
        return next((plan for plan in self.counties if plan.county == name), None)


def check_seed(seed: int) -> int:
    if not 0 <= seed < SEED_LIMIT:
        raise InvalidInputError(f"种子应是 0 至 {SEED_LIMIT - 1} 之间的整数，而不是 {seed}")
    return seed


def check_focus_count(count: int) -> int:
    if count not in FOCUS_COUNTIES:
        raise InvalidInputError(f"重点督查县数应为 2 或 3（责任清单：对2-3个重点县全面核查），而不是 {count}")
    return count


def draw_plan(
    *, year: int, period_year: int, seed: int, counties: Sequence[CountyVillages], focus_count: int
) -> Plan:
    """Pick `focus_count` key counties for 重点督查, then the city's villages in every key county.

    One `random.Random(seed)` draws, in this order, over inputs sorted by name: the focus counties
    from all key counties; then, county by county in name order, a third (rounded up) of the project
    villages of each county not picked. A picked county's project villages are all visited.
    """
    check_seed(seed)
    check_focus_count(focus_count)
    names = sorted({county.county for county in counties})
    if len(names) != len(counties):
        raise ValueError("a county is listed twice")
    if len(names) < focus_count:
        raise InvalidInputError(f"只有 {len(names)} 个重点县，不够抽取 {focus_count} 个重点督查县")
    chance = random.Random(seed)
    focus = tuple(sorted(chance.sample(names, focus_count)))
    by_name = {county.county: county for county in counties}
    plans = []
    for name in names:
        county = by_name[name]
        picked = name in focus
        quotas = quotas_for(county, focus=picked)
        projects = sorted(set(county.project_villages))
        if picked:
            visited = projects
        else:
            visited = sorted(chance.sample(projects, quotas[0].required))
        plans.append(CountyPlan(name, picked, tuple(visited), quotas))
    return Plan(year, period_year, seed, focus, tuple(plans))


def unmet_quotas(plan: Plan, counties: Sequence[CountyVillages]) -> list[str]:
    """What the plan's city villages leave unmet against `counties` (empty when every quota is met).

    The city's villages must be distinct project villages of their county, as many as its quota;
    the counties' own quotas are shares the counties choose villages for, so they hold trivially
    as long as the county has that many key villages.
    """
    problems = []
    by_name = {county.county: county for county in counties}
    for county_plan in plan.counties:
        county = by_name.get(county_plan.county)
        if county is None:
            problems.append(f"{county_plan.county}: not a key county of the input")
            continue
        projects = set(county.project_villages)
        visited = county_plan.city_villages
        if len(set(visited)) != len(visited) or not set(visited) <= projects:
            problems.append(f"{county.county}: city villages not distinct project villages")
        for quota in quotas_for(county, focus=county_plan.focus):
            if quota.kind.by_city and len(set(visited)) < quota.required:
                problems.append(f"{county.county}: {quota.kind} {len(visited)} < {quota.required}")
            if not quota.kind.by_city and quota.required > len(set(county.key_villages)):
                problems.append(f"{county.county}: {quota.kind} needs more key villages than there are")
    if len(plan.focus_counties) not in FOCUS_COUNTIES:
        problems.append(f"{len(plan.focus_counties)} focus counties")
    return problems


def villages_digest(counties: Iterable[CountyVillages]) -> str:
    """A fingerprint of the villages a plan is drawn from: the same villages give the same digest."""
    lines = []
    for county in sorted(counties, key=lambda c: c.county):
        lines.append(f"{county.county}|重点村|{'、'.join(sorted(set(county.key_villages)))}")
        lines.append(f"{county.county}|项目实施村|{'、'.join(sorted(set(county.project_villages)))}")
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


# --- stored form ---------------------------------------------------------------------------------


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-able data, as stored with it and as its audit event records it."""
    return {
        "year": plan.year,
        "period_year": plan.period_year,
        "seed": plan.seed,
        "focus_counties": list(plan.focus_counties),
        "counties": [
            {
                "county": county.county,
                "focus": county.focus,
                "city_villages": list(county.city_villages),
                "quotas": [
                    {"kind": quota.kind.value, "base": quota.base, "required": quota.required}
                    for quota in county.quotas
                ],
            }
            for county in plan.counties
        ],
    }


def plan_from_data(data: Mapping[str, Any]) -> Plan:
    return Plan(
        year=int(data["year"]),
        period_year=int(data["period_year"]),
        seed=int(data["seed"]),
        focus_counties=tuple(data["focus_counties"]),
        counties=tuple(
            CountyPlan(
                county=county["county"],
                focus=bool(county["focus"]),
                city_villages=tuple(county["city_villages"]),
                quotas=tuple(
                    Quota(QuotaKind(quota["kind"]), int(quota["base"]), int(quota["required"]))
                    for quota in county["quotas"]
                ),
            )
            for county in data["counties"]
        ),
    )


# --- coverage ------------------------------------------------------------------------------------

LATE_SHARE = Fraction(3, 4)
"""A quota still unmet when more than this share of the year has gone is shown 红."""


def year_gone(year: int, today: date) -> Fraction:
    """The share of `year` gone by the end of `today`: 0 before it starts, 1 after it ends.

    More than three quarters is gone from 1 October on, in common and leap years alike.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    if today < first:
        return Fraction(0)
    if today >= last:
        return Fraction(1)
    return Fraction((today - first).days + 1, (last - first).days + 1)


@dataclass(frozen=True)
class QuotaCoverage:
    county: str
    kind: QuotaKind
    base: int
    required: int
    done: int
    pending_villages: tuple[str, ...]
    """For the city's quotas: the planned villages not visited yet."""
    late: bool
    """Unmet, and more than three quarters of the year gone: 红."""

    @property
    def missing(self) -> int:
        return max(self.required - self.done, 0)

    @property
    def met(self) -> bool:
        return self.done >= self.required


@dataclass(frozen=True)
class CountyVisits:
    """Distinct villages of one county checked in the year's 扶贫资金项目 inspections, by whom."""

    city: frozenset[str] = frozenset()
    county_focus: frozenset[str] = frozenset()
    """Checked by the county in an inspection whose method is 重点督查."""
    county_self: frozenset[str] = frozenset()
    """Checked by the county in any other 扶贫资金项目 inspection (全面督查, or no method given)."""


def coverage(
    *,
    year: int,
    today: date,
    counties: Sequence[CountyVillages],
    plan: Plan | None,
    visits: Mapping[str, CountyVisits],
) -> list[QuotaCoverage]:
    """Each key county's quotas for `year` against the visits recorded, in county order.

    The bases are the villages as they are now; the plan says which counties were picked (none
    without a plan, so every city quota is then the 1/3 sample) and which villages the city meant to
    visit. The city's visits count when they are project villages of the county; the county's
    when they are its key villages.
    """
    late_now = year_gone(year, today) > LATE_SHARE
    rows: list[QuotaCoverage] = []
    for county in sorted(counties, key=lambda c: c.county):
        planned = plan.county(county.county) if plan is not None else None
        focus = planned.focus if planned is not None else False
        seen = visits.get(county.county, CountyVisits())
        projects, keys = set(county.project_villages), set(county.key_villages)
        for quota in quotas_for(county, focus=focus):
            if quota.kind.by_city:
                counted = seen.city & projects
                wanted = planned.city_villages if planned is not None else ()
                pending = tuple(name for name in wanted if name not in seen.city)
            elif quota.kind is QuotaKind.COUNTY_FOCUS:
                counted, pending = seen.county_focus & keys, ()
            else:
                counted, pending = seen.county_self & keys, ()
            done = len(counted)
            rows.append(
                QuotaCoverage(
                    county=county.county,
                    kind=quota.kind,
                    base=quota.base,
                    required=quota.required,
                    done=done,
                    pending_villages=pending,
                    late=late_now and done < quota.required,
                )
            )
    return rows
