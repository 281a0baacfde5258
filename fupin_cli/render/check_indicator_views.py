"""What `fupin check indicator` and `check indicators` show.
"""

from typing import Any

from rich.console import RenderableType
from rich.text import Text

from fupin_cli.domain.check_values import percent
from fupin_cli.render.check_formats import RED_STYLE, day_text, new_table
from fupin_cli.render.tabular import Tabular, tabular
from fupin_cli.services.check_indicators import IndicatorReport, IndicatorView

# --- indicators ----------------------------------------------------------------------------------


def indicator_line(view: IndicatorView) -> str:
    previous = f"（原为 {view.previous[0]}/{view.previous[1]}）" if view.previous else ""
    verdict = f"低于 {percent(view.threshold)}" if view.below else f"不低于 {percent(view.threshold)}"
    return (
        f"{view.year} 年{view.county}{view.indicator.name}：{view.numerator}/{view.denominator} = "
        f"{percent(view.rate)}，{verdict}{previous}"
    )


def indicator_record(view: IndicatorView) -> dict[str, Any]:
    return {
        "year": view.year,
        "county": view.county,
        "indicator": view.indicator.name,
        "kind": view.indicator.kind,
        "numerator": view.numerator,
        "denominator": view.denominator,
        "rate": float(view.rate),
        "rate_text": percent(view.rate),
        "threshold": float(view.threshold),
        "below": view.below,
        "recorded_on": day_text(view.recorded_on),
    }


INDICATOR_COLUMNS = (
    "year",
    "county",
    "indicator",
    "numerator",
    "denominator",
    "rate_text",
    "threshold",
    "below",
    "recorded_on",
)


def indicator_table(report: IndicatorReport) -> RenderableType:
    limit = f"低于 {percent(report.threshold)}" if report.threshold is not None else "低于各指标阈值"
    if not report.rows:
        if report.recorded == 0:
            return Text(f"{report.year} 年还没有登记指标（fupin check indicator）")
        return Text(f"{report.year} 年登记的 {report.recorded} 项指标都不{limit}")
    title = f"{report.year} 年指标" + (
        "" if report.show_all else f"：{limit}的县（共登记 {report.recorded} 项）"
    )
    table = new_table(title)
    for header in ("指标", "县", "分子/分母", "比率", "阈值", ""):
        table.add_column(header, no_wrap=True)
    for view in report.rows:
        table.add_row(
            view.indicator.name,
            view.county,
            f"{view.numerator}/{view.denominator}",
            percent(view.rate),
            percent(view.threshold),
            Text("低于", style=RED_STYLE) if view.below else Text(""),
        )
    return table


INDICATOR_HEADERS = ("年度", "县", "指标", "分子", "分母", "比率", "阈值", "低于阈值", "登记日期")


def indicator_tabular(report: IndicatorReport) -> Tabular:
    """`check indicators` as rows for every format but the table."""
    return tabular("指标", tuple(zip(INDICATOR_COLUMNS, INDICATOR_HEADERS, strict=True)),
                   [indicator_record(view) for view in report.rows], title="指标低于阈值的县",
                   empty="没有低于阈值的指标")  # fmt: skip
