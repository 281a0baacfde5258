"""The field tables of fupin's records: each stored field's name (the column of its table, the
attribute of its domain class), its Chinese label and its kind. For a 督查事项 the ledger's columns
and headers, the labels of `case log` and the keys of the JSON record all come from here; for a
finding and an inspection the columns the audit trail replays and the labels `db check` names. The
columns themselves are stated once, by the SQLModel classes of storage.tables (tests keep the two in
step).

Kinds say how a value is shown: text, int, date, flag (是/否), state (the state's label), units (a
list of units joined with 、), title (a classified case's cover title).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"
    key: str | None = None
    """The key of the JSON record when it is not the name (lead_unit is "unit" there)."""

    @property
    def record_key(self) -> str:
        return self.key or self.name


CASE_FIELDS = (
    Field("year", "年度", "int"),
    Field("serial", "序号", "int"),
    Field("title", "标题", "title"),
    Field("category", "类别"),
    Field("source", "来源"),
    Field("major", "重大事项", "flag"),
    Field("classified", "涉密", "flag"),
    Field("secret_level", "密级"),
    Field("paper_location", "纸质文件位置"),
    Field("state", "状态", "state"),
    Field("opened_on", "拟办日期", "date"),
    Field("approved_on", "立项日期", "date"),
    Field("approver", "审批人"),
    Field("meeting_ref", "主任办公会纪要"),
    Field("meeting_on", "会议日期", "date"),
    Field("opinion", "审批意见"),
    Field("rejected_on", "不予立项日期", "date"),
    Field("reject_reason", "不予立项理由"),
    Field("lead_unit", "主办单位", key="unit"),
    Field("assist_units", "协办单位", "units"),
    Field("assigned_on", "交办日期", "date"),
    Field("limit_workdays", "时限（工作日）", "int"),
    Field("basis", "时限依据"),
    Field("original_due", "原定期限", "date"),
    Field("due", "办结期限", "date"),
    Field("due_provisional", "期限暂定", "flag"),
    Field("accepted_on", "承办登记日期", "date"),
    Field("unit_ref", "承办编号"),
    Field("feedback_on", "反馈日期", "date"),
    Field("report_text", "办结报告"),
    Field("report_file", "办结报告文件"),
    Field("archived_on", "归档日期", "date"),
    Field("archive_location", "归档位置"),
    Field("withdrawn_on", "撤销日期", "date"),
    Field("withdraw_reason", "撤销理由"),
    Field("finding_id", "问题编号", "int"),
    Field("last_step_on", "最近一步日期", "date"),
)
"""Every stored field of a case but its row id and timestamps, in the ledger's order."""

READ_FIELDS = (
    Field("no", "编号"),
    Field("short_no", "短编号"),
    Field("category_short", "类别简称"),
    Field("state_label", "状态名称"),
    Field("unit_short", "主办单位简称"),
    Field("original_due_provisional", "原定期限暂定", "flag"),
    Field("extension_cap", "延期上限", "date"),
    Field("extension_cap_provisional", "延期上限暂定", "flag"),
    Field("today", "今天", "date"),
    Field("light", "预警"),
    Field("light_label", "预警名称"),
    Field("days_left", "剩余工作日", "int"),
    Field("overdue_workdays", "逾期工作日", "int"),
    Field("on_time", "按时办结", "flag"),
    Field("on_time_original", "按原定期限按时办结", "flag"),
    Field("extensions", "延期次数", "int"),
)
"""What the read models of a case add to its stored fields: its number as written, short names,
labels and the deadline's state on the day asked about."""

CASE_FIELD_NAMES = tuple(field.name for field in CASE_FIELDS)
CASE_LABELS = {field.name: field.label for field in CASE_FIELDS}
RECORD_LABELS = {field.record_key: field.label for field in (*CASE_FIELDS, *READ_FIELDS)}
"""The Chinese header of each key of a case's JSON record (`case show`, `case list`)."""


FINDING_FIELDS = (
    Field("inspection_id", "检查编号", "int"),
    Field("unit", "被检查单位"),
    Field("village_id", "村", "int"),
    Field("text", "问题描述"),
    Field("code", "情形"),
    Field("amount_fen", "涉及金额（分）", "int"),
    Field("ordered_on", "责令整改日期", "date"),
    Field("workdays", "整改时限（工作日）", "int"),
    Field("due", "整改期限", "date"),
    Field("due_provisional", "期限暂定", "flag"),
    Field("rectified_on", "整改日期", "date"),
    Field("verified_on", "核实日期", "date"),
    Field("handed_over_on", "移交日期", "date"),
    Field("case_id", "移交的督查事项", "int"),
)
"""Every stored field of a finding (问题) but its row id."""

INSPECTION_FIELDS = (
    Field("year", "年度", "int"),
    Field("kind", "类别"),
    Field("title", "名称"),
    Field("method", "方式"),
    Field("units", "被检查单位", "units"),
    Field("phase", "阶段"),
    Field("opened_on", "登记日期", "date"),
    Field("preparation_on", "前期准备日期", "date"),
    Field("inspection_on", "实施检查日期", "date"),
    Field("summary_on", "检查总结日期", "date"),
)
"""Every stored field of an inspection (检查) but its row id."""

INDICATOR_FIELDS = (
    Field("numerator", "分子", "int"),
    Field("denominator", "分母", "int"),
    Field("recorded_on", "登记日期", "date"),
)
"""The fields of an indicator an audit event records (its year, county and kind are its key)."""

FINDING_LABELS = {field.name: field.label for field in FINDING_FIELDS}
