"""Labels and styles shared by the renderers; no Rich here, so that text output needs none."""

from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.cases import Light
from fupin_cli.domain.findings import FindingAction
from fupin_cli.domain.record_fields import CASE_LABELS
from fupin_cli.domain.workflow import Action

LIGHT_STYLES = {Light.GREEN: "bold green", Light.YELLOW: "bold yellow", Light.RED: "bold red"}

ACTION_LABELS = {
    AuditAction.OPEN: "拟办",
    **{action.value: action.label.split("（")[0] for action in Action},
    AuditAction.RECHECK: "期限重算",
    FindingAction.HANDOVER: "问题移交",
}

FIELD_LABELS = {
    **CASE_LABELS,
    "reason": "理由",
    "extension": "延期",
    "extensions": "延期",
    "note": "备注",
    "imported_from": "导入自",
}
"""A case's fields as `case log` names them: the field table's labels and the audit trail's extras."""
