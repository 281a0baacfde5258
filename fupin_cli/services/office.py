"""The office's name, from the notices template: who signs the notices and heads the reports.

Its own module so that the reports (the digest's heading) and the documents both read it without
importing each other.
"""

import tomllib
from pathlib import Path

from fupin_cli.domain.errors import BadFileError
from fupin_cli.settings import data_dir

TEMPLATE_FILE = Path("templates") / "notices.toml"


def office_name(path: Path | None = None) -> str:
    """The office's name (the template's `office`): who signs the notices and heads the reports."""
    source = path or data_dir() / TEMPLATE_FILE
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as failure:
        raise BadFileError(f"无法读取文书模板 {source}：{failure}") from None
    return str(data.get("office", ""))
