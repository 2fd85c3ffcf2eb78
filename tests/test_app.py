"""The Streamlit app driven headlessly with AppTest: every page's main flow, on the shared real index."""
from __future__ import annotations

import re
import time
import tomllib
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from studyassist.knowledge.model import KnowledgeBase
from studyassist.settings import PROJECT_ROOT, get_settings
from studyassist.study.progress import Attempt, ProgressStore
from studyassist.ui.markup import md_escape

from conftest import PASTED_BATCH

APP = str(PROJECT_ROOT / "app.py")
QUESTION = "When is a batch endpoint the wrong choice?"
PASTED = PASTED_BATCH

pytestmark = pytest.mark.usefixtures("shared_index")


def open_app(profile: str | None = None) -> AppTest:
    """A fresh browser session on the Ask page, with its own profile so tests do not share progress."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["profile"] = profile or f"test-{uuid.uuid4().hex[:8]}"
    at.run()
    assert not at.exception
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.sidebar.radio(key="page").set_value(page).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input(key="ask_input").set_value(question).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def miss_a_question(at: AppTest):
    """Answer the Practise page's current question wrongly; returns the item."""
    go(at, "Practise")
    item = at.session_state["practise"].item
    at.radio(key=f"pick_{item.id}").set_value((item.answer + 1) % len(item.options))
    at.button(key="practise_submit").click().run()
    assert not at.exception, at.exception
    return item


def test_ask_shows_a_cited_answer_with_the_row_highlighted():
    at = ask(open_app(), QUESTION)
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    labels = [e.label for e in at.expander]
    assert labels and labels[0].startswith("[1] ")
    assert "[1]" in markdown_text(at)
    assert "**➤" in markdown_text(at)  # the cited row, marked within its table
    assert "Grounded" in markdown_text(at)  # the mode badge
    assert re.search(r":(green|blue|orange)-badge\[:material/\w+: (Confident|Likely|Not sure) · \d+%\]",
                     markdown_text(at)), markdown_text(at)  # how sure the answer is, calibrated


def test_follow_up_resolves_against_the_previous_turn():
    at = ask(ask(open_app(), QUESTION), "why not the other one?")
    assert len(at.chat_message) == 4
    assert len(at.session_state["ask_chat"].turns) == 2
    assert at.session_state["ask_history"][-1].citations


def test_two_sessions_keep_separate_chats():
    first, second = open_app(), open_app()
    ask(first, QUESTION)
    ask(second, "What is a sweep job?")
    ask(first, "why not the other one?")
    assert [e.text for e in first.session_state["ask_history"] if e.role == "user"] == \
        [QUESTION, "why not the other one?"]
    assert [e.text for e in second.session_state["ask_history"] if e.role == "user"] == ["What is a sweep job?"]
    assert len(second.session_state["ask_chat"].turns) == 1


@pytest.mark.slow
def test_twenty_sessions_keep_their_state_apart():
    questions = ["What is a sweep job?", "What is shadow testing?", "What is data drift?", "What is a canary release?",
                 "What is label leakage?"]
    sessions = [open_app(profile=f"learner{n}") for n in range(20)]
    for n, at in enumerate(sessions):  # interleaved: every session is open while the others run
        ask(at, questions[n % len(questions)] + f" (session {n})")
    for n, at in enumerate(sessions):
        users = [e.text for e in at.session_state["ask_history"] if e.role == "user"]
        assert users == [questions[n % len(questions)] + f" (session {n})"]
        assert len(at.session_state["ask_chat"].turns) == 1 and not at.exception


def test_an_empty_question_is_one_sentence_not_a_traceback():
    at = open_app()
    at.chat_input(key="ask_input").set_value("   ").run()
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.count(".") == 1


def test_a_huge_question_is_one_sentence_kept_aside_not_echoed_into_the_chat():
    at = open_app()
    huge = "Which endpoint fits a nightly scoring job? " * 150  # ~6,500 characters
    at.chat_input(key="ask_input").set_value(huge).run()
    assert not at.exception
    assert len(at.error) == 1 and "keep it under" in at.error[0].value
    assert len(at.chat_message) == 0 and at.session_state["ask_history"] == []
    assert [e.label for e in at.expander] == ["Your question (not sent)"] and at.code[0].value == huge


