"""Scenario frames the team wrote for generated questions: organisations, workloads, constraints, wording.

A stem is a frame filled with an organisation, a workload and the rule's situation reworded; the
review's own sentences are never used whole (``reword`` swaps in the team's phrasing).
"""
from __future__ import annotations

import re

ORGANISATIONS = (
    "A regional bank", "An online retailer", "A hospital network", "A logistics company", "An insurance carrier",
    "A streaming service", "A telecom operator", "A city transport agency", "A fintech start-up",
    "A manufacturing group", "A ride-hailing platform", "A pharmaceutical lab", "An energy utility",
    "A travel booking site", "A university research team", "A grocery chain", "A games studio",
    "A credit-card issuer", "A weather analytics firm", "A public-sector agency",
)
WORKLOADS = {
    "workspace": ("its shared Azure ML workspace", "a new workspace for the data science team",
                  "its training and serving infrastructure"),
    "assets": ("a churn model that several teams reuse", "a demand-forecast model and its data assets",
               "a credit-risk model used in lending"),
    "training": ("a weekly retraining job", "an image classifier trained on GPUs", "a gradient-boosted fraud model"),
    "cicd": ("its ML release process", "a GitHub-based delivery workflow", "a model promotion pipeline"),
    "deployment": ("a recommendation model in production", "a fraud-scoring service", "a pricing model release"),
    "monitoring": ("a production scoring service", "a forecasting model that has been live for a year",
                   "an endpoint that partners call"),
    "security": ("training jobs that read from storage", "a scoring endpoint with sensitive data",
                 "a workspace shared by several teams"),
    "responsible-ai": ("a loan-approval model", "a triage model used by clinicians", "a hiring-screen model"),
}
# For frames that need a model ("Before promoting {model}"): a workload like "its ML release process" is no model.
MODELS = ("a churn model that several teams reuse", "a credit-risk model used in lending", "a pricing model",
          "a gradient-boosted fraud model", "an image classifier trained on GPUs", "a recommendation model",
          "a loan-approval model", "a triage model used by clinicians", "a hiring-screen model",
          "a demand-forecast model")
# Product names keep their capital when a situation starts a clause ("… (tools): Azure Machine Learning jobs").
_PROPER = re.compile(r"^(Azure|GitHub|Key Vault|MLflow|Kubernetes|Microsoft|Entra|Application Insights|Docker|"
                     r"Python|Responsible AI)\b")
# Neutral sentences only: a constraint must not add a clue that points to another rule.
CONSTRAINTS = (
    "The team has two weeks to decide.",
    "The budget for the change is already approved.",
    "Several engineers have proposed different answers.",
    "The architect wants the exam-style best answer.",
    "",
    "",
)

# Frames by the kind of table the rule comes from; {org} {workload} {situation} {constraint} {noun}.
FRAMES = {
    "requirement": (
        "{org} is working on {workload}. The requirement: {situation}. {constraint} Which option fits best?",
        "{org} runs {workload}. Its architects list one need above all: {situation}. {constraint} "
        "What should they use?",
        "For {workload}, {org_lc} must satisfy this: {situation}. {constraint} Which choice meets it?",
        "During a design review of {workload} at {org_lc}, the key point is: {situation}. {constraint} "
        "What is the best response?",
    ),
    "symptom": (
        "{org} operates {workload}. Engineers report this: {situation}. Which area should they investigate first?",
        "On call for {workload} at {org_lc}, you see the following: {situation}. What is the likely area to look at?",
        "{org} notices a problem with {workload}: {situation}. Where should the investigation start?",
    ),
    "scenario": (
        "{org} runs {workload}. The situation: {situation}. What is the best first step?",
        "At {org_lc}, a lead engineer says about {workload}: {situation}. What should the team do first?",
        "{org} escalates an issue with {workload}: {situation}. Which first step fits best?",
    ),
    "definition": (
        "{org} is planning {workload} and needs the {noun} that covers this: {situation}. Which {noun} is it?",
        "In a study session about {workload}, a colleague describes a {noun} as: {situation}. Which {noun} is meant?",
        "{org} wants the {noun} whose purpose is: {situation}. {constraint} Which one should it pick?",
    ),
    "capture": (
        "Before {org_lc} signs off {model} for production, it records: {situation}. Which {noun} does that cover?",
        "{org} keeps this for {model}: {situation}. Which {noun} is this?",
    ),
    "gate": (
        "Before promoting {model}, a reviewer at {org_lc} asks: {situation} Which gate is this?",
        "{org}'s release checklist for {model} includes the question \"{situation}\" Which promotion gate does it "
        "belong to?",
    ),
    "comparison": (
        "{org} is splitting work for {workload} between its CI/CD system and Azure ML. Which one owns this "
        "({aspect}): {situation}?",
        "At {org_lc}, a new engineer asks where this belongs ({aspect}): {situation}. Which pipeline is it?",
    ),
}

