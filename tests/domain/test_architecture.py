"""The domain stays pure: no framework import anywhere in sports/domain/."""
import ast
from pathlib import Path

FORBIDDEN = {"flask", "sqlalchemy", "wtforms", "reportlab", "flask_sqlalchemy", "flask_wtf",
             "flask_login", "flask_babel", "flask_migrate", "flask_limiter", "werkzeug", "openpyxl"}
DOMAIN = Path(__file__).resolve().parents[2] / "sports" / "domain"


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_domain_imports_no_framework():
    files = sorted(DOMAIN.rglob("*.py"))
    assert len(files) >= 5
    offenders = {str(p.relative_to(DOMAIN)): sorted(imported_roots(p) & FORBIDDEN) for p in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_catches_a_framework_import(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("import os\nfrom sqlalchemy import select\nif True:\n    import flask.json\n")
    assert imported_roots(sample) & FORBIDDEN == {"sqlalchemy", "flask"}
