"""The core stays pure: it never imports the shell's libraries."""

import ast
from pathlib import Path

FORBIDDEN = {"prefect", "great_expectations", "ffmpeg", "sqlalchemy", "jinja2", "smtplib",
             "subprocess", "requests", "httpx", "os", "tasks", "flows", "aiosmtpd", "openpyxl"}
CORE = Path(__file__).parents[2] / "scoring"


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_scoring_imports_nothing_from_the_shell():
    modules = sorted(CORE.glob("*.py"))
    assert {"record.py", "selection.py", "video.py"} <= {p.name for p in modules}
    offenders = {p.name: imported_roots(p) & FORBIDDEN for p in modules}
    assert {name: bad for name, bad in offenders.items() if bad} == {}
