# Sourced by the scripts: make sure uv and the project's .venv exist and are current.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if command -v uv >/dev/null 2>&1; then
    UV=(uv)
else
    python3 -m pip install --quiet --disable-pip-version-check uv
    UV=(python3 -m uv)
fi
# --locked refuses a lock file that no longer matches pyproject.toml; then re-resolve.
"${UV[@]}" sync --quiet --locked 2>/dev/null || "${UV[@]}" sync --quiet
export PATH="$PWD/.venv/bin:$PATH"
