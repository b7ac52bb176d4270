"""A rendered project has seed 001's layout, and its domain stays free of frameworks."""

import ast
from pathlib import Path

from tests.conftest import Render

ACME = {
    "project_name": "Acme Shop",
    "package_name": "acme_shop",
    "modules": ["orders", "billing", "user_accounts"],
}
FRAMEWORKS = {"sqlalchemy", "pydantic", "pydantic_settings", "typer", "fastapi", "starlette"}

LAYOUT = [
    "src/acme_shop/core/domain",
    "src/acme_shop/core/application",
    "src/acme_shop/core/infrastructure/database/base.py",
    "src/acme_shop/core/infrastructure/database/models.py",
    "src/acme_shop/core/infrastructure/database/repository.py",
    "src/acme_shop/config/settings.py",
    "src/acme_shop/utils",
    "src/acme_shop/bootstrap.py",
    "src/acme_shop/main.py",
    "tests/unit",
    "tests/integration",
    "tests/performance",
    "container/scripts",
    "assets",
    "data",
    "docs/architecture.md",
    ".github/workflows",
    ".vscode",
    ".env",
    ".env.example",
    ".gitignore",
    "pyproject.toml",
    "README.md",
]


def imported_top_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_layout_of_seed_001(render_project: Render) -> None:
    project = render_project(ACME)

    missing = [entry for entry in LAYOUT if not (project / entry).exists()]
    assert missing == []
    for module in ACME["modules"]:
        for layer in ("domain", "application", "infrastructure", "entrypoints"):
            assert (project / "src/acme_shop/modules" / module / layer / "__init__.py").is_file()
        for suite in ("unit", "contract", "performance"):
            assert (project / "tests" / suite / module).is_dir()


def test_no_domain_package_imports_a_framework(render_project: Render) -> None:
    project = render_project(ACME)
    domains = [project / "src/acme_shop/core/domain"] + [
        project / "src/acme_shop/modules" / m / "domain" for m in ACME["modules"]
    ]

    offenders = {
        str(path.relative_to(project)): sorted(imported_top_level_names(path) & FRAMEWORKS)
        for domain in domains
        for path in domain.rglob("*.py")
        if imported_top_level_names(path) & FRAMEWORKS
    }
    assert offenders == {}
    assert sum(1 for d in domains for _ in d.rglob("*.py")) >= 20


def test_no_shared_file_lists_the_modules(render_project: Render) -> None:
    project = render_project(ACME)
    package = project / "src/acme_shop"
    shared = [p for p in package.rglob("*.py") if "modules" not in p.relative_to(package).parts[:1]]

    mentions = [str(p.relative_to(project)) for p in shared if "billing" in p.read_text()]
    assert mentions == []


def test_env_is_ignored_and_example_holds_no_secret(render_project: Render) -> None:
    project = render_project()

    assert ".env" in (project / ".gitignore").read_text().splitlines()
    example = (project / ".env.example").read_text()
    assert "DB_BACKEND=sqlite" in example
    assert "password" not in example.lower()
