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


def synthetic_corpus(folder: Path, scale: int, seed: int = 7) -> tuple[Path, list[str], list[dict]]:
    """Write ≈17×scale tables of ≈7 rows (the review has 17 tables, 122 rows) as markdown documents.

    Returns the folder, questions for `ask`, and multiple-choice items for `solve`."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    questions: list[str] = []
    mcqs: list[dict] = []
    tables = 17 * scale
    per_file = 17
    for f in range(0, tables, per_file):
        lines = [f"# Synthetic review part {f // per_file + 1}", ""]
        for t in range(f, min(f + per_file, tables)):
            system = f"{rng.choice(_SYSTEMS)}-{t}"
            lines += [f"## {system.title()} decisions", "", "| Requirement | Prefer | Why |", "|---|---|---|"]
            picks = rng.sample(range(len(_NEEDS)), 7)
            for i in picks:
                lines.append(f"| {system} must {_NEEDS[i]} | {_CHOICES[i]} for {system} | {_WHY[i]} |")
                if len(questions) < 60 and rng.random() < 0.3:
                    questions.append(f"Our {system} service has to {_NEEDS[i]}. What should we use?")
                    others = [j for j in picks if j != i][:3]
                    options = [f"{_CHOICES[j]} for {system}" for j in others]
                    options.insert(rng.randrange(4), f"{_CHOICES[i]} for {system}")
                    mcqs.append({"question": f"The {system} team needs to {_NEEDS[i]}. Which fits?",
                                 "options": options})
            lines.append("")
        (folder / f"synthetic-{f // per_file + 1:04d}.md").write_text("\n".join(lines), encoding="utf-8")
    return folder, questions or ["What should we use to replay events?"], mcqs[:20]
