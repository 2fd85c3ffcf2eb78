"""Exam clue words and the review's own vocabulary for them, used to expand a scenario before search.

Practice questions describe a situation ("within 150 ms while the terminal waits", "every night")
where the review states the rule in its own terms ("immediate prediction", "on a schedule").
Written by the team from the exam's usual phrasing; each entry maps a clue pattern to review terms.
"""
from __future__ import annotations

import re
from functools import lru_cache

# (clue pattern, review terms[, pattern that cancels the clue when the text also has it])
CLUES: list[tuple[str, ...]] = [
    (r"\b(\d+\s?ms|milliseconds?|real[- ]time|instant\w*|waits? for|waiting|synchronous|interactive|"
     r"per request|sub-second|while the (user|customer|app\w*|terminal) waits|right away|the moment a request|"
     r"immediately|at once|low[- ]latency|(fast|quick) (responses?|replies|answers)|respond\w* (fast|quickly))\b",
     "immediate prediction low latency real-time online endpoint"),
    (r"\b(auto-?scal\w*|scal(e|es|ing)[- ]out|scal(e|es|ing) (out |up )?automatically|automatic(ally)? scal\w*)\b",
     "autoscaling autoscale"),
    (r"\b(nightly|every night|overnight|once a (day|week|month)|weekly|monthly|daily|each night|"
     r"on a schedule|scheduled|periodic\w*|backlog|archive\w*|millions? of (rows|records|files)|timetable|"
     r"fixed times|every so often)\b",
     "schedule periodic scoring many records large files batch",
     # work on a timetable is batch scoring only when it scores: nightly (re)training belongs on training compute
     r"^(?!.*\b(scor\w*|inferenc\w*)\b).*\b(train\w*|retrain\w*)\b"),
    (r"\b(learning rate|tree depth|hyperparameters?|tun(e|ing)|search space|trials?|grid|random search)\b",
     "hyperparameter tuning sweep job search space primary metric early termination"),
    # a share of traffic ("10% of traffic"), not any percentage ("88% accuracy"); "%" is not a word character,
    # so it sits outside the \b…\b group
    (r"\b(small (percentage|share|fraction|slice)|gradually|limited traffic|a few users)\b|"
     r"\b\d+\s?% of (the |its |our |live |production |incoming )?(traffic|requests|users|calls|customers)\b",
     "canary small percentage traffic gradually expose new deployment",
     # a canary already running that shows errors is a troubleshooting case, not a reason to start one
     r"\b(errors?|error rates?|fail\w*|failures?|5\d\d|exceptions?)\b"),
    (r"\b(side by side|switch (all )?traffic|cut ?over|swap|instant switch)\b",
     "blue/green keep old and new deployments switch traffic"),
    (r"\b(without affecting|not affect\w*|mirror\w*|copy of (live|production) traffic|silently|in parallel "
     r"without|(still|continue to) (get|receive|see) (only )?(the )?(current|existing|old|original|production|live)|"
     r"only the current model|never (returns?|returned|shown|served|sent|exposed)|"
     r"(not|never) (be )?(returned|shown|served|sent|exposed) to|discard\w* (its|the) (predictions|outputs|responses))\b",
     "shadow testing send traffic to candidate without affecting user response"),
    (r"\b(compare (two|the) (models?|variants?)|split users|experiment with real traffic|which variant)\b",
     "A/B testing compare model variants real traffic measurement"),
    (r"\b(revert|roll ?back|previous version|known[- ]good|undo|undone)\b", "rollback shift traffic previous deployment"),
    (r"\b(password|connection string|secret|api key|credential|token|storage key)s?\b",
     "secrets managed identity key vault avoid secrets in code"),
    (r"\b(only (the )?(permissions?|access|rights) (they|it) need\w*|narrow\w*|minimum permissions?|scoped role)\b",
     "least privilege RBAC limit permissions"),
    (r"\b(vnet|virtual network|no public|internet|private endpoint|corporate network|firewall)\b",
     "private networking restrict public access"),
    (r"\b(audit\w*|compliance|regulator\w*|who changed|trace back|traceab\w*)\b",
     "audit lineage versioned assets run history approval records"),
    (r"\b(reproduc\w*|recreate|rebuild the same|same results|rebuilt exactly)\b",
     "reproduce versioned data environment code parameters artifacts"),
    (r"\b(other workspaces?|another team|across (teams|workspaces|subscriptions|environments)|share\w*)\b",
     "share across workspaces registry promotion"),
    (r"\b(drift\w*|distribution (changed|shift\w*)|input patterns|degrad\w*|accuracy (dropped|fell|declin\w*))\b",
     "data drift model quality degrade over time"),
    (r"\b(403|forbidden|access denied|permission denied|unauthori[sz]ed|refused)\b",
     "permissions identity RBAC storage access fails"),
    (r"\b(slow|latency (rose|increased|spik\w*)|timeouts?|takes? too long)\b",
     "endpoint slow instance size autoscale latency"),
    (r"\b(bill\w*|cost\w*|spend\w*|budget)\b", "costs compute scaling quotas cost controls"),
    (r"\b(custom (gpu|drivers?|infrastructure|hardware|network)|keep control\w*|full control|"
     r"existing (aks|kubernetes) cluster|own (aks|kubernetes) cluster)\b",
     "custom infrastructure advanced operational control attached kubernetes"),
    (r"\b(notebook|jupyter|explor\w*|debug\w*|prototyp\w*|interactive development)\b",
     "compute instance interactive development notebooks debugging",
     # a notebook that runs recurring or production work is the practice to replace, not a reason for one
     r"\b(nightly|each (night|week|month)|every (night|week|month)|weekly|monthly|production|schedul\w*|"
     r"retrain\w*|replace\w*)\b"),
    (r"\b(subgroup|segment|demographic|region|age group|slice)s?\b",
     "slice evaluation subgroups segments fairness"),
    (r"\b(overall (accuracy|score|metric|auc)|(much |far )?worse for|"
     r"(applicants|borrowers|candidates|customers|users|patients|people) (over|under|aged) \d+|"
     r"(older|younger) (applicants|borrowers|candidates|customers|users|patients))\b",
     "single aggregate metric hides poor performance subsets slice evaluation fairness"),
    (r"\b(crept|creep\w*|month after month|week after week|(slowly|steadily) (worse|declin\w*|ris\w*))\b",
     "predictions degrade over time data drift concept drift stale model"),
    (r"\b(scikit-learn|sklearn|pandas|numpy|torch|tensorflow|xgboost|pip|conda)\b",
     "versioned environment dependency stack training serving mismatch"),
    (r"\b(\d+\s?(gb|tb)|multi-?node|distributed training|finish within|training (job|run)s? (that )?(must|needs?))\b",
     "compute cluster scalable training jobs pipelines"),
    (r"\b(running (the )?cells|cell by cell|(runs?|running) (it )?by hand|manual(ly)? (runs?|steps?|re-?runs?))\b",
     "notebooks as production automation repeatable jobs pipelines automated execution"),
    (r"\b(one-hot|encod(er|ers|ing)|scal(er|ers)|tokeni[sz]ers?|vocabular(y|ies)|column order)\b",
     "preprocessing objects tokenizer encoder feature schema artifacts"),
    (r"\b(why the model|which features?|influenc\w*|feature importance|explain\w*)\b",
     "explainability influential features"),
    (r"\b(sign[- ]off|manual review|human (review|approval)|approv\w*)\b", "human approval gate promotion"),
    (r"\b(pull request|merge|commit|unit tests?|lint\w*|build)\b", "CI/CD pipeline code validation"),
    (r"\b(latest|newest version|most recent version|newer (asset )?version)\b", "pin explicit asset versions latest risky"),
    (r"\b(same (packages|libraries|dependencies)|dependency (mismatch|drift)|package versions?)\b",
     "versioned environment dependency stack training serving mismatch"),
]
_COMPILED = [(re.compile(p, re.I), terms, re.compile(unless[0], re.I | re.S) if unless else None)
             for p, terms, *unless in CLUES]


def expand(text: str) -> str:
    """``text`` plus the review's terms for every clue it contains (unchanged when none match)."""
    extra = [terms for _, terms in matched_clues(text)]
    return f"{text} ({'; '.join(extra)})" if extra else text


@lru_cache(maxsize=2048)  # the quiz verifier, the solver and the explainer all look at the same stem
def matched_clues(text: str) -> tuple[tuple[str, str], ...]:
    """(the clue phrase as written in ``text``, the review terms it stands for) for every clue found."""
    out = []
    for pattern, terms, unless in _COMPILED:
        m = pattern.search(text)
        if m and not (unless and unless.search(text)):
            out.append((m.group(0), terms))
    return tuple(out)
