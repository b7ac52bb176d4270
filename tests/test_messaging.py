"""The rendered message bus runs live: through RabbitMQ, on PostgreSQL, as CI starts them.

`scripts/services start` exports COPIER_DDD_RABBITMQ_URL and COPIER_DDD_POSTGRESQL_URL; the
rendered messaging suite gets them as TEST_BROKER_URL and TEST_POSTGRESQL_URL. Without them
the live test is skipped on a developer's machine and FAILS in CI (CI=true). The suite's
embedded half (SQLite, json, csv, memory) runs in every rendered project's own gates.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Render
from tests.support import passed_live, project_env

SERVICES = {
    "TEST_BROKER_URL": "COPIER_DDD_RABBITMQ_URL",
    "TEST_POSTGRESQL_URL": "COPIER_DDD_POSTGRESQL_URL",
}


def live_services() -> dict[str, str]:
    """The broker's and PostgreSQL's URLs, as the rendered suite reads them."""
    missing = [variable for variable in SERVICES.values() if not os.getenv(variable)]
    if missing:
        if os.getenv("CI") == "true":
            pytest.fail(f"CI must run the live messaging tests, but {', '.join(missing)} is unset")
        hint = 'run `eval "$(scripts/services start)"`'
        pytest.skip(f"no broker or database server: {hint} ({', '.join(missing)})")
    return {name: os.environ[variable] for name, variable in SERVICES.items()}


@pytest.mark.slow
def test_the_messaging_suite_passes_through_rabbitmq_and_on_postgresql(
    render_project: Render,
) -> None:
    services = live_services()
    project = render_project({"modules": ["orders"], "entrypoint": "cli"})

    passed = passed_live(project, services, "tests/messaging", timeout=1800)
    through_broker = [name for name in passed if "broker" in name or "worker" in name]
    on_postgresql = [name for name in passed if "[postgresql" in name or "postgresql]" in name]
    # 4 publisher kills, 4 worker kills, the two-worker run; 7 kills and the bus on PostgreSQL.
    assert len(through_broker) >= 9, through_broker
    assert len(on_postgresql) >= 8, on_postgresql


HANDLER_PROBE = """
from shop.core.application.messagebus import Handles
from tests.messaging.support import AnswerPing, Pinged, Ponged

RIGHT = Handles(Pinged, AnswerPing)
WRONG = Handles(Ponged, AnswerPing)
"""


def test_a_handler_registered_for_another_message_type_fails_mypy(
    render_project: Render,
    mypy_cache: Path,
) -> None:
    project = render_project({"package_name": "shop", "modules": []})
    (project / "tests/messaging/probe.py").write_text(HANDLER_PROBE)

    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(mypy_cache), "tests/messaging/probe.py"],
        cwd=project,
        env=project_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )

    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, result.stdout
    assert errors[0].startswith('tests/messaging/probe.py:6: error: Argument 2 to "Handles"')
    assert "Callable[[Ponged, UnitOfWork], None]" in errors[0]
