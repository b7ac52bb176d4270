"""Installing `ddd` as a newcomer does: the README's install line, a wheel, a git URL.

Each install goes into a fresh, temporary HOME (its own uv tool folder and bin folder) and is
used from PATH, never from this checkout's .venv. uv's package cache stays the machine's, so
nothing is downloaded twice. The checkout is copied as git would clone it: tracked and new
files, nothing that .gitignore leaves out, committed in a repository of its own.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.support import REPO, git

pytestmark = pytest.mark.slow


def uv_binary() -> Path:
    found = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))
    assert found, "uv is needed: scripts/test installs it"
    return Path(found).resolve()


def snapshot_checkout(destination: Path) -> Path:
    """The working tree of this checkout as a fresh clone would hold it, tagged v1."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    git(destination, "init", "--quiet", "--initial-branch=main")
    git(destination, "add", "--all")
    git(destination, "commit", "--quiet", "-m", "copier-ddd")
    git(destination, "tag", "v1")
    return destination


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this checkout's current state, as a newcomer's `git clone` gives it."""
    origin = snapshot_checkout(tmp_path_factory.mktemp("origin") / "copier-ddd")
    destination = tmp_path_factory.mktemp("clone") / "copier-ddd"
    subprocess.run(["git", "clone", "--quiet", str(origin), str(destination)], check=True)
    return destination


class Home:
    """A newcomer's shell: a fresh HOME, PATH = ~/.local/bin + uv + the system's tools."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bin = root / ".local" / "bin"
        tools = root / "tools"
        tools.mkdir(parents=True)
        (tools / "uv").symlink_to(uv_binary())
        cache = subprocess.run(
            [str(uv_binary()), "cache", "dir"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dropped = {"VIRTUAL_ENV", "PYTHONPATH", "XDG_DATA_HOME", "XDG_BIN_HOME", "XDG_CACHE_HOME"}
        self.env = {k: v for k, v in os.environ.items() if k not in dropped and "UV_" not in k}
        this_venv = str(Path(sys.executable).parent)
        system = [p for p in os.environ["PATH"].split(os.pathsep) if p != this_venv]
        self.env |= {
            "HOME": str(root),
            "UV_CACHE_DIR": cache,  # the machine's cache: no download twice
            "PATH": os.pathsep.join([str(self.bin), str(tools), *system]),
            "GIT_AUTHOR_NAME": "New Comer",
            "GIT_AUTHOR_EMAIL": "new@localhost",
            "GIT_COMMITTER_NAME": "New Comer",
            "GIT_COMMITTER_EMAIL": "new@localhost",
        }

    def run(self, command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        """Run a shell command line; fail with its output when it fails."""
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=cwd,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert result.returncode == 0, f"$ {command}\n{result.stdout}\n{result.stderr}"
        return result

    def which(self, name: str) -> Path:
        found = shutil.which(name, path=self.env["PATH"])
        assert found is not None, f"{name} is not on PATH"
        return Path(found)


def readme_install_line() -> str:
    """The one command of the README's "Install ddd" section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Install `ddd`", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)
    commands = [line.split("  #")[0].strip() for line in blocks[0].splitlines() if line.strip()]
    assert len(commands) == 1, commands
    return commands[0]


def answers_of(project: Path) -> dict[str, object]:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert isinstance(answers, dict)
    return answers


def test_the_readme_install_line_puts_ddd_and_copier_on_path(clone: Path, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    line = readme_install_line()
    assert line.startswith("uv tool install"), line

    home.run(line, cwd=clone)

    assert home.which("ddd") == home.bin / "ddd"
    assert home.which("copier") == home.bin / "copier"
    helped = home.run("ddd --help", cwd=tmp_path)
    assert "add-module" in helped.stdout
    home.run("ddd new shop --defaults --project-name 'Acme Shop' --module orders", cwd=tmp_path)
    project = tmp_path / "shop"
    home.run("ddd add-module billing", cwd=project / "src")
    listed = home.run("ddd list", cwd=project).stdout
    assert "orders" in listed
    assert "billing" in listed
    assert (project / "src/acme_shop/modules/billing/domain").is_dir()
    # An editable install renders the clone itself: projects update from it.
    assert Path(str(answers_of(project)["_src_path"])).resolve() == clone.resolve()
    copied = home.run(f"copier copy --defaults -d modules='[notes]' {clone} plain", tmp_path)
    assert "Your service" in copied.stdout + copied.stderr


def test_a_tool_installed_from_a_git_url_updates_its_projects_from_it(
    clone: Path, tmp_path: Path
) -> None:
    home = Home(tmp_path / "home")
    upstream = tmp_path / "upstream"  # a repository of its own: this test releases a v2
    subprocess.run(["git", "clone", "--quiet", str(clone), str(upstream)], check=True)
    # git+file:///...: a git URL, as a hosted repository's would be (uv and copier read the
    # git+ prefix alike)
    url = "git+" + upstream.as_uri()

    home.run(f"uv tool install {shlex.quote(url)}", cwd=tmp_path)
    home.run(f"ddd new shop --defaults --template {url} --module orders", cwd=tmp_path)
    project = tmp_path / "shop"
    assert answers_of(project)["_src_path"] == url
    assert answers_of(project)["_commit"] == "v1"
    readme = upstream / "template/README.md.jinja"
    readme.write_text(readme.read_text() + "\nReleased in v2 of the template.\n")
    git(upstream, "commit", "--quiet", "-am", "v2")
    git(upstream, "tag", "v2")

    updated = home.run("ddd update", cwd=project)

    assert "Released in v2 of the template." in (project / "README.md").read_text()
    assert answers_of(project)["_commit"] == "v2", updated.stdout
    assert home.which("ddd") == home.bin / "ddd"


def test_the_wheel_carries_the_template_and_renders_from_a_clean_venv(
    clone: Path, tmp_path: Path
) -> None:
    home = Home(tmp_path / "home")
    home.run(f"uv build --wheel --out-dir {tmp_path / 'dist'} --quiet", cwd=clone)
    (wheel,) = (tmp_path / "dist").glob("copier_ddd-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    listed = git(clone, "ls-files", "-z", "template", "copier.yml", "naming.jinja")
    tracked = [name for name in listed.split("\0") if name]
    assert {f"copier_ddd/template/{name}" for name in tracked} <= names
    assert not [name for name in names if "__pycache__" in name]
    venv = tmp_path / "clean"

    home.run(f"uv venv --quiet --python {sys.executable} {venv}", cwd=tmp_path)
    home.run(f"uv pip install --quiet --python {venv}/bin/python {wheel}", cwd=tmp_path)
    made = home.run(
        f"{venv}/bin/ddd new shop --defaults --package-name shop --module orders --module billing",
        cwd=tmp_path,
    )

    project = tmp_path / "shop"
    assert (project / "src/shop/modules/billing/domain").is_dir()
    source = Path(str(answers_of(project)["_src_path"]))
    assert source.is_relative_to(venv), source  # the template inside the installed wheel
    assert "cannot update this project" in made.stdout
