"""In-memory repository operations per second, through the real unit of work."""

import json
import statistics
import tempfile
from pathlib import Path

from bench.common import render, run_probe

# Runs inside the rendered default project (package "bench_memory", module "notes").
PROBE = """
import json, time
from bench_memory.bootstrap import bootstrap
from bench_memory.config.settings import Settings
from bench_memory.modules.notes.domain import Note, NoteName, NoteRepository

N = {count}
app = bootstrap(Settings(db_backend="memory"))
ids = []
start = time.perf_counter()
for number in range(N):
    with app.unit_of_work() as uow:
        note = Note.create(NoteName(f"note {{number}}"))
        uow.repository(NoteRepository).add(note)
        uow.commit()
    ids.append(note.id)
added = time.perf_counter() - start
start = time.perf_counter()
for note_id in ids:
    with app.unit_of_work() as uow:
        uow.repository(NoteRepository).get(note_id)
got = time.perf_counter() - start
start = time.perf_counter()
with app.unit_of_work() as uow:
    listed = len(uow.repository(NoteRepository).list_all())
listing = time.perf_counter() - start
start = time.perf_counter()
for note_id in ids:
    with app.unit_of_work() as uow:
        uow.repository(NoteRepository).get(note_id).rename(NoteName("renamed"))
        uow.commit()
renamed = time.perf_counter() - start
assert listed == N
print(json.dumps({{
    "add+commit per s": N / added,
    "get per s": N / got,
    "rename+commit per s": N / renamed,
    "list_all aggregates per s": N / listing,
}}))
"""


def rates(count: int = 5000, repeats: int = 3) -> dict[str, int]:
    """Add, get, rename and list ``count`` aggregates, each in its own unit of work.

    Each rate is the median of ``repeats`` fresh processes.
    """
    samples: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        project = render(Path(folder) / "project", {"package_name": "bench_memory"})
        for _ in range(repeats):
            output = run_probe(project, PROBE.format(count=count))
            samples.append(json.loads(output))
    return {name: round(statistics.median(s[name] for s in samples)) for name in samples[0]}


if __name__ == "__main__":
    print(json.dumps({"in-memory repository (ops/s)": rates()}, indent=2))
