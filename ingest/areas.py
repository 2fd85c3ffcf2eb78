"""The eight exam areas of the review map, and which one a rule belongs to."""
from __future__ import annotations

import re

from studyassist.knowledge.model import Area

from studyassist.text import normalize, phrase_pattern, phrase_words

# Seed vocabulary per area, written by the team; the review map's "Know cold" cells are added at ingest.
AREA_SEEDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("workspace", "Azure Machine Learning workspace",
     ("workspace", "compute", "compute instance", "compute cluster", "serverless", "kubernetes", "quota",
      "vm size", "datastore", "container registry", "networking")),
    ("assets", "Assets and lineage",
     ("data asset", "model asset", "asset", "environment", "component", "version", "versioned", "tag",
      "registry", "reproduce", "reproducible", "reproducibility", "lineage", "pin", "artifact", "mlflow",
      "track", "register", "registration", "schema", "preprocessing", "feature")),
    ("training", "Training operations",
     ("training", "train", "command job", "sweep", "hyperparameter", "pipeline job", "search space",
      "primary metric", "early termination", "notebook", "trial", "job", "retraining", "pipeline")),
    ("cicd", "CI/CD for ML",
     ("ci/cd", "ci", "cd", "source control", "pull request", "github actions", "azure devops", "build",
      "unit test", "lint", "merge", "release", "promotion", "promote", "automation", "iac")),
    ("deployment", "Model deployment",
     ("endpoint", "deployment", "deploy", "online", "batch", "traffic", "canary", "blue/green", "rollback",
      "roll back", "shadow", "a/b", "scoring", "real-time", "inference", "rollout")),
    ("monitoring", "Monitoring",
     ("monitor", "monitoring", "drift", "metrics", "logs", "alert", "error rate", "degrade", "slow",
      "health", "throughput", "latency", "observability", "dashboard", "fails", "errors")),
    ("security", "Security and governance",
     ("rbac", "managed identity", "managed identities", "identity", "key vault", "secret", "credential",
      "private network", "private networking", "least privilege", "least-privilege", "audit", "permission",
      "access", "public", "governance", "contributor", "authentication")),
    ("responsible-ai", "Responsible AI",
     ("responsible ai", "fairness", "explainability", "error analysis", "slice", "human approval",
      "subgroup", "segment", "harm", "approval", "intended use")),
]


def build_areas(review_map_rows: list[list[str]] | None = None) -> list[Area]:
    """The eight areas; keywords from the review map's rows are added when the document has one."""
    extra: dict[str, list[str]] = {}
    for row in review_map_rows or []:
        name = normalize(row[0])
        for area_id, area_name, _ in AREA_SEEDS:
            if normalize(area_name) == name and len(row) > 1:
                extra[area_id] = [normalize(t) for t in re.split(r",|/| and ", row[1]) if len(t.strip()) > 2]
    return [Area(id=a, name=n, keywords=tuple(dict.fromkeys(list(k) + extra.get(a, []))))
            for a, n, k in AREA_SEEDS]


class AreaClassifier:
    """Scores text against each area's vocabulary (whole-word matches)."""

    def __init__(self, areas: list[Area]):
        self.areas = areas
        # (pattern, longest word): the substring test skips most regex searches
        self._patterns = {a.id: [(phrase_pattern(k), max(phrase_words(k), key=len, default=""))
                                 for k in a.keywords] for a in areas}

    def scores(self, text: str) -> dict[str, float]:
        t = normalize(text)
        return {a: float(sum(1 for p, word in pats if word in t and p.search(t))) for a, pats in self._patterns.items()}

    def classify(self, text: str, context: str = "", fallback: str | None = None) -> str:
        """Best area for ``text``; ``context`` (section and table titles) counts 1.5×."""
        own = self.scores(text)
        ctx = self.scores(context) if context else {}
        total = {a: own[a] + 1.5 * ctx.get(a, 0.0) for a in own}
        best = max(total, key=lambda a: total[a])
        if total[best] == 0:
            return fallback or self.areas[0].id
        return best
