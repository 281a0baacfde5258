"""`fupin db`: check, back up, restore and describe the database."""

from typing import Annotated, Any

import typer

from fupin_cli.cli.common import FormatOption, OutputFormat

app = typer.Typer(no_args_is_help=True)

COUNT_LABELS = {
    "cases": "督查事项",
    "audit_events": "审计记录",
    "extensions": "延期记录",
    "units": "单位",
    "duty_items": "职责事项",
}


def _counts(counts: dict[str, int]) -> str:
    return "，".join(f"{COUNT_LABELS.get(key, key)} {value}" for key, value in counts.items())


def _anchor(value: str | None) -> str | None:
    if value is None:
        return None
    from fupin_cli.domain.errors import InvalidInputError
    from fupin_cli.services import db_check as checking

    try:
        checking.parse_anchor(value)
    except InvalidInputError as problem:
        raise typer.BadParameter(problem.message) from None
    return value


@app.command("check")
def db_check(
    ctx: typer.Context,
    expect: Annotated[
        str | None,
        typer.Option(
            "--expect",
            metavar="条数:哈希",
            help="核对先前记下的链头（db check 或 db info 打印的「条数:哈希」）仍在审计链上。",
            callback=_anchor,
        ),
    ] = None,
) -> None:
    """全面检查数据库：SQLite 完整性与外键（PostgreSQL 跳过）、结构（只有 fupin 的表，没有别的表、视图、
    触发器）、审计链，并重放审计记录逐行核对 fupin 的每一张表；打印链头。有问题则指出第一处并退出 1。"""
    from fupin_cli.cli import common, console
    from fupin_cli.services import db_check as checking

    report = checking.check_database(settings=common.settings(ctx), expect=expect)
    integrity = (
        "完整性与外键检查：正常"
        if report.integrity_checked
        else "完整性检查：PostgreSQL 由服务器自行保证，跳过"
    )
    console.text(f"数据库：{report.location}（{report.backend}）")
    console.text(integrity)
    console.text(f"审计链：正常，共 {report.events} 条记录")
    console.text("结构与内容：与审计记录逐行相符")
    if expect is not None:
        console.text("链头核对：所记链头仍在审计链上")
    console.text(f"内容：{_counts(report.counts)}")
    console.text(f"链头：{report.head}")


@app.command("backup")
def db_backup(
    ctx: typer.Context,
    path: Annotated[
        str, typer.Argument(metavar="路径", help="备份文件的路径（新文件；已存在时需加 --force）。", show_default=False)
    ],
    force: Annotated[
        bool, typer.Option("--force", help="覆盖已存在的备份文件（符号链接仍不会被写入）。")
    ] = False,
) -> None:
    """把 SQLite 数据库备份到一个文件（联机备份，他人可同时使用；文件权限 0600）。PostgreSQL 请用 pg_dump。"""
    from fupin_cli.cli import common, console
    from fupin_cli.services import maintenance

    report = maintenance.backup_database(settings=common.settings(ctx), target=path, force=force)
    console.text(f"已备份到 {report.destination}（{report.size_bytes} 字节；{_counts(report.counts)}）")


@app.command("restore")
def db_restore(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(metavar="路径", help="由 fupin db backup 生成的备份文件。", show_default=False)],
) -> None:
    """把备份恢复到 --db 指向的数据库；该数据库必须还没有任何督查事项和审计记录。"""
    from fupin_cli.cli import common, console
    from fupin_cli.services import maintenance

    report = maintenance.restore_database(settings=common.settings(ctx), source=path)
    console.text(f"已从 {report.source} 恢复到 {report.destination}（{_counts(report.counts)}；审计链正常）")


@app.command("info")
def db_info(ctx: typer.Context, output_format: FormatOption = OutputFormat.table) -> None:
    """显示数据库的位置、类型、已执行的结构变更和各表记录数。"""
    import dataclasses

    from fupin_cli.cli import common, console
    from fupin_cli.render.tabular import records_csv, to_json
    from fupin_cli.services import database_info

    info = dataclasses.asdict(database_info.describe_database(settings=common.settings(ctx)))
    if output_format is OutputFormat.json:
        console.text(to_json(info))
        return
    rows: list[tuple[str, Any]] = [
        ("位置", info["location"]),
        ("类型", info["backend"]),
        ("结构版本", "、".join(info["migrations"]) or "无"),
        *((COUNT_LABELS[key], value) for key, value in info["counts"].items()),
        ("链头", info["chain_head"]),
    ]
    if info["size_bytes"] is not None:
        rows += [("文件大小（字节）", info["size_bytes"]), ("日志模式", info["journal_mode"])]
    if output_format is OutputFormat.csv:
        console.text(records_csv([{"item": label, "value": value} for label, value in rows], ("item", "value")))
        return
    console.text("\n".join(f"{label}：{value}" for label, value in rows))


@app.command("copy")
def db_copy(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="URL_OR_PATH",
            help="目标数据库：新的 SQLite 文件路径，或只经 fupin init 准备过的 postgresql://… 数据库。",
        ),
    ],
) -> None:
    """把 --db 指向的整个数据库复制到另一个数据库（SQLite 与 PostgreSQL 之间均可），审计链、编号、关联原样保留；目标必须为空。"""
    from fupin_cli.cli import common, console
    from fupin_cli.services import copying

    report = copying.copy_database(settings=common.settings(ctx), target=to)
    console.text(f"已复制：{report.source} → {report.destination}")
    console.text("各表行数（目标与源一致）：")
    console.text("\n".join(f"  {table.name:<20} {table.rows:>10}" for table in report.tables))
    head = f"，末条哈希 {report.last_hash[:16]}… 一致" if report.last_hash else ""
    console.text(f"审计链：正常，共 {report.events} 条记录{head}；目标数据库已通过 fupin db check")
