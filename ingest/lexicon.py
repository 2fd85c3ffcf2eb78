"""Canonical MLOps choices with the aliases a learner or a practice bank may use.

Written by the team. Concepts found in tables are merged into these when an alias matches, so
"Blue/green" in one table and "Blue/green deployment" in another are one concept.
"""
from __future__ import annotations

# (family, canonical label, aliases)
LEXICON: list[tuple[str, str, tuple[str, ...]]] = [
    # serving
    ("serving", "Online endpoint", ("managed online endpoint", "online endpoints", "real-time endpoint",
                                    "realtime endpoint", "online scoring endpoint", "online endpoint")),
    ("serving", "Batch endpoint", ("batch endpoints", "batch scoring endpoint", "batch endpoint")),
    ("serving", "Endpoint", ("scoring interface",)),
    ("serving", "Deployment", ("deployments",)),
    ("serving", "Traffic rule", ("traffic split", "traffic splitting", "traffic allocation")),
    # deployment patterns
    ("deployment-pattern", "Canary", ("canary release", "canary rollout", "canary deployment", "canary")),
    ("deployment-pattern", "Blue/green deployment", ("blue/green", "blue green", "blue-green",
                                                     "blue green deployment")),
    ("deployment-pattern", "A/B testing", ("a/b test", "ab testing", "a/b testing", "a b testing")),
    ("deployment-pattern", "Shadow testing", ("shadow", "shadow deployment", "traffic mirroring",
                                              "mirrored traffic", "shadow testing")),
    ("deployment-pattern", "Rollback", ("roll back", "rollback", "rolling back")),
    ("deployment-pattern", "Direct deployment", ("direct deploy", "direct deployment")),
    # compute
    ("compute", "Compute instance", ("compute instance", "dev box", "notebook vm")),
    ("compute", "Compute cluster", ("compute cluster", "aml compute cluster", "training cluster")),
    ("compute", "Serverless compute", ("serverless", "serverless compute")),
    ("compute", "Attached Kubernetes compute", ("kubernetes", "aks", "azure kubernetes service",
                                                "kubernetes compute", "attached kubernetes")),
    # jobs and pipelines
    ("job", "Command job", ("command job", "command jobs", "script job")),
    ("job", "Sweep job", ("sweep job", "sweep", "hyperparameter tuning", "hyperparameter sweep",
                          "hyperparameter optimization")),
    ("job", "Pipeline job", ("pipeline job", "azure ml pipeline", "ml pipeline", "azure machine learning pipeline")),
    ("job", "CI/CD pipeline", ("ci/cd", "ci/cd pipeline", "github actions", "azure devops", "ci pipeline",
                               "cd pipeline", "release pipeline")),
    # security
    ("security", "Managed identity", ("managed identities", "managed identity", "system-assigned identity",
                                      "user-assigned identity")),
    ("security", "Key Vault", ("azure key vault", "key vault", "keyvault", "key vault-backed")),
    ("security", "Least-privilege RBAC", ("rbac", "role-based access control", "least privilege",
                                          "least-privilege", "azure rbac")),
    ("security", "Private networking", ("private endpoint", "private link", "private network", "vnet",
                                        "virtual network", "private networking")),
    # assets
    ("asset", "Azure ML registry", ("registry", "registries", "azure machine learning registry",
                                    "model registry", "shared registry", "azure ml registry")),
    ("asset", "Datastore", ("datastore", "datastores")),
    ("asset", "Data asset", ("data asset", "data assets", "versioned data asset")),
    ("asset", "Versioned Azure ML environment", ("environment version", "versioned environment",
                                                 "azure ml environment", "curated environment")),
    ("asset", "MLflow / Azure ML job tracking", ("mlflow", "experiment tracking", "run tracking",
                                                 "job tracking", "mlflow tracking")),
    ("asset", "Pin explicit asset versions", ("pin versions", "pinned version", "explicit version",
                                              "pin explicit versions", "pin the version")),
    ("asset", "Model registration", ("register the model", "model registration", "registered model")),
    # monitoring
    ("monitoring-signal", "Data drift", ("data drift", "input drift", "feature drift", "distribution shift")),
    ("monitoring-signal", "Concept drift", ("concept drift",)),
    ("monitoring-signal", "Training-serving skew", ("training-serving skew", "train-serve skew",
                                                    "feature mismatch")),
    # responsible AI
    ("rai-practice", "Error analysis", ("error analysis",)),
    ("rai-practice", "Slice evaluation", ("slice evaluation", "slice metrics", "subgroup evaluation",
                                          "segment evaluation")),
    ("rai-practice", "Explainability", ("explainability", "interpretability", "feature importance")),
    ("rai-practice", "Fairness assessment", ("fairness", "fairness assessment", "fairness check")),
    ("rai-practice", "Human approval gates", ("human approval", "manual approval", "approval gate",
                                              "human review", "human approval gates")),
]

# Words that start a choice cell but are not part of the thing chosen ("Use least-privilege RBAC").
LEADING_VERBS = ("use ", "assign ", "prefer ", "choose ", "apply ")
