"""Negation scope: a clue, a symptom or a requirement under "no", "without", "nobody", "isn't needed" is not
what the question asks for; a failure ("can't", "is not starting") still is."""
from __future__ import annotations

import pytest

from studyassist.answer.resolve import describes_symptom, without_denied_symptoms
from studyassist.knowledge.negation import affirmed, declined_concepts, declined_spans, is_negated, replaced_concepts

from conftest import ai300_clues


@pytest.mark.parametrize("text, kept", [
    ("Which Zero Trust principle is being applied?", "Which Zero Trust principle is being applied?"),
    ("There is no latency requirement; images arrive each month.", "There is ; images arrive each month."),
    ("Nobody waits on the result, and it runs nightly.", ", and it runs nightly."),
    ("The endpoint returns no errors, but quality declines.", "The endpoint returns , but quality declines."),
    ("Latency is not a concern for this workload, cost is.", ", cost is."),
    ("It doesn't need real-time answers and runs weekly.", "It and runs weekly."),
    ("Scores rows instead of serving requests.", "Scores rows ."),
    # not a negation of what is asked: a pseudo-trigger, or a failure the question is about
    ("We need not only low latency but also autoscaling.", "We need not only low latency but also autoscaling."),
    ("The container is not starting and I have no access to the datastore.",
     "The container is not starting and I have no access to the datastore."),
    ("The team cannot reproduce last month's model.", "The team cannot reproduce last month's model."),
])
def test_what_a_negation_takes_out_of_a_sentence(text, kept):
    assert affirmed(text) == kept


@pytest.mark.parametrize("text, declined", [
    ("The team does not want to create, size, or patch any clusters, but IT caps spending.",
     ["does not want to create, size, or patch any clusters"]),
    ("Score the rows in batches rather than a managed online endpoint.", ["rather than a managed online endpoint"]),
    ("Which field says where the script runs, as opposed to which packages get installed?",
     ["as opposed to which packages get installed"]),
    # an absence reported is not a need declined: the missing monitor may well be the answer
    ("There is no requirement for ordering guarantees, topics or dead-lettering; cost matters most.",
     ["no requirement for ordering guarantees, topics or dead-lettering"]),
    ("It has no need for joins or complex relations.", ["no need for joins or complex relations"]),
    ("The company refuses to sign a long commitment.", ["refuses to sign a long commitment"]),
    ("It refuses to sign any one- or three-year commitment.", ["refuses to sign any one- or three-year commitment"]),
    ("There is no drift monitor configured on the endpoint.", []),
    ("The endpoint returns no errors.", []),
    # two words joined by "or" are one stretch of the scope: neither VMs nor clusters
    ("I don't want to babysit any VMs or clusters.", ["don't want to babysit any VMs or clusters"]),
    # nobody wanting something, and a means declined ("without doing X"); "without" before a thing reports it absent
    ("No one on my team wants to patch nodes.", ["No one on my team wants to patch nodes"]),
    ("Nobody should have to approve each release.", ["Nobody should have to approve each release"]),
    ("Can I run a job without me creating and managing a compute cluster?",
     ["without me creating and managing a compute cluster"]),
    ("The model was deployed without a monitor.", []),
    # a need declined for someone, a thing wanted as none, and a prohibition (least privilege: what it rules out)
    ("There is no need for them to run or upgrade a Kubernetes cluster.",
     ["no need for them to run or upgrade a Kubernetes cluster"]),
    ("The team wants no servers or containers to look after.", ["wants no servers or containers to look after"]),
    ("The auditor must not be able to change resources or IAM bindings.",
     ["must not be able to change resources or IAM bindings"]),
    ("It must not upload, delete, or alter bucket settings.", ["must not upload, delete, or alter bucket settings"]),
])
def test_a_declined_need_is_told_apart_from_a_reported_absence(text, declined):
    assert [text[s:e] for s, e in declined_spans(text)] == declined


def test_in_a_learners_question_rather_than_compares_and_declines_nothing():
    text = "When would I use serverless compute rather than a compute cluster?"
    assert declined_spans(text) and not declined_spans(text, contrasts=False)
    text = "We don't want to manage clusters. When would serverless compute fit?"
    assert [text[s:e] for s, e in declined_spans(text, contrasts=False)] == ["don't want to manage clusters"]


