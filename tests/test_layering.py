"""The apps depend one way: ratings uses interventions, publishing uses both.

So interventions must work, and be read, without knowing of ratings or publishing.
"""

import ast
from pathlib import Path

import interventions

LATER_APPS = ("ratings", "publishing")


def imported_modules(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_no_module_in_interventions_imports_ratings_or_publishing():
    root = Path(interventions.__file__).parent
    offenders = [
        f"{path.relative_to(root.parent)} imports {module}"
        for path in sorted(root.rglob("*.py"))
        for module in sorted(imported_modules(path.read_text()))
        if module.split(".")[0] in LATER_APPS
    ]
    assert offenders == []


def test_the_check_notices_such_an_import():
    assert "ratings.models" in imported_modules("from ratings.models import Rating")
    assert "publishing.views" in imported_modules("import publishing.views as views")