def test_a_wrong_answer_gets_an_explanation_and_a_chat():
    at = open_app()
    item = miss_a_question(at)
    assert "Not quite" in at.warning[0].value
    text = markdown_text(at)
    assert "Why not your answer" in text and "[1]" in text
    assert any(e.label.startswith("[1] ") for e in at.expander)
    at.chat_input(key="practise_input").set_value("why not the other one?").run()
    assert not at.exception and not at.error
    assert len(at.session_state["practise"].messages) == 2
    at.chat_input(key="practise_input").set_value("give me another one like this").run()
    assert not at.exception and not at.error
    assert at.session_state["practise"].item.id != item.id


def test_submit_without_a_pick_asks_for_one_and_records_nothing_then_a_pick_is_recorded_in_one_run():
    at = open_app()
    go(at, "Practise")
    item = at.session_state["practise"].item
    at.button(key="practise_submit").click().run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == ["Pick one of the options first, then submit."]
    assert ProgressStore(get_settings().progress_db).attempts(at.session_state["profile"]) == []
    at.radio(key=f"pick_{item.id}").set_value(item.answer)
    at.button(key="practise_submit").click().run()  # recorded before the page is drawn: no second run needed
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("Correct —") and not at.warning
    [attempt] = ProgressStore(get_settings().progress_db).attempts(at.session_state["profile"])
    assert (attempt.item_id, attempt.correct) == (item.id, True)
    assert at.session_state["practise"].item.id == item.id  # the same question, now answered


def test_another_like_this_button_gives_a_new_question():
    at = open_app()
    go(at, "Practise")
    first = at.session_state["practise"].item
    at.button(key="practise_similar").click().run()
    assert not at.exception and not at.error
    assert at.session_state["practise"].item.id != first.id


def test_mock_exam_reports_per_area():
    at = go(open_app(), "Mock exam")
    at.slider(key="exam_count").set_value(5).run()
    at.button(key="exam_start").click().run()
    assert not at.exception and not at.error
    exam = at.session_state["exam"]
    assert len(exam.items) == 5
    first = exam.items[0]
    at.radio(key=f"exam_{first.id}").set_value(first.answer).run()
    at.button(key="exam_done").click().run()
    assert not at.exception and not at.error
    assert at.metric[0].value.startswith("1 / 5")
    areas = at.dataframe[0].value
    assert areas["Questions"].sum() == 5
    assert at.get("vega_lite_chart")


def test_mock_exam_grades_itself_when_time_runs_out():
    at = go(open_app(), "Mock exam")
    at.slider(key="exam_count").set_value(5).run()
    at.button(key="exam_start").click().run()
    at.session_state["exam"].deadline = time.time() - 1
    at.run()
    assert not at.exception and not at.error
    assert at.metric[0].value.startswith("0 / 5")


def test_paste_a_question_shows_the_best_option(confident_packs):
    at = go(open_app(), "Paste a question")
    at.text_area(key="paste_text").input(PASTED)
    at.selectbox(key="paste_chose").set_value("A")
    at.button(key="paste_solve").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Best answer: **B)")
    assert ":green-badge[:material/task_alt: Confident · " in markdown_text(at)
    assert any(e.label.startswith("[1] ") for e in at.expander)


def test_an_unsure_solution_is_not_called_best_and_the_pick_is_neither_praised_nor_logged(packs_at):
    packs_at("unsure")
    at = paste(go(open_app(), "Paste a question"), PASTED, "B")
    assert not at.success
    assert at.warning[0].value.startswith("Not sure; the closest answer: **B)")
    assert ":orange-badge[:material/help_outline: Not sure · " in markdown_text(at)
    assert "well chosen" not in markdown_text(at).lower()
    assert any(i.value.startswith("Not logged in your mistake log: the solver is not sure enough") for i in at.info)
    assert ProgressStore().attempts(at.session_state["profile"]) == []


def paste(at: AppTest, text: str, chose: str) -> AppTest:
    at.text_area(key="paste_text").input(text)
    at.selectbox(key="paste_chose").set_value(chose)
    at.button(key="paste_solve").click().run()
    assert not at.exception and not at.error, at.exception
    return at