def test_a_declined_means_rules_out_what_it_names_but_its_words_are_not_declined_needs():
    """'without copying code between workspaces' says what the answer must achieve, so its words are not given to the
    solver as words the answer must avoid; the cluster in 'without managing a cluster' is still ruled out."""
    find = lambda text: ["compute-cluster"] if "cluster" in text else []  # noqa: E731
    concepts, needs = declined_concepts("Train without managing a cluster.", find, {})
    assert concepts == {"compute-cluster"} and needs == ""
    concepts, needs = declined_concepts("We don't want to manage a cluster.", find, {})
    assert concepts == {"compute-cluster"} and needs == "don't want to manage a cluster"
    assert declined_spans("Train without managing a cluster.", means=False) == ()


def test_a_declined_head_noun_stands_for_its_kinds_unless_it_modifies_the_next_word():
    heads = {"compute": {"serverless-compute"}, "cluster": {"compute-cluster", "kubernetes-cluster"}}
    concepts, _ = declined_concepts("Train without me creating a compute cluster first.", lambda text: [], heads)
    assert concepts == {"compute-cluster", "kubernetes-cluster"}  # not serverless compute: "compute" modifies
    concepts, _ = declined_concepts("We don't want to manage any compute.", lambda text: [], heads)
    assert concepts == {"serverless-compute"}


def test_a_head_noun_used_as_a_verb_declines_nothing():
    """GCP notes' "Cloud Run": "there is no need for them to run or upgrade a Kubernetes cluster" had declined Cloud
    Run (the word "run"), the very answer the learner wanted."""
    heads = {"run": {"cloud-run"}, "cluster": {"kubernetes-cluster"}}
    text = "There is no need for them to run or upgrade a Kubernetes cluster."
    assert declined_concepts(text, lambda text: [], heads)[0] == {"kubernetes-cluster"}
    assert declined_concepts("We don't want another run of the batch.", lambda text: [], heads)[0] == {"cloud-run"}


def test_ask_does_not_answer_with_what_the_learner_declines(shared_index):
    from studyassist import Assistant

    assistant = Assistant()
    for question in ("I don't want to babysit any VMs or clusters. I just want to hand Azure ML my train.py and a "
                     "GPU size and have it torn down when the job ends. What compute should I pick?",
                     "Our team doesn't want to manage any clusters. Which compute should we use for training jobs?"):
        answer = assistant.ask(question)
        assert answer.decision and "cluster" not in answer.decision.lower(), (question, answer.decision)
    # asked why, the learner's decline is the topic: "why not just skip the human approval?"
    why = assistant.ask("Why shouldn't the pipeline auto-deploy? We don't want any human approval gates.")
    assert why.decision is None or "approval" in why.decision.lower() or "gate" in why.decision.lower(), why.decision


def test_what_a_question_asks_to_replace_is_not_its_answer(shared_index):
    find = lambda t: [c for c in ("compute instance", "compute cluster") if c in t.lower()]  # noqa: E731
    asked = "The workflow can't use my compute instance. What should the training job run on instead?"
    assert replaced_concepts(asked, find) == {"compute instance"}
    assert replaced_concepts("It runs on my compute instance. Should it stay on the compute instance instead?",
                             find) == set()  # the asking sentence names it again: a choice, not a replacement
    assert replaced_concepts("The job runs on my compute instance. Which compute should it use?", find) == set()
    from studyassist import Assistant

    answer = Assistant().ask("A GitHub Actions workflow starts our training job, but the job fails because the "
                             "workflow may not use my compute instance (the one I run notebooks on). What kind of "
                             "compute should an automated training job like this use instead?")
    assert answer.decision and "instance" not in answer.decision.lower(), answer.decision


def test_a_phrase_that_carries_its_own_no_is_not_negated_by_it():
    text = "Make sure there is no public access to the workspace."
    start = text.index("no public")
    assert not is_negated(text, start, start + len("no public access"))
    assert is_negated(text, text.index("public"), text.index("public") + 6)


