"""`ddd graph`: the imports that really run, read from a rendered project's code."""

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner, Result

from copier_ddd.cli import app
from copier_ddd.commands.graph import Box, box_of, broken_rule
from tests.conftest import Render

SHOP = {"package_name": "shop", "modules": ["orders", "billing"], "entrypoint": "both"}


def ddd_graph(project: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.chdir(project)
    return CliRunner().invoke(app, ["graph", *args])


def arrows(output: str) -> set[tuple[str, str]]:
    """The (source, target) node ids of every arrow in the diagram."""
    return set(re.findall(r"^\s+(\w+) -->(?:\|\d+\|)? (\w+)$", output, flags=re.MULTILINE))


def test_the_graph_shows_each_module_layer_and_the_imports_between_them(
    shared_project: Render,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = shared_project(SHOP)

    result = ddd_graph(project, monkeypatch)

    assert result.exit_code == 0, result.output
    assert "```mermaid\nflowchart TD" in result.stdout
    for module in ("orders", "billing"):
        assert f'subgraph mod_{module}["module {module}"]' in result.stdout
        expected = {
            (f"mod_{module}_application", f"mod_{module}_domain"),
            (f"mod_{module}_infrastructure", f"mod_{module}_domain"),
            (f"mod_{module}_infrastructure", "core_infrastructure"),
            (f"mod_{module}_entrypoints", f"mod_{module}_application"),
            (f"mod_{module}_domain", "core_domain"),
        }
        assert expected <= arrows(result.stdout)
    assert not {(s, t) for s, t in arrows(result.stdout) if "orders" in s and "billing" in t}
    assert "No import breaks an architecture rule." in result.stdout
    assert "linkStyle" not in result.stdout


def test_a_broken_rule_is_red_listed_and_fails_the_check(
    render_project: Render,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = render_project(SHOP)
    domain = project / "src/shop/modules/orders/domain/model.py"
    domain.write_text(domain.read_text() + "\nfrom shop.modules.orders.infrastructure import orm\n")
    billing = project / "src/shop/modules/billing/application/get.py"
    billing.write_text(billing.read_text() + "\nfrom ...orders.domain import model\n")

    result = ddd_graph(project, monkeypatch, "--check")

    assert result.exit_code == 1
    assert ("mod_orders_domain", "mod_orders_infrastructure") in arrows(result.stdout)
    assert ("mod_billing_application", "mod_orders_domain") in arrows(result.stdout)
    assert re.search(r"^    linkStyle [\d,]+ stroke:#d62728", result.stdout, re.MULTILINE)
    assert "- orders.domain imports orders.infrastructure: a domain imports only" in result.stdout
    assert "- billing.application imports orders.domain: a module never imports" in result.stdout


def test_type_checking_imports_never_run_and_are_left_out(
    render_project: Render,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = render_project(SHOP)
    domain = project / "src/shop/modules/orders/domain/model.py"
    planted = "\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import shop.bootstrap\n"
    domain.write_text(domain.read_text() + planted)

    result = ddd_graph(project, monkeypatch, "--check")

    assert result.exit_code == 0, result.output
    assert ("mod_orders_domain", "top_bootstrap") not in arrows(result.stdout)


def test_a_framework_in_a_domain_is_reported(
    render_project: Render,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = render_project(SHOP)
    domain = project / "src/shop/modules/billing/domain/events.py"
    domain.write_text(domain.read_text() + "\nimport sqlalchemy\n")

    result = ddd_graph(project, monkeypatch)

    assert result.exit_code == 0
    assert (
        "- billing.domain imports sqlalchemy: a domain layer imports no framework" in result.stdout
    )


def test_output_writes_a_markdown_page_under_the_project(
    render_project: Render,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = render_project(SHOP)

    result = ddd_graph(project / "src", monkeypatch, "--output", "../docs/architecture-graph.md")

    page = (project / "docs/architecture-graph.md").read_text()
    assert result.exit_code == 0, result.output
    assert page.startswith("# Architecture graph of `shop`")
    assert "```mermaid" in page
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--output", "../elsewhere.md"), "is outside the project"),
        (("--output", "docs/graph.txt"), "docs/graph.txt must end in .md, .svg, .png"),
        (("--output", "docs/graph.md", "--format", "svg"), "must end in .svg for --format svg"),
        (("--format", "png"), "--format png writes an image: give --output FILE.png"),
        (("--format", "gif", "-o", "docs/graph.gif"), "--format gif is unknown; use one of"),
    ],
)
def test_a_bad_output_is_refused_and_writes_nothing(
    shared_project: Render,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    message: str,
) -> None:
    project = shared_project(SHOP)
    before = sorted(project.parent.rglob("*"))

    result = ddd_graph(project, monkeypatch, *args)

    assert result.exit_code != 0
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert sorted(project.parent.rglob("*")) == before


def svg_texts(path: Path) -> list[str]:
    """Every text an SVG file shows, after checking that it is an SVG document."""
    root = ET.parse(path).getroot()  # noqa: S314 (the test's own output)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return [text.text or "" for text in root.iter("{http://www.w3.org/2000/svg}text")]


def test_an_svg_image_names_every_module_and_layer(
    render_project: Render,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = render_project({**SHOP, "modules": ["orders", "billing", "user_accounts"]})

    result = ddd_graph(project, monkeypatch, "--format", "svg", "--output", "docs/modules.svg")

    assert result.exit_code == 0, result.output
    assert "Wrote docs/modules.svg." in result.stderr
    texts = svg_texts(project / "docs/modules.svg")
    for module in ("orders", "billing", "user_accounts"):
        assert f"module {module}" in texts
    assert {"domain", "application", "infrastructure", "entrypoints"} <= set(texts)
    assert "shop: modules, layers and imports" in texts


def test_a_png_image_is_drawn_from_the_suffix_alone(
    render_project: Render,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = render_project(SHOP)

    result = ddd_graph(project, monkeypatch, "-o", "docs/modules.png")

    assert result.exit_code == 0, result.output
    with Image.open(project / "docs/modules.png") as image:
        image.verify()  # a whole, uncorrupted PNG
    with Image.open(project / "docs/modules.png") as image:
        assert image.format == "PNG"
        width, height = image.size
    assert width > 200
    assert height > 200


def test_an_image_draws_a_broken_rule_red_and_lists_it(
    render_project: Render,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = render_project(SHOP)
    billing = project / "src/shop/modules/billing/application/get.py"
    billing.write_text(billing.read_text() + "\nfrom ...orders.domain import model\n")

    result = ddd_graph(project, monkeypatch, "--check", "-o", "docs/modules.svg")

    assert result.exit_code == 1
    assert "broken: billing.application imports orders.domain: a module never" in result.stderr
    svg = (project / "docs/modules.svg").read_text()
    assert 'stroke="#d62728"' in svg


def test_without_graphviz_an_image_is_refused_in_one_line(
    shared_project: Render,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    project = shared_project(SHOP)
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` there
    assert shutil.which("dot") is None

    result = ddd_graph(project, monkeypatch, "-o", "docs/no-dot.svg")

    assert result.exit_code != 0
    assert result.stderr.splitlines() == [
        "error: --format svg needs Graphviz's `dot` program, which is not on PATH: install "
        "Graphviz (e.g. `apt-get install graphviz`), or use --format md"
    ]
    assert not (project / "docs/no-dot.svg").exists()


def test_a_file_that_is_not_python_is_named(
    render_project: Render,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = render_project(SHOP)
    (project / "src/shop/modules/orders/domain/broken.py").write_text("def (:\n")

    result = ddd_graph(project, monkeypatch)

    assert result.exit_code != 0
    assert "broken.py (line 1): it is not valid Python" in result.stderr


def test_outside_a_project_the_command_says_so(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = ddd_graph(tmp_path, monkeypatch)

    assert result.exit_code != 0
    assert "is not inside a copier-ddd project" in result.stderr


@pytest.mark.parametrize(
    ("dotted", "box"),
    [
        ("shop", Box("", "shop")),
        ("shop.bootstrap", Box("", "bootstrap")),
        ("shop.core.domain.money", Box("core", "domain")),
        ("shop.core.infrastructure.database.base", Box("core", "infrastructure")),
        ("shop.modules.orders", Box("orders", "module")),
        ("shop.modules.orders.entrypoints.http", Box("orders", "entrypoints")),
    ],
)
def test_every_dotted_name_falls_in_one_box(dotted: str, box: Box) -> None:
    assert box_of("shop", dotted) == box


@pytest.mark.parametrize(
    ("source", "target", "broken"),
    [
        (Box("orders", "domain"), Box("core", "domain"), False),
        (Box("orders", "domain"), Box("core", "application"), True),
        (Box("orders", "application"), Box("orders", "domain"), False),
        (Box("orders", "application"), Box("core", "infrastructure"), True),
        (Box("orders", "entrypoints"), Box("", "entrypoints"), False),
        (Box("orders", "infrastructure"), Box("", "entrypoints"), True),
        (Box("core", "infrastructure"), Box("orders", "domain"), True),
        (Box("billing", "entrypoints"), Box("orders", "application"), True),
    ],
)
def test_the_rules_match_the_import_contracts(source: Box, target: Box, *, broken: bool) -> None:
    assert (broken_rule(source, target) is not None) == broken