def test_a_select_two_question_shows_both_answers_and_praises_either(confident_packs):
    at = paste(go(open_app(), "Paste a question"),
               "Which TWO actions keep credentials out of a training repository? (Select two.)\nA) Use managed identity"
               "\nB) Store keys in the notebook\nC) Use Key Vault\nD) Put the connection string in YAML", "C")
    assert at.success[0].value == "Best answers: **A) Use managed identity** and **C) Use Key Vault**"
    assert at.success[1].value.startswith("C is one of the 2 answers")


def test_a_pasted_miss_goes_to_the_mistake_log_once(confident_packs):
    at = paste(go(open_app(), "Paste a question"), PASTED, "A")
    assert any(i.value.startswith("Logged as a miss on Online endpoint versus batch endpoint") for i in at.info)
    paste(at, PASTED, "B")  # the same question again, now with the right pick: counted once a day
    assert any("Already logged today" in i.value for i in at.info)
    [attempt] = ProgressStore().attempts(at.session_state["profile"])
    assert (attempt.source, attempt.correct, attempt.stem) == ("pasted", False, " ".join(PASTED.split("\n")[:2]))
    go(at, "Review")
    logged = [q for i in range(len(at.dataframe)) if "Last missed question" in at.dataframe[i].value.columns
              for q in at.dataframe[i].value["Last missed question"]]
    assert logged == ["(pasted) A retail team scores ten million customer records every night and writes the "
                      "results to storage. Which deployment option should they use? — you picked A) Managed online "
                      "endpoint"]


def test_a_pasted_pick_is_not_logged_when_unticked(confident_packs):
    at = go(open_app(), "Paste a question")
    at.checkbox(key="paste_record").uncheck()
    paste(at, PASTED, "A")
    assert at.success[0].value.startswith("Best answer: **B)")
    assert not any("Logged" in i.value for i in at.info)
    assert ProgressStore().attempts(at.session_state["profile"]) == []


def test_a_pasted_question_without_options_is_one_sentence():
    at = go(open_app(), "Paste a question")
    at.text_area(key="paste_text").input("Which endpoint should I use?")
    at.button(key="paste_solve").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "option" in at.error[0].value


def test_review_queue_after_a_miss():
    at = open_app()
    item = miss_a_question(at)
    kb = KnowledgeBase.load(get_settings().kb_path)
    rule = kb.rule(item.rule_id)
    go(at, "Review")
    queued = {r for i in range(len(at.dataframe)) if "Due in" in at.dataframe[i].value.columns
              for r in at.dataframe[i].value["Rule"]}
    assert f"{kb.table(rule.table).title}, row {rule.row}" in queued  # back a minute after the miss
    assert any(s.value == "Mistake log" for s in at.subheader)


def test_review_due_now_lists_a_rule_missed_an_hour_ago():
    profile = f"test-{uuid.uuid4().hex[:8]}"
    ProgressStore().record(Attempt(profile=profile, item_id="q-past", rule_id="online-endpoint-versus-batch-endpoint#2",
                                   area="deployment", chosen=0, answer=1, correct=False, source="quiz",
                                   stem="stem", answered_at=datetime.now(UTC) - timedelta(hours=1)))
    at = go(open_app(profile), "Review")
    assert at.subheader[0].value == "Due now (1)"
    assert "Online endpoint versus batch endpoint, row 2" in list(at.dataframe[0].value["Rule"])
    at.button(key="review_practise").click().run()
    assert at.session_state["page"] == "Practise"
    assert at.session_state["practise"].item.rule_id.startswith("online-endpoint-versus-batch-endpoint")


def test_export_buttons_carry_the_deck_and_the_csv(monkeypatch):
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def capture(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes) and filename:
            files[Path(filename).suffix] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", capture)
    at = open_app()
    miss_a_question(at)
    go(at, "Review")
    assert {b.label for b in at.get("download_button")} >= {"Anki deck (.apkg)", "CSV"}
    assert files[".apkg"][:2] == b"PK"  # a zip, as Anki decks are
    assert files[".csv"].decode().startswith("front,back,rule_id,area,misses")