def test_a_negated_clue_neither_expands_nor_stays_in_the_search_text():
    clues = ai300_clues()
    text = "Low latency is not a requirement, and 2 TB of scans arrive every night."
    expanded = clues.expand(text)
    assert "immediate prediction" not in expanded and "latency" not in expanded.split("(")[0]
    assert "schedule periodic scoring" in expanded  # "every night" is asserted
    assert [terms for _, terms in clues.denied(text)] == ["immediate prediction low latency real-time online endpoint"]
    assert clues.expand("Scores must come back within 150 ms while the terminal waits.").count("immediate prediction") == 1


def test_a_negated_clue_cancels_no_other_clue():
    """The nightly-scoring clue is cancelled by a per-request latency in the same stem ("200 ms per payment, spikes
    every Monday"), but not by a latency the learner says they do not need."""
    clues = ai300_clues()
    batch = "schedule periodic scoring many records large files batch"
    denied = "We don't need anything real-time: every night a few million rows land and must be scored by 7am."
    assert batch in clues.expand(denied) and "immediate prediction" not in clues.expand(denied)
    asserted = "Each payment must be scored in real time, and the load peaks every night."
    assert batch not in clues.expand(asserted) and "immediate prediction" in clues.expand(asserted)


def test_haste_about_a_release_is_no_latency_need_and_a_prediction_on_request_is_one():
    """"wants to deploy it to production right away" is impatience, not a real-time need (external dev item fm-016
    had its sweep question searched for online endpoints); "predict on request instead of batch inferencing" is one
    (a learner's question of stop 63)."""
    clues = ai300_clues()
    realtime = "immediate prediction low latency real-time online endpoint"
    assert realtime not in clues.expand("A team member wants to register that model and deploy it to production "
                                        "right away. What should happen next?")
    assert realtime in clues.expand("The app needs an answer right away while the customer waits.")
    assert realtime in clues.expand("I'd like endpoints that predict on request instead of going through batch "
                                    "inferencing.")
    gate = "better accuracy but worse latency operational fit"
    assert gate in clues.expand("A new model improves offline accuracy by two points, but load tests show its p95 "
                                "latency is 700 ms.")


def test_a_clue_that_names_a_topic_keeps_it_under_a_negation():
    clues = ai300_clues()
    text = "The training job must read the data without any stored credentials."
    assert any("managed identity" in terms for _, terms in clues.matched(text))
    assert clues.denied(text) == ()


def test_a_clue_for_where_the_team_works_counts_only_where_the_question_asks():
    """An ``asked`` clue (the CI/CD tools' names) expands a question that asks about the tool, not one that only says
    where the team works; a pack clue without the flag counts anywhere."""
    from studyassist.knowledge.clues import Clues
    from studyassist.pack import ClueSpec

    cicd = "CI/CD pipeline code validation unit tests build security scan deploy infrastructure GitHub Actions Azure DevOps"
    clues = ai300_clues()
    scene = "Using the MLOpsPython template in Azure DevOps. Can I register every model whatever the evaluation says?"
    assert cicd not in clues.expand(scene)
    assert cicd in clues.expand("Why can't we keep the GitHub Actions run history as our experiment record?")
    assert cicd in clues.expand("Compare Azure DevOps with an Azure ML pipeline")  # no question mark: all of it asks
    spec = dict(pattern=r"\bredis\b", terms="read cache")
    text = "Our app runs on Redis. Which store fits cold records?"
    assert Clues([ClueSpec(**spec, asked=True)]).matched(text) == ()
    assert Clues([ClueSpec(**spec)]).matched(text) == (("Redis", "read cache"),)


def test_a_denied_symptom_is_no_symptom_and_is_not_searched_for():
    assert not describes_symptom("Nothing failed and there are no errors; how do I schedule the job?")
    assert describes_symptom("The endpoint returns 502 errors since this morning.")
    assert describes_symptom("The container is not starting.")
    assert without_denied_symptoms("It returns no errors, but accuracy declines.") == "It returns , but accuracy declines."


