"""The spec matrix (tests/specs/*.yaml): each spec renders through copier and through
`ddd add-module --spec` byte for byte alike, and the project passes its own gates with no edit;
and a user's life with a two-level spec: `ddd new`, own behaviour, `ddd update`."""

import re
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke, MakeProject, copier_render, files_of
from tests.support import git, run_gates, snapshot_template

SPECS = Path(__file__).resolve().parent.parent / "specs"
SPEC_FILES = sorted(SPECS.glob("*.yaml"))
MODULE = "template/src/{{ package_name }}/modules/{% yield module from module_specs %}"
DOMAIN_MODEL = MODULE + "{{ module.name }}{% endyield %}/domain/model.py.jinja"
CORE_FILE = "template/src/{{ package_name }}/core/domain/entity.py"
CORE_DOCSTRING = "objects with an identity that outlives their state."
CORE_DOCSTRING_V2 = "objects with an identity that outlives their state (v2)."


def test_the_matrix_has_the_specs_the_issue_asks_for() -> None:
    assert {p.stem for p in SPEC_FILES} >= {
        "bare",  # nothing but an identity
        "listings",  # example 1 of the issue
        "warehouses",  # example 2: natural key, entities, a set at the second level
        "books",  # a natural string key
        "courses",  # root -> child entities -> sets (and lists) of value objects
        "gadgets",  # every field type
    }


@pytest.mark.slow
def test_every_spec_renders_alike_through_copier_and_add_module_and_passes_its_gates(
    invoke: Invoke,
    make_project: MakeProject,
    template_repo: Path,
    tmp_path: Path,
    mypy_cache: Path,
) -> None:
    """One project holds every spec of the matrix side by side (one module each, named after
    its file), so their gates run once; a bare module sits next to them."""
    common = {"entrypoint": "both"}
    grown = make_project(["notes"], name="grown", **common)
    for spec in SPEC_FILES:
        result = invoke(grown, "add-module", spec.stem, "--spec", str(spec))
        assert result.exit_code == 0, (spec.stem, result.output)
    data = {
        "package_name": "acme",
        "modules": ["notes", *(spec.stem for spec in SPEC_FILES)],
        "specs": {spec.stem: spec.read_text() for spec in SPEC_FILES},
        **common,
    }
    direct = copier_render(template_repo, tmp_path / "direct", data)
    grown_files, direct_files = files_of(grown), files_of(direct)
    assert sorted(grown_files) == sorted(direct_files)
    assert [p for p in direct_files if grown_files[p] != direct_files[p]] == []
    for spec in SPEC_FILES:
        assert (direct / "src/acme/modules" / spec.stem / "domain/model.py").is_file()

    run_gates(direct, mypy_cache, core=False)


BEHAVIOUR = '''
    def describe(self) -> str:
        """A behaviour of the user's own: what a clerk reads on the screen."""
        return f"{type(self).__name__} {self.id}"
'''


def write_into_the_class(path: Path, class_name: str, method: str) -> None:
    """Add ``method`` at the end of the body of ``class_name`` in ``path``."""
    lines = path.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"class {class_name}("))
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"\S", lines[i])), len(lines))
    while lines[end - 1].strip() == "":
        end -= 1
    lines[end:end] = [method]
    path.write_text("".join(lines))


@pytest.mark.slow
def test_a_user_with_a_two_level_spec_keeps_their_behaviour_through_ddd_update(
    invoke: Invoke, tmp_path: Path, mypy_cache: Path
) -> None:
    template = snapshot_template(tmp_path / "template-repo")
    result = invoke(
        tmp_path,
        "new",
        "depot",
        "--template",
        str(template),
        "--defaults",
        "--package-name",
        "acme",
        "--spec",
        str(SPECS / "warehouses.yaml"),
    )
    assert result.exit_code == 0, result.output
    project = tmp_path / "depot"
    model = project / "src/acme/modules/warehouses/domain/model.py"
    write_into_the_class(model, "Warehouse", BEHAVIOUR)
    git(project, "commit", "--quiet", "--all", "-m", "Warehouses describe themselves")
    mine = model.read_text()
    # v2 changes that module's domain template and a core file.
    domain = template / DOMAIN_MODEL
    domain.write_text(domain.read_text() + "\n# v2: the generated domain changed\n")
    core = template / CORE_FILE
    assert CORE_DOCSTRING in core.read_text()
    core.write_text(core.read_text().replace(CORE_DOCSTRING, CORE_DOCSTRING_V2, 1))
    git(template, "commit", "--quiet", "--all", "-m", "v2")
    git(template, "tag", "v2")

    result = invoke(project, "update", "--to", "v2")

    assert result.exit_code == 0, result.output
    assert model.read_text() == mine  # the user's file, method and all
    assert "def describe(self) -> str:" in mine
    assert CORE_DOCSTRING_V2 in (project / "src/acme/core/domain/entity.py").read_text()
    for path, content in files_of(project).items():
        assert b"<<<<<<<" not in content, path
        assert not path.endswith(".rej"), path
    assert "_commit: v2" in (project / ".copier-answers.yml").read_text()
    run_gates(project, mypy_cache, core=False)