def test_progress_charts_after_attempts():
    at = open_app()
    item = miss_a_question(at)
    go(at, "Progress")
    assert at.metric[0].value == "1"
    # one day of answers is no trend (its dots would sit on top of each other): the coverage map only
    assert len(at.get("vega_lite_chart")) == 1
    assert any("two different days" in c.value for c in at.caption)
    assert any(s.value == "Weakest areas" for s in at.subheader)
    assert at.dataframe[0].value["Accuracy"].tolist() == [0]  # whole percentages, 0-100
    ProgressStore().record(Attempt(profile=at.session_state["profile"], item_id=item.id + "-y", rule_id=item.rule_id,
                                   area=item.area, chosen=item.answer, answer=item.answer, correct=True,
                                   source="quiz", stem=item.stem,
                                   answered_at=datetime.now(UTC) - timedelta(days=1)))
    at.run()
    assert len(at.get("vega_lite_chart")) == 2  # accuracy over time and the coverage map
    assert at.dataframe[0].value["Accuracy"].tolist() == [50]


def test_sources_page_shows_a_table_and_a_list():
    at = go(open_app(), "Sources")
    assert markdown_text(at).count("\n| ") >= 5
    # how the table is read, in words (every table of the review is read with high confidence: no warning)
    assert any("questions give a row's ‘" in c.value for c in at.caption) and not at.warning
    at.button_group(key="sources_kind").set_value("Lists").run()
    assert not at.exception and "\n- " in markdown_text(at)


def test_settings_shows_the_mode_and_creates_a_profile():
    at = go(open_app(), "Settings")
    assert "No LLM is configured" in markdown_text(at)
    at.text_input(key="settings_new_profile").input("sam")
    next(b for b in at.button if b.label == "Create and switch").click().run()
    assert at.session_state["profile"] == "sam"
    assert at.sidebar.selectbox(key="profile").value == "sam"


# ---- Issue 17, item 5: the pages after a learner's first use (marks, mock exam page, review, sources, settings) ----

KEY_MARK, PICK_MARK = ":green[:material/check_circle: the answer", ":red[:material/cancel: your pick]"


def marked_lines(at: AppTest) -> list[str]:
    """The lines of the answered question's option list (the one that marks the key)."""
    return next(m.value.splitlines() for m in at.markdown if m.value.startswith("- ") and KEY_MARK in m.value)


def test_after_a_wrong_pick_the_list_marks_the_key_and_the_pick():
    at = open_app()
    item = miss_a_question(at)
    wrong = (item.answer + 1) % len(item.options)
    lines = marked_lines(at)
    assert len(lines) == len(item.options)
    assert lines[item.answer].startswith(f"- **{'ABCD'[item.answer]}) ") and lines[item.answer].endswith(KEY_MARK + "]")
    assert lines[wrong].startswith(f"- {'ABCD'[wrong]}) ") and lines[wrong].endswith(PICK_MARK)
    assert sum(":green[" in line or ":red[" in line for line in lines) == 2
    assert not [r for r in at.radio if r.key == f"pick_{item.id}"]  # answered: the list replaces the radio


def test_after_a_right_pick_the_key_is_marked_as_the_pick():
    at = go(open_app(), "Practise")
    item = at.session_state["practise"].item
    at.radio(key=f"pick_{item.id}").set_value(item.answer)
    at.button(key="practise_submit").click().run()
    assert not at.exception and at.success[0].value.startswith("Correct")
    lines = marked_lines(at)
    assert lines[item.answer].endswith(KEY_MARK + " — your pick]") and not any(":red[" in line for line in lines)


def test_the_mock_exam_is_its_own_page_with_a_right_and_a_wrong_icon():
    at = go(open_app(), "Mock exam")
    assert at.title[0].value == "Mock exam" and not at.get("button_group")  # no Practise/Mock exam toggle
    at.slider(key="exam_count").set_value(5).run()
    at.button(key="exam_start").click().run()
    first, second = at.session_state["exam"].items[:2]
    at.radio(key=f"exam_{first.id}").set_value(first.answer)
    at.radio(key=f"exam_{second.id}").set_value((second.answer + 1) % len(second.options)).run()
    at.button(key="exam_done").click().run()
    assert not at.exception and not at.error
    # coloured icons (a green tick, a red cross, a grey dash), and the verdict in words
    assert [e.label.split(": ")[0] for e in at.expander] == [
        ":green[:material/check_circle:] Question 1, right", ":red[:material/cancel:] Question 2, wrong",
        *(f":gray[:material/remove:] Question {n}, unanswered" for n in (3, 4, 5))]
    assert PICK_MARK in markdown_text(at) and KEY_MARK in markdown_text(at)
    go(at, "Practise")  # the exam's report waits on its own page while the learner practises
    assert not at.get("button_group") and at.session_state["practise"] is not None
    go(at, "Mock exam")
    assert at.metric[0].value.startswith("1 / 5")