def test_negated_requirements_point_the_solver_the_right_way(shared_index):
    from studyassist import Assistant

    assistant = Assistant()
    no_latency = assistant.solve(
        "A records office receives about 2 TB of scanned images in blob storage every month and wants each image "
        "labelled by a model. There is no latency requirement. Which deployment option should it use?\n"
        "A) A managed online endpoint with autoscale\nB) A batch endpoint\nC) A compute instance running a notebook\n"
        "D) An attached Kubernetes cluster with GPU nodes")
    assert no_latency.best == "B"
    nobody_waits = assistant.solve("Your team must score 40 million stored records once a night; nobody waits for "
                                   "the result. Which option fits best?\nA) A managed online endpoint\n"
                                   "B) A batch endpoint\nC) A compute instance\nD) A sweep job")
    assert nobody_waits.best == "B"


def test_a_denied_clue_counts_against_the_rows_it_points_to(shared_index):
    """Not only left out of the search: the rows a denied clue names fit the stem less than with no word of it."""
    from studyassist import Assistant
    from studyassist.solve.mcq import PastedQuestion

    assistant = Assistant()
    options = ("A managed online endpoint", "A batch endpoint")
    ask = "Which deployment target fits scoring 2 TB of scanned images each month?"
    plain = assistant.solve(PastedQuestion(stem=ask, options=options)).scores["A"]
    for denial in ("Nobody waits for the result.", "There is no real-time requirement."):
        denied = assistant.solve(PastedQuestion(stem=f"{denial} {ask}", options=options)).scores
        assert denied["A"] < 0.8 * plain and denied["B"] > denied["A"], (denial, denied, plain)


def test_what_a_stem_declines_is_not_the_answer(shared_index):
    """"Does not want to create, size, or patch any clusters": the option that creates clusters names the right kind
    of thing for training jobs, but it is the one thing the stem rules out."""
    from studyassist import Assistant

    stem = ("A team submits a handful of training jobs each week, each needing a different VM size. The platform "
            "team {} any clusters. Where should the jobs run?\n"
            "A) Create one compute cluster per VM size\nB) Give every data scientist a compute instance\n"
            "C) Omit the compute target so the jobs run on serverless compute\n")
    assistant = Assistant()
    declined = assistant.solve(stem.format("does not want to create, size, or patch"))
    assert declined.best == "C" and declined.scores["A"] < 0.5 * declined.scores["B"], declined.scores
    wanted = assistant.solve(stem.format("wants to create, size and patch"))
    assert wanted.scores["A"] > 10 * declined.scores["A"], (wanted.scores, declined.scores)


@pytest.mark.parametrize("singular, plural", [
    ("try another learning rate", "try lots of learning rates"),
    ("behind a private endpoint", "behind private endpoints"),
    ("it runs in a notebook", "it runs in notebooks"),
    ("on every pull request", "on pull requests"),
])
def test_a_clue_reads_the_plural_a_learner_writes(singular, plural):
    clues = ai300_clues()
    said = clues.matched(singular)
    assert said and [terms for _, terms in clues.matched(plural)] == [terms for _, terms in said]


def test_not_wanting_to_run_machines_asks_for_managed_compute_of_the_right_kind():
    clues = ai300_clues()
    serve = clues.expand("I really don't want to patch nodes or babysit any cluster just to serve a model.")
    train = clues.expand("I don't want to manage any clusters for my training jobs.")
    assert "managed online endpoint" in serve and "without managing cluster details" not in serve
    assert "without managing cluster details" in train and "managed online endpoint" not in train


@pytest.mark.parametrize("said", ["the endpoint gets sluggish every weekday at 9am", "scoring times out now",
                                  "the app is laggy", "each request takes ages"])
def test_a_learner_word_for_slow_is_a_symptom_and_a_latency_clue(said):
    assert describes_symptom(said)
    assert any("latency" in terms for _, terms in ai300_clues().matched(said))


# a clue's word in another sense: (what is said, the clue's terms it must not get, a sentence that still gets them)
_WAITING = ("real-time", "the customer is waiting at the checkout")
_APPROVAL = ("human approval gate", "a person must approve it first")
_SLOW = ("latency", "the endpoint is slowing down every morning")


