"""The names of the schema migrations this fupin knows, in order, readable without SQLAlchemy.

storage/migrations.py holds the migrations themselves; a test keeps the two lists identical.
"""

SCHEMA = ("001_initial", "002_inspections", "003_report_indexes", "004_recorded_writes", "005_attachments")

TABLES = (
    "attachment",
    "attachment_chunk",
    "audit_event",
    "case_counter",
    "case_extension",
    "cases",
    "duty_item",
    "finding",
    "indicator",
    "inspection",
    "inspection_plan",
    "inspection_visit",
    "reference_file",
    "schema_migration",
    "unit",
    "village",
)
"""The tables the migrations of SCHEMA make (a test keeps this list and the migrations identical)."""

TRIGGERS = ("fupin_recorded",)
"""The triggers fupin makes (PostgreSQL, migration 004_recorded_writes): anything else is not fupin's."""