def test_review_shows_each_missed_question_in_full_with_the_key_and_the_pick():
    at = open_app()
    item = miss_a_question(at)
    go(at, "Review")
    [full] = [e for e in at.expander if e.label.endswith(": the question in full")]
    shown = [m.value for m in full.markdown]
    assert f"**{md_escape(item.stem)}**" in shown  # the whole stem, where the table's cell cuts it off
    assert any(KEY_MARK in text and PICK_MARK in text for text in shown)
    assert any(text.startswith("The review's row: ") for text in shown)


def test_sources_search_covers_every_table_and_names_each_hit_s_table():
    kb = KnowledgeBase.load(get_settings().kb_path)
    holding = [t for t in kb.tables if any("latency" in " ".join(row).lower() for row in t.rows)]
    at = go(open_app(), "Sources")
    at.text_input(key="sources_filter").input("Latency").run()  # not only the selected table, any case
    assert not at.exception and len(holding) >= 2
    heads = [s.value.split(" · ")[0] for s in at.subheader]
    assert heads[:len(holding)] == [md_escape(t.title) for t in holding]
    assert all(h.endswith(" (list)") for h in heads[len(holding):])  # list items that mention it come after
    tables = [m.value for m in at.markdown if m.value.startswith("| # |")]
    assert len(tables) == len(holding)
    assert all("latency" in line.lower() for table in tables for line in table.splitlines()[2:])
    at.text_input(key="sources_filter").input("no-such-word-here").run()
    assert at.info[0].value.startswith("No table row or list item contains “no-such-word-here”")
    at.text_input(key="sources_filter").input("").run()  # an empty box browses one table again
    assert at.selectbox(key="sources_table") and not at.subheader


def test_sources_say_how_each_table_is_read_in_plain_words():
    kb = KnowledgeBase.load(get_settings().kb_path)
    at = go(open_app(), "Sources")
    for table in kb.tables:
        at.selectbox(key="sources_table").set_value(table.id).run()
        [described] = [c.value for c in at.caption if " rows · " in c.value]
        assert "→" not in described and "choice for" not in described and "orientation" not in described
        if table.orientation == "comparison":
            assert "questions ask how ‘" in described and "’ differ, one row at a time" in described
        else:
            assert f"questions give a row's ‘{md_escape(table.situation_header)}’ and ask for its ‘" in described
        assert ("every area" in described) == table.overview  # the review map spans every area


def record_answers(profile: str, rules: list[str], correct: bool = False) -> None:
    for n, rule in enumerate(rules):
        ProgressStore().record(Attempt(profile=profile, item_id=f"q-{profile}-{n}", rule_id=rule, area="deployment",
                                       chosen=0, answer=0 if correct else 1, correct=correct, source="quiz",
                                       stem="stem", answered_at=datetime.now(UTC) - timedelta(hours=1)))


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception and not at.error, at.exception
    return at


ENDPOINT_RULES = ["online-endpoint-versus-batch-endpoint#1", "online-endpoint-versus-batch-endpoint#2"]


def test_settings_reset_a_profile_after_a_confirmation_and_keep_the_others():
    me, other = f"test-{uuid.uuid4().hex[:8]}", f"test-{uuid.uuid4().hex[:8]}"
    record_answers(me, ENDPOINT_RULES)
    record_answers(other, ENDPOINT_RULES[:1])
    at = go(open_app(me), "Settings")
    click(at, "settings_reset")
    assert "cannot be undone" in at.warning[0].value and len(ProgressStore().attempts(me)) == 2  # asked, not done
    click(at, "settings_confirm_no")
    assert not at.warning and len(ProgressStore().attempts(me)) == 2  # cancelled: nothing lost
    click(click(at, "settings_reset"), "settings_confirm_yes")
    store = ProgressStore()
    assert store.attempts(me) == [] and store.due_rules(me) == [] and store.mistakes_by_rule(me) == []
    assert me in store.profiles() and at.session_state["profile"] == me  # the name stays, empty
    assert len(store.attempts(other)) == 1 and store.due_rules(other) == ENDPOINT_RULES[:1]
    assert at.success[0].value.startswith(f"Profile “{me}” starts over: 2 answers")
    go(at, "Review")
    assert at.info[0].value.startswith("No missed rules yet")