# Team wording for phrases the review uses, so stems do not repeat its sentences.
REWORDINGS: tuple[tuple[str, str], ...] = (
    (r"\buser or application needs immediate prediction\b", "a caller must get each prediction back right away"),
    (r"\blarge files or many records scored on a schedule\b", "big files and very many rows are scored at fixed times"),
    (r"\blow latency and autoscaling matter\b", "fast responses and automatic scale-out are essential"),
    (r"\bthroughput and cost-efficient offline scoring matter\b", "high volume, cheap, offline scoring is the goal"),
    (r"\bperiodic scoring of stored datasets\b", "stored data sets get scored every so often"),
    (r"\breproduce a training run later\b", "a past training run must be rebuilt exactly later on"),
    (r"\bshare models across workspaces or environments\b", "models must move between workspaces and stages"),
    (r"\bavoid accidental use of a newer asset\b", "a newer asset version must never be picked up by surprise"),
    (r"\bavoid secrets in source code\b", "no credentials may live in the code base"),
    (r"\blimit user permissions\b", "users should hold only the rights they need"),
    (r"\brestrict public access\b", "nothing should be reachable from the public internet"),
    (r"\bneed real-time predictions\b", "predictions are needed the moment a request arrives"),
    (r"\bneed scheduled scoring of many records\b", "many rows must be scored on a timetable"),
    (r"\bneed hyperparameter optimization\b", "the best hyperparameters have to be found"),
    (r"\bneed rollback\b", "a bad release has to be undone"),
    (r"\bneed auditability\b", "every change must be traceable for auditors"),
    (r"\bendpoint returns errors\b", "the endpoint answers with errors"),
    (r"\bendpoint is slow\b", "responses from the endpoint take too long"),
    (r"\bpredictions degrade over time\b", "prediction quality slowly gets worse month by month"),
    (r"\bcosts rise unexpectedly\b", "the bill climbs without an obvious reason"),
    (r"\bstorage access fails\b", "reads from storage are refused"),
    (r"\bidentify where the model fails most often\b", "find the cases where the model is most often wrong"),
    (r"\bprevent automatic promotion of risky models\b", "stop risky models from being promoted automatically"),
)
_REWORD = [(re.compile(p, re.I), r) for p, r in REWORDINGS]


def reword(situation: str) -> str:
    """The situation in the team's words where a rewording exists, lower-cased and without quotes."""
    text = situation.strip().strip('"“”').rstrip(".")
    for pattern, replacement in _REWORD:
        text = pattern.sub(replacement, text)
    if text[:2] == text[:2].upper() or _PROPER.match(text):
        return text
    return text[:1].lower() + text[1:]


# What to call the choices of a table in a stem, by its choice column header.
NOUNS = {"compute option": "compute option", "concept": "concept", "pattern": "deployment pattern",
         "gate": "promotion gate", "category": "monitoring category", "practice": "responsible AI practice",
         "concern": "data concern", "reproducibility item": "reproducibility item"}


def noun_for(header: str) -> str:
    return NOUNS.get(header.strip().lower(), header.strip().lower() or "option")
