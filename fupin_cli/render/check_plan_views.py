"""What `fupin check plan` shows: the year's sample as a record, CSV rows and a Rich view.
"""

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from fupin_cli.domain.sampling import QuotaKind
from fupin_cli.render.check_formats import day_text, new_table
from fupin_cli.services.check_plans import PlanView

# --- plan ----------------------------------------------------------------------------------------


def plan_record(view: PlanView) -> dict[str, Any]:
    plan = view.plan
    return {
        "year": plan.year,
        "period_year": plan.period_year,
        "seed": plan.seed,
        "county_count": view.county_count,
        "focus_counties": list(plan.focus_counties),
        "drawn_on": day_text(view.drawn_on),
        "drawn_by": view.drawn_by,
        "drawn_now": view.drawn_now,
        "redrawn_from_seed": view.redrawn_from_seed,
        "villages_changed": view.villages_changed,
        "counties": [
            {
                "county": county.county,
                "focus": county.focus,
                "key_villages": view.counts.get(county.county).key_villages
                if county.county in view.counts
                else None,
                "project_villages": view.counts.get(county.county).project_villages
                if county.county in view.counts
                else None,
                "city_villages": list(county.city_villages),
                "quotas": [
                    {
                        "kind": q.kind.value,
                        "label": q.kind.label,
                        "share": q.kind.share_text,
                        "base": q.base,
                        "required": q.required,
                    }
                    for q in county.quotas
                ],
            }
            for county in plan.counties
        ],
        "notes": list(view.notes),
    }


PLAN_CSV_COLUMNS = (
    "year",
    "period_year",
    "seed",
    "county",
    "focus",
    "key_villages",
    "project_villages",
    "city_required",
    "city_villages",
    "county_focus_required",
    "county_self_required",
)


def plan_csv_records(view: PlanView) -> list[dict[str, Any]]:
    rows = []
    for county in view.plan.counties:
        quotas = {q.kind: q for q in county.quotas}
        city = quotas.get(QuotaKind.CITY_FULL) or quotas.get(QuotaKind.CITY_SAMPLE)
        rows.append(
            {
                "year": view.plan.year,
                "period_year": view.plan.period_year,
                "seed": view.plan.seed,
                "county": county.county,
                "focus": county.focus,
                "key_villages": quotas[QuotaKind.COUNTY_SELF].base,
                "project_villages": city.base if city else 0,
                "city_required": city.required if city else 0,
                "city_villages": list(county.city_villages),
                "county_focus_required": quotas[QuotaKind.COUNTY_FOCUS].required,
                "county_self_required": quotas[QuotaKind.COUNTY_SELF].required,
            }
        )
    return rows


def plan_view(view: PlanView) -> RenderableType:
    plan = view.plan
    if view.drawn_now and view.redrawn_from_seed is not None:
        head = f"{plan.year} 年扶贫资金项目抽查计划：已重新抽取（原种子 {view.redrawn_from_seed}）"
    elif view.drawn_now:
        head = f"{plan.year} 年扶贫资金项目抽查计划：已抽取并保存"
    else:
        head = f"{plan.year} 年扶贫资金项目抽查计划（{view.drawn_on} 由 {view.drawn_by} 抽取）"
    lines: list[RenderableType] = [
        Text(head, style="bold"),
        Text(
            f"种子 {plan.seed}；项目年度 {plan.period_year}；重点督查县 {'、'.join(plan.focus_counties)}。"
            f"任何人用 fupin check plan --year {plan.year} --seed {plan.seed} --counties {view.county_count}"
            f"{'' if plan.period_year == plan.year else f' --period {plan.period_year}'} 在同样的村庄名单上都抽得同样结果。"
        ),
    ]
    table = new_table()
    table.add_column("县", no_wrap=True)
    table.add_column("重点督查", no_wrap=True)
    table.add_column("市核查（项目实施村）", overflow="fold", ratio=1)
    table.add_column("县重点检查\n≥30%重点村", justify="right", no_wrap=True)
    table.add_column("县自查\n≥1/2重点村", justify="right", no_wrap=True)
    for county in plan.counties:
        quotas = {q.kind: q for q in county.quotas}
        city = quotas.get(QuotaKind.CITY_FULL) or quotas.get(QuotaKind.CITY_SAMPLE)
        assert city is not None
        share = "全部" if city.kind is QuotaKind.CITY_FULL else "≥1/3"
        names = "：" + "、".join(county.city_villages) if county.city_villages else ""
        focus, own = quotas[QuotaKind.COUNTY_FOCUS], quotas[QuotaKind.COUNTY_SELF]
        table.add_row(
            county.county,
            "是" if county.focus else "",
            f"{city.required}/{city.base}（{share}）{names}",
            f"{focus.required}/{focus.base}",
            f"{own.required}/{own.base}",
        )
    lines.append(table)
    lines.append(Text("配额均向上取整（如 7 个重点村的 30% 为 2.1，取 3）；分母为现有村数。", style="dim"))
    if view.villages_changed:
        lines.append(Text("注意：村庄名单在抽取后有变化，按同一种子重抽结果可能不同。", style="yellow"))
    lines += [Text(note, style="yellow") for note in view.notes]
    return Group(*lines)