def test_settings_delete_a_profile_after_a_confirmation_and_keep_the_others():
    me, other = f"test-{uuid.uuid4().hex[:8]}", f"test-{uuid.uuid4().hex[:8]}"
    record_answers(me, ENDPOINT_RULES)
    record_answers(other, ENDPOINT_RULES[:1], correct=True)
    at = go(open_app(me), "Settings")
    click(click(at, "settings_delete"), "settings_confirm_yes")
    store = ProgressStore()
    assert me not in store.profiles() and store.attempts(me) == [] and store.due_rules(me) == []
    assert other in store.profiles() and len(store.attempts(other)) == 1
    assert at.session_state["profile"] == "default" and at.sidebar.selectbox(key="profile").value == "default"
    assert me not in at.sidebar.selectbox(key="profile").options
    assert at.success[0].value == f"Profile “{me}” was deleted with its 2 answers; you are on “default” now."


def test_the_toolbar_is_minimal_so_no_deploy_button_shows():
    """`make run` is `streamlit run app.py`: the project's config file carries the setting."""
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "minimal"


@pytest.mark.slow
def test_an_unreachable_llm_shows_a_banner_and_answers_stay_grounded(monkeypatch):
    monkeypatch.setenv("STUDYASSIST_LLM", "openai:gpt-4o-mini")
    monkeypatch.setenv("STUDYASSIST_LLM_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens on port 9
    monkeypatch.setenv("STUDYASSIST_LLM_TIMEOUT", "5")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-key")
    get_settings.cache_clear()
    at = open_app()
    assert any("not reachable" in w.value for w in at.warning)
    ask(at, QUESTION)
    answer = at.session_state["ask_history"][-1]
    assert answer.mode == "grounded" and answer.citations
    assert any("LLM could not answer" in w for w in answer.warnings)


def test_first_start_builds_the_missing_index_with_a_progress_bar(isolated_home, tmp_path, monkeypatch):
    import ingest.indexer

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tiny.md").write_text("# Tiny review\n\n## Online endpoint versus batch endpoint\n\n"
                                    "| Requirement | Better fit |\n|---|---|\n"
                                    "| User or application needs immediate prediction | Online endpoint |\n"
                                    "| Large files or many records scored on a schedule | Batch endpoint |\n",
                                    encoding="utf-8")
    monkeypatch.setenv("STUDYASSIST_HOME", str(isolated_home))  # empty: no index yet
    monkeypatch.setenv("STUDYASSIST_CORPUS", str(corpus))
    get_settings.cache_clear()
    reported: list[tuple[int, int]] = []
    original = ingest.indexer.ingest

    def watched(settings=None, progress=None, **kwargs):
        return original(settings, progress=lambda done, total: (reported.append((done, total)),
                                                                progress(done, total)), **kwargs)

    monkeypatch.setattr(ingest.indexer, "ingest", watched)
    at = ask(open_app(), "When is a batch endpoint the right choice?")
    assert reported and reported[-1][0] == reported[-1][1]  # the bar was driven to the end
    assert ingest.indexer.index_status(get_settings()) == "ready"
    assert at.expander[0].label.startswith("[1] Online endpoint versus batch endpoint")


def test_an_unreachable_progress_database_is_one_sentence_not_a_traceback(monkeypatch):
    from studyassist.settings import get_settings

    monkeypatch.setenv("STUDYASSIST_DATABASE_URL", "postgresql+psycopg://bob:s3cret@127.0.0.1:1/progress")
    get_settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["profile"] = "ana"
    at.run()
    assert not at.exception, at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith("Cannot reach PostgreSQL at 127.0.0.1:1 (") and "s3cret" not in error
    assert error.endswith("check STUDYASSIST_DATABASE_URL and that the server is running.")
