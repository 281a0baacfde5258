"""What `fupin case import` says: the columns it read, what it imported or would, by year, unit, state."""

from fupin_cli.domain.ledger import FIELD_LABELS
from fupin_cli.services.ledger_import import ImportReport


def _counted(counts: dict) -> str:
    return "、".join(f"{key} {value}" for key, value in counts.items()) or "无"


def import_summary(report: ImportReport) -> str:
    where = f"{report.file}（工作表「{report.sheet}」）" if report.sheet else report.file
    lines = [f"台账：{where}"]
    lines.append("列的对应：" + "、".join(f"{FIELD_LABELS[name]}←「{header}」" for name, header in report.mapping.items()))
    if report.unused:
        lines.append("未用的列：" + "、".join(f"「{header}」" for header in report.unused))
    verb = "将导入" if report.dry_run else "已导入"
    lines.append(
        f"{verb} {report.imported} 件（审计记录 {report.events} 条）；"
        f"已导入过、内容相同而跳过 {report.already} 件；跳过空行 {report.blank} 行、合计行 {report.totals} 行"
    )
    if report.rejected:
        where = f"，已写入 {report.rejects_file}" if report.rejects_file else ""
        lines.append(f"未导入的行 {len(report.rejected)} 行（--skip-bad{where}）：")
        lines += [f"  {reason}" for _line, reason in report.rejected[:10]]
        if len(report.rejected) > 10:
            lines.append(f"  …另有 {len(report.rejected) - 10} 行")
    lines.append(f"按年度：{_counted(report.by_year)}")
    lines.append(f"按承办单位：{_counted(report.by_unit)}")
    lines.append(f"按状态：{_counted(report.by_state)}")
    lines.append("编号续接：" + "、".join(f"{year} 年下一件为 {no}" for year, no in report.next_numbers.items()))
    if report.dry_run:
        if report.first_rows:
            lines.append("前几行：")
            lines += [
                f"  第{row.line}行 {row.number} {row.state} {row.unit or '—'} {row.title[:24]}"
                for row in report.first_rows
            ]
        lines.append("试导入（--dry-run）：数据库未作任何改动")
    return "\n".join(lines)
