"""The README's main job: `scripts/demo` renders a service and shows it working.

It runs the script as a newcomer does (no virtual environment active), into a folder of this
test's own, and checks what it shows: the service's tests passing, then a listing created
with a bid by one process and listed and shown by the next ones (SQLite keeps it), and the
bare module's create.
"""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.support import REPO

pytestmark = pytest.mark.slow

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def shown_by(out: str, command: str) -> str:
    """What the demo printed after echoing ``command``, up to the next command it echoes."""
    lines = out.splitlines()
    start = lines.index(command) + 1
    end = next(n for n in range(start, len(lines)) if lines[n].startswith("$ "))
    return "\n".join(lines[start:end])


def test_the_demo_renders_a_service_whose_tests_pass_and_whose_data_outlives_each_command(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "DB_BACKEND"}}
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "demo"), str(tmp_path / "demo")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    out = result.stdout

    assert result.returncode == 0, out[-3000:] + result.stderr[-3000:]
    assert re.search(r"^\d+ passed", out, flags=re.MULTILINE), out[-3000:]
    assert " failed" not in out
    [created] = re.findall(rf"^\$ demo-shop listings create .*\n({UUID})$", out, re.MULTILINE)
    assert re.search(rf"^{created}  Desk lamp$", out, flags=re.MULTILINE)
    shown = json.loads(shown_by(out, f"$ demo-shop listings show {created}"))
    assert (shown["id"], shown["min_price"], len(shown["bids"])) == (
        created,
        {"amount": "25.00", "currency": "EUR"},
        1,
    )
    assert re.search(rf"user-accounts create .*\n{UUID}$", out, flags=re.MULTILINE)
    assert (tmp_path / "demo" / "data" / "demo_shop.db").is_file()