@pytest.mark.parametrize("said, clue", [
    # waiting on a team's process, or when a problem began, is no real-time need
    ("he deployed from his laptop because it was quicker than waiting for the pipeline", _WAITING),
    ("we keep waiting on approvals before each release", _WAITING),
    ("HTTP 500s began immediately following a dependency upgrade", _WAITING),
    ("Accuracy up by 2 points, p95 latency up from 80 to 400 milliseconds", _WAITING),
    # the business's own approvals are no release approval
    ("Big gap in loan approval rates between age brackets.", _APPROVAL),
    ("the credit approval model rejects more young applicants", _APPROVAL),
    ("approval decisions differ by region", _APPROVAL),
    # a model already approved is a state: the question is what happens to it next
    ("Approved model sits in the dev workspace and must reach production.", _APPROVAL),
    # a release process that slows down is no endpoint latency
    ("we don't want a human in the loop slowing every release down", _SLOW),
    ("manual sign-offs slow our rollouts", _SLOW), ("the approval step is slowing us down", _SLOW),
])
def test_a_clue_word_in_another_sense_is_not_that_clue(said, clue):
    terms, still = clue
    assert not any(terms in t for _, t in ai300_clues().matched(said))
    assert any(terms in t for _, t in ai300_clues().matched(still))


@pytest.mark.parametrize("said, least", [
    ("a data scientist only needs read access on a single datastore. how do i set that up?", True),
    ("Our analysts only ever read. Shouldn't they get a reader role?", True),
    ("The identity needs read-only access to the blobs.", True),
    ("The scoring job reads the data every night.", False),
])
def test_someone_who_only_needs_to_read_points_to_least_privilege(said, least):
    assert any("least privilege" in t for _, t in ai300_clues().matched(said)) == least


@pytest.mark.parametrize("said", ["real users never seem to hit it", "the new deployment gets no traffic",
                                  "requests don't reach the new one"])
def test_requests_that_never_reach_a_deployment_ask_about_the_traffic_rule(said):
    assert "traffic rule" in ai300_clues().expand(said)


@pytest.mark.parametrize("said", ["we have no ground-truth labels at all", "we never get the actual outcomes",
                                  "labels are not available for this model"])
def test_no_ground_truth_points_to_input_drift(said):
    assert "data drift" in ai300_clues().expand(said)


@pytest.mark.parametrize("said", ["StreamAccessException was caused by AuthenticationException.",
                                  "the job stops with an authentication error when it mounts the input"])
def test_an_authentication_failure_points_to_the_storage_access_rows(said):
    assert "storage access fails managed identity" in ai300_clues().expand(said)


@pytest.mark.parametrize("said, terms", [
    ("only 10% of the real calls should hit the new version", "canary small percentage"),
    ("the job then fails reading input from a storage account", "storage access fails managed identity"),
    ("the new model gains 2 accuracy points but p95 latency jumped to 400 ms", "better accuracy but worse latency"),
    ("interns may look at experiments, but deleting compute is off limits", "least privilege RBAC"),
    ("analysts can view runs yet cannot change the endpoints", "least privilege RBAC"),
])
def test_a_learners_filler_words_do_not_hide_a_clue(said, terms):
    assert terms in ai300_clues().expand(said)


def test_a_measure_reported_as_normal_is_found_and_nothing_else():
    """"Steady latency, few errors and normal CPU usage" says where the problem is not: the solver searches without it
    and lowers the rows those words point to (service health), so that "Which signal would NOT help detect this?"
    is judged against the rows about the problem."""
    from studyassist.knowledge.negation import reported_normal

    assert reported_normal("It shows steady latency, few errors, and normal CPU usage, yet scores got worse.") == (
        "steady latency few errors normal CPU usage")
    assert reported_normal("Dashboards show latency under 80 ms, zero HTTP errors, and CPU below 40 percent.") == (
        "latency under 80 ms zero HTTP errors CPU below 40 percent")
    assert reported_normal("Azure Monitor is all green: CPU fine, memory looks fine.") == "CPU fine memory looks fine"
    for failing in ("The endpoint returns 5xx errors under load", "Latency is high since Monday",
                    "CPU usage doubled after the release", "Predictions look normal but labels disagree"):
        assert reported_normal(failing) == "", failing
    # faults reported absent (an external question: "has run without errors for a year, but forecast error has
    # slowly increased"), not faults a requirement rules out
    assert reported_normal("The endpoint has run without errors for a year, but forecast error rose.") == (
        "without errors")
    assert reported_normal("It has been error-free for months and free of timeouts.") == "error-free free of timeouts"
    for needed in ("The job must run without errors.", "Scoring needs to finish without timeouts."):
        assert reported_normal(needed) == "", needed


