"""Labels and styles shared by the renderers; no Rich here, so that text output needs none."""

from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.cases import Light
from fupin_cli.domain.findings import FindingAction
from fupin_cli.domain.workflow import Action

LIGHT_STYLES = {Light.GREEN: "bold green", Light.YELLOW: "bold yellow", Light.RED: "bold red"}
PROVISIONAL_MARK = "*"
PROVISIONAL_NOTE = "* 期限涉及放假安排尚未公布的年份，为暂定日期；公布后用 fupin cal recheck 重算"

ACTION_LABELS = {
    AuditAction.OPEN: "拟办",
    **{action.value: action.label.split("（")[0] for action in Action},
    AuditAction.RECHECK: "期限重算",
    FindingAction.HANDOVER: "问题移交",
}

FIELD_LABELS = {
    "year": "年度",
    "serial": "序号",
    "title": "标题",
    "category": "类别",
    "state": "状态",
    "opened_on": "拟办日期",
    "last_step_on": "最近一步日期",
    "source": "来源",
    "major": "重大事项",
    "classified": "涉密",
    "secret_level": "密级",
    "paper_location": "纸质文件位置",
    "approved_on": "立项日期",
    "approver": "审批人",
    "meeting_ref": "主任办公会纪要",
    "meeting_on": "会议日期",
    "opinion": "审批意见",
    "rejected_on": "不予立项日期",
    "reject_reason": "不予立项理由",
    "lead_unit": "主办单位",
    "assist_units": "协办单位",
    "assigned_on": "交办日期",
    "limit_workdays": "时限（工作日）",
    "basis": "时限依据",
    "original_due": "原定期限",
    "due": "办结期限",
    "original_due_provisional": "原定期限暂定",
    "due_provisional": "期限暂定",
    "accepted_on": "承办登记日期",
    "unit_ref": "承办编号",
    "feedback_on": "反馈日期",
    "report_text": "办结报告",
    "report_file": "办结报告文件",
    "archived_on": "归档日期",
    "archive_location": "归档位置",
    "withdrawn_on": "撤销日期",
    "withdraw_reason": "撤销理由",
    "finding_id": "问题编号",
    "reason": "理由",
    "extension": "延期",
    "extensions": "延期",
    "note": "备注",
    "imported_from": "导入自",
}
