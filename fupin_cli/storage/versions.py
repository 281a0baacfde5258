"""The names of the schema migrations this fupin knows, in order, readable without SQLAlchemy.

storage/migrations.py holds the migrations themselves; a test keeps the two lists identical.
"""

SCHEMA = ("001_initial", "002_inspections", "003_report_indexes")