@pytest.mark.parametrize("text, measures", [
    ("It fails with OutOfQuota even though the subscription has enough quota for the SKU.", {"quota"}),
    ("We have plenty of quota left, and latency stays low.", {"quota", "latency"}),
    ("There is not enough quota for the SKU.", set()),  # denied, not reported normal
    ("The subscription lacks sufficient quota.", set()),
    ("Latency is not low any more.", set()),
    ("The app requires low latency responses.", set()),  # asked for, not reported
    ("Keep latency low while the traffic doubles.", set()),
])
def test_a_measure_is_normal_only_where_it_is_reported_so(text, measures):
    """"Enough quota" is reported, "not enough quota" and "requires low latency" are not: the first says where a
    problem is not, the others where it is (or what is wanted)."""
    from studyassist.knowledge.negation import names_measure, normal_measures

    assert normal_measures(text) == measures
    assert names_measure("Submit a quota increase request", normal_measures(text)) == ("quota" in measures)


def test_an_option_acting_on_what_the_stem_reports_as_normal_loses(shared_index):
    """A deployment fails with OutOfQuota "even though the subscription has enough quota": requesting more quota
    matches the review's quota row, but the stem says the quota is not the problem, so it is no confident answer and
    scores less than in the same stem without that clause."""
    from studyassist import Assistant
    from studyassist.solve.mcq import PastedQuestion

    assistant = Assistant()
    options = ("Submit a quota increase request for the VM family", "Retry later or deploy to a different region",
               "Change the endpoint authentication mode to key")
    ask = "What should you do?"
    plain = "A deployment fails with an OutOfQuota error that points to region-wide VM capacity."
    said = plain[:-1] + ", even though your subscription has enough quota for the SKU."
    before = assistant.solve(PastedQuestion(stem=f"{plain} {ask}", options=options))
    after = assistant.solve(PastedQuestion(stem=f"{said} {ask}", options=options))
    assert after.scores["A"] < 0.6 * before.scores["A"], (before.scores, after.scores)
    assert after.confidence != "confident" or after.best != "A", after


def test_an_option_that_denies_what_the_stem_asks_for_loses(shared_index):
    """The stem asks to stop trials that fall behind (the early-termination clue); of two sweep jobs alike in every
    other word, the one that "has no early termination policy" denies it and scores lower — before, the two tied."""
    from studyassist import Assistant
    from studyassist.knowledge.negation import denies
    from studyassist.solve.mcq import PastedQuestion

    assert denies("has no early termination policy set", {"early", "termination", "sweep"})
    assert not denies("has an early termination policy set", {"early", "termination", "sweep"})
    assert not denies("has no metric", {"early", "termination"})  # one word is not enough to deny a need
    stem = ("You tune the learning rate of a classifier in Azure Machine Learning and keep the run with the best "
            "validation AUC; trials that fall well behind should be stopped to save compute. What should you use?")
    options = ("A sweep job that maximizes AUC and has an early termination policy set",
               "A sweep job that maximizes AUC and has no early termination policy set",
               "A command job that loops over the values and writes each result to a file")
    solved = Assistant().solve(PastedQuestion(stem=stem, options=options))
    assert solved.best == "A" and solved.scores["B"] < 0.75 * solved.scores["A"], solved.scores


