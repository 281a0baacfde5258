"""The command line. Typer's plain help is used (see helpformat.py): it must be chosen before Typer loads."""

import os

os.environ.setdefault("TYPER_USE_RICH", "0")
