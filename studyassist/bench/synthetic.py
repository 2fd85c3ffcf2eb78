"""A deterministic synthetic review corpus (the team's own invented rows) for measuring growth at N×."""
from __future__ import annotations

import random
from pathlib import Path

_SYSTEMS = ("ledger", "catalog", "sensor", "billing", "routing", "inventory", "claims", "search", "fleet", "tutor",
            "pricing", "payroll", "booking", "alerting", "mapping", "ticketing", "shipping", "voting", "lending")
_NEEDS = ("replay events after an outage", "serve answers under a tight deadline", "archive cold records cheaply",
          "isolate tenants from each other", "roll keys without downtime", "trace every change to its author",
          "batch nightly exports", "stream updates to dashboards", "recover from a region failure",
          "cap spend per team", "test a change on a copy of traffic", "keep personal data in one region")
_CHOICES = ("Event log", "Read replica", "Cold tier", "Tenant partition", "Key rotation job", "Audit trail",
            "Export pipeline", "Change feed", "Geo failover", "Budget alert", "Traffic mirror", "Regional store")
_WHY = ("keeps the order of writes", "avoids hot paths", "cuts storage cost", "limits blast radius",
        "removes manual steps", "shows who did what", "runs off-peak", "pushes instead of polling",
        "keeps serving", "stops surprises", "no user impact", "meets residency rules")


def synthetic_corpus(folder: Path, scale: int, source: Path | None = None, seed: int = 7) -> Path:
    """The review documents in ``source`` plus ≈17×(scale−1) invented tables of 7 rows, as markdown files.

    The review has 17 tables and 122 rows, so scale 10 gives ≈170 tables / ≈1,200 rows and scale 100
    ≈1,700 / ≈12,000. The real review stays in, so the same gold questions can be asked at every scale
    and the invented tables act as ever more distractors."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    if source is not None:
        for doc in sorted(source.iterdir()):
            if doc.suffix in (".md", ".txt") and doc.is_file():
                (folder / doc.name).write_text(doc.read_text(encoding="utf-8"), encoding="utf-8")
    tables = 17 * (scale - 1)
    per_file = 17
    for f in range(0, tables, per_file):
        lines = [f"# Synthetic review part {f // per_file + 1}", ""]
        for t in range(f, min(f + per_file, tables)):
            system = f"{rng.choice(_SYSTEMS)}-{t}"
            lines += [f"## {system.title()} decisions", "", "| Requirement | Prefer | Why |", "|---|---|---|"]
            for i in rng.sample(range(len(_NEEDS)), 7):
                lines.append(f"| {system} must {_NEEDS[i]} | {_CHOICES[i]} for {system} | {_WHY[i]} |")
            lines.append("")
        (folder / f"synthetic-{f // per_file + 1:04d}.md").write_text("\n".join(lines), encoding="utf-8")
    return folder
