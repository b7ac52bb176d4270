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
# --compile-bytecode writes every package's .pyc once, as pip does: without it, a shell with
# PYTHONDONTWRITEBYTECODE set recompiles copier, pydantic and typer on every `ddd` run
# (`ddd add-module` 0.50 s -> 0.26 s).
"${UV[@]}" sync --quiet --locked --compile-bytecode 2>/dev/null ||
    "${UV[@]}" sync --quiet --compile-bytecode
export PATH="$PWD/.venv/bin:$PATH"