@pytest.mark.parametrize("stem, kept", [
    ("Roll the new version out gradually without changing the URL or the credentials that the apps use.",
     {"url", "crede", "apps"}),
    ("Version 5 needs a GPU, but the endpoint name, URI, and keys must stay the same.", {"endpo", "name", "uri", "keys"}),
    ("The address partners call must not change when a version goes live.", {"addre", "partn", "call"}),
    ("Test green without changing the traffic allocation (the scheduler names no deployment).", {"traff", "alloc"}),
    # no constraint: a change asked for, or one that merely happened
    ("The team must change the instance type before Friday.", set()),
    ("A data scientist reruns an unchanged training script and gets another AUC.", set()),
])
def test_what_a_stem_keeps_fixed(stem, kept):
    from studyassist.solve import held

    assert held.kept(stem).words == kept


def test_an_option_breaks_what_is_kept_only_by_changing_it():
    from studyassist.solve import held

    keep = held.kept("Release it to a slice of traffic; the endpoint name, URL, and keys must stay the same.")
    assert held.breaks("A new online endpoint named scoring-v2 with a GPU instance type", keep)
    assert held.breaks("Create a separate deployment, then update the keys in every client", keep)
    # a new thing under the kept one, or the kept one merely named, changes nothing of it
    assert not held.breaks("A new deployment under the existing endpoint that uses a GPU instance type", keep)
    assert not held.breaks("Restart the existing endpoint", keep)
    assert not held.breaks("A new online endpoint", held.kept("Release it to a slice of traffic."))


def test_asked_which_part_to_change_a_part_that_is_kept_is_not_it():
    """Pandas must change "without changing the training script, its arguments, or the compute target": of the parts
    of a command job, the one whose row is about the script ("Command: how the script is executed") is kept."""
    from studyassist.solve import held

    keep = held.kept("Switch pandas 1.5 to 2.2 without changing the training script, its arguments, or the compute "
                     "target. Which part of the command job definition should change?")
    assert keep.parts and held.breaks("The command", keep, "how the script is executed")
    assert not held.breaks("The environment", keep, "runtime dependencies")
    # asked what to create, the row the option fits is not a part to be changed
    keep = held.kept("The scoring script must stay the same. Which compute should you use?")
    assert not keep.parts and not held.breaks("Serverless compute", keep, "score with the scoring script")


def test_an_option_changing_what_the_stem_keeps_loses(shared_index, monkeypatch):
    """"The endpoint's name, URL and keys must stay the same": an option making a new endpoint repeats the stem's
    words (endpoint, SKU) as well as the right one does, but breaks the constraint the stem states, so it keeps about
    half of the score it has when that clause is not read; the right option keeps all of its score."""
    from studyassist import Assistant
    from studyassist.solve import held
    from studyassist.solve.mcq import PastedQuestion

    assistant = Assistant()
    question = PastedQuestion(
        stem="Mobile apps call a scoring URL with key authentication. A retrained model needs a larger SKU, and the "
             "team wants to send a slice of requests to it first, while the endpoint's name, URL and keys must stay "
             "the same. What should you create?",
        options=("A new online endpoint for the retrained model on the larger SKU",
                 "A second deployment on the larger SKU under the existing online endpoint"))
    read = assistant.solve(question)
    monkeypatch.setattr(held, "kept", lambda stem: held.Kept())
    unread = assistant.solve(question)
    assert read.scores["A"] <= 0.55 * unread.scores["A"] and read.scores["B"] == unread.scores["B"], (read, unread)
    assert read.best == "B", read.scores


@pytest.mark.parametrize("text, refused", [
    ("The report must show current data; waiting for a scheduled refresh is not acceptable.", {"scheduled", "refresh"}),
    ("The team does not want to patch any clusters.", {"patch", "cluster"}),
    # an absence reported is what the question is about; a means declined is what the answer achieves
    ("A training job completed, but no metrics appear on the run in the studio.", set()),
    ("How can the job read the files without putting a storage key in the script?", set()),
])
def test_the_words_a_stem_refuses_are_those_of_a_declined_need(text, refused):
    from studyassist.knowledge.negation import denies, refused_words

    assert refused_words(text) == refused
    assert denies("Import with an hourly scheduled refresh", set(), refused_words(text)) is ("refresh" in refused)
