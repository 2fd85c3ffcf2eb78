"""Exam packs: one typed loader validates every file, a broken file is one sentence naming the file and the key,
the engine picks the pack that serves the corpus, and a changed pack makes the index stale."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.indexer import index_status, ingest
from studyassist.pack import NO_PACK, PackError, candidate_pack, load_pack, select_pack
from studyassist.settings import Settings, get_settings

from conftest import CORPUS, PACK, ai300_pack, one_sentence


def copied_pack(tmp_path: Path) -> Path:
    """A private copy of the AI-300 pack in ``tmp_path/packs/ai300`` (the gold sets left out)."""
    folder = tmp_path / "packs" / "ai300"
    shutil.copytree(PACK, folder, ignore=shutil.ignore_patterns("gold"))
    return folder


def test_the_ai300_pack_serves_the_review_with_its_areas_concepts_clues_and_frames():
    pack = ai300_pack()
    assert pack.name == "ai300" and pack.short_title == "AI-300" and pack.serves("ai300-quick-review.txt")
    assert [a.id for a in pack.areas] == ["workspace", "assets", "training", "cicd", "deployment", "monitoring",
                                          "security", "responsible-ai"]
    assert abs(sum(a.weight for a in pack.areas) - 1.0) < 1e-9
    assert all(a.keywords for a in pack.areas)  # areas.toml's seed words joined their area
    assert len(pack.concepts) >= 30 and len(pack.clues) >= 30 and pack.anti_markers
    assert set(pack.scenarios.frames) == {"requirement", "symptom", "scenario", "definition", "capture", "gate",
                                          "comparison"}
    assert pack.overview.table == "High-yield AI-300 review map"
    assert pack.overrides_for("ai300-quick-review.txt")["tables"]
    assert (pack.gold_dir / "ask.jsonl").is_file() and (pack.gold_dir / "thresholds.toml").is_file()


def _replace(old: str, new: str):
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return change


BROKEN = [
    ("pack.toml", _replace("weight = 0.125", "weight = -1"),
     "pack.toml: areas[0].weight: Input should be greater than or equal to 0"),
    ("pack.toml", _replace('short_title = "AI-300"', ""), "pack.toml: short_title: Field required"),
    ("pack.toml", _replace('id = "assets"', 'id = "workspace"'), "area id 'workspace' appears twice"),
    ("pack.toml", _replace("[quiz]", "[quiz]\nshuffle = true"), "pack.toml: quiz.shuffle: Extra inputs are not permitted"),
    ("pack.toml", _replace('["Metrics", "Evaluation"]', '["Metrics"]'),
     "pack.toml: quiz.overlapping: each group of overlapping choices needs two or more"),
    ("clues.toml", _replace("pattern = '\\b(\\d+", "pattern = '(\\b(\\d+"),
     "clues.toml: clue[0].pattern: not a valid regular expression (missing ), unterminated subpattern"),
    ("concepts.toml", _replace('label = "Online endpoint"', 'label = ""'),
     "concepts.toml: concept[0].label: String should have at least 1 character"),
    ("concepts.toml", _replace("[[concept]]", "[[concept]"), "concepts.toml is not valid TOML"),
    ("areas.toml", lambda t: t + '"cooking" = ["pans"]\n', "areas.toml: seeds.cooking: no such area in pack.toml"),
    ("anti_patterns.toml", _replace("'latest'", "'latest('"), "anti_patterns.toml: markers[4]: not a valid regular"),
    ("scenarios.toml", _replace("Which option fits best?", "Which {option} fits best?"),
     "scenarios.toml: frames: requirement[0] uses ['option']; the placeholders are aspect, constraint"),
    ("scenarios.toml", _replace('"deployment" = [', '"cooking" = ['), "scenarios.toml: workloads.cooking: no such area"),
    ("overrides/ai300-quick-review.json", lambda t: t[:-3], "overrides/ai300-quick-review.json is not valid JSON"),
    ("options.toml", lambda t: t + '[[option]]\nchoice = "Traffic Rule"\ntext = "Traffic split"\n',
     "options.toml: option[38].choice repeats option[12]'s"),
    ("options.toml", _replace('text = "Traffic allocation"', 'text = ""'),
     "options.toml: option[12].text: String should have at least 1 character"),
    ("options.toml", lambda t: t + '[[mistake]]\nrule = "pipeline-jobs-trap#1"\ntext = "Keep the notebook"\n',
     "options.toml: mistake[22].rule repeats mistake[18]'s"),
    ("options.toml", _replace('rule = "sweep-jobs-trap#1"', 'rule = ""'),
     "options.toml: mistake[21].rule: String should have at least 1 character"),
    # a wrong answer may be written for several needs (each with its own why), but once per need
    ("options.toml", lambda t: t + '[[wrong]]\nrule = "workspace-registry-and-asset-versioning#3"\ntext = "Use a '
     'conda file re-resolved at every build"\nwhy = "y"\n', "options.toml: wrong[143].text repeats wrong["),
    ("options.toml", lambda t: t + '[[wrong]]\nrule = "x#1"\ntext = "Do a thing"\n',
     "options.toml: wrong[143].why: Field required"),
]


@pytest.mark.parametrize("file, change, message", BROKEN, ids=[f"{f}:{m[:30]}" for f, _, m in BROKEN])
def test_a_broken_pack_file_is_one_sentence_naming_the_file_and_the_key(tmp_path, file, change, message):
    folder = copied_pack(tmp_path)
    path = folder / file
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    text = str(caught.value)
    assert message in text and text.startswith("Exam pack file ai300/") and one_sentence(text, message), text


def test_the_pack_for_a_corpus_is_the_one_that_serves_its_documents(tmp_path):
    folder = copied_pack(tmp_path)
    other = tmp_path / "packs" / "zz-other"
    other.mkdir()
    (other / "pack.toml").write_text('name = "zz-other"\ntitle = "Other exam"\nshort_title = "OE"\n'
                                     'documents = ["other-notes.md"]\n')
    settings = Settings(home=tmp_path / "home", packs=tmp_path / "packs")
    assert candidate_pack(["ai300-quick-review.txt"], settings) == folder
    assert candidate_pack(["other-notes.md", "ai300-quick-review.txt", "x.md"], settings) == folder  # a tie: by name
    assert candidate_pack(["other-notes.md"], settings) == other
    assert candidate_pack(["unrelated.md"], settings) is None
    assert select_pack(["ai300-quick-review.txt"], settings.model_copy(update={"pack": "none"})) == (NO_PACK, [])
    pack, warnings = select_pack(["x.md"], settings.model_copy(update={"pack": "nope"}))
    assert pack is NO_PACK and "no pack.toml" in warnings[0] and one_sentence(warnings[0])
    (folder / "clues.toml").write_text("[[clue]]\npattern = '('\nterms = 'x'\n")
    pack, warnings = select_pack(["ai300-quick-review.txt"], settings)
    assert pack is NO_PACK and "clues.toml: clue[0].pattern" in warnings[0]


@pytest.fixture
def own_packs(tmp_path, monkeypatch, index_home) -> Path:
    """The session index, re-pointed at a private copy of the packs (same files, so it stays ready)."""
    folder = copied_pack(tmp_path)
    monkeypatch.setenv("STUDYASSIST_PACKS", str(folder.parent))
    get_settings.cache_clear()
    ingest(get_settings())  # the copy lacks gold/, which is not part of the index: nothing is embedded again
    return folder


@pytest.mark.slow
def test_a_changed_pack_makes_the_index_stale_and_a_broken_one_is_reported_not_fatal(own_packs):
    from studyassist.assistant import Assistant

    s = get_settings()
    assert index_status(s) == "ready"
    clues = own_packs / "clues.toml"
    clues.write_text(clues.read_text(encoding="utf-8").replace("autoscaling autoscale", "autoscaling autoscale scale"),
                     encoding="utf-8")
    assert index_status(s) == "stale"  # the pack decides the index: a changed file rebuilds it
    assert ingest(s).embedded == 0 and index_status(s) == "ready"
    clues.write_text("[[clue]]\npattern = '(unclosed'\nterms = 'x'\n", encoding="utf-8")
    result = ingest(s)
    assert any("clues.toml: clue[0].pattern" in w for w in result.warnings)
    assistant = Assistant(s)  # the engine runs without the pack and says why, once
    assert not assistant.pack.present and assistant.kb.pack is None
    assert [w for w in assistant.warnings if "clues.toml" in w] == [result.warnings[0]]
    assert assistant.ask("When is a batch endpoint the right choice?").citations
    assert index_status(s) == "ready"  # the same broken pack does not rebuild the index on every start


def test_the_review_with_its_pack_gets_the_packs_areas_and_overview(shared_index):
    from ingest.indexer import load_knowledge

    kb = load_knowledge()
    assert kb.pack == "ai300" and [a.id for a in kb.areas] == [a.id for a in ai300_pack().areas]
    overview = [t for t in kb.tables if t.overview]
    assert [t.title for t in overview] == ["High-yield AI-300 review map"]
    assert {r.overview for r in kb.rules_of(overview[0].id)} == {True}
    assert sum(r.overview for r in kb.rules) == len(overview[0].rows)
    assert CORPUS.is_dir()


def _documented_clues() -> list[tuple[str, list[str], list[str], int]]:
    """(pattern's clue index, "Should match" examples, "Must not match" examples) of every clue in clues.toml whose
    comment block documents them."""
    out, should, must_not, reading = [], [], [], None
    index = -1
    for line in (PACK / "clues.toml").read_text(encoding="utf-8").splitlines():
        if line.startswith("[[clue]]"):
            index += 1
            if should or must_not:
                out.append((index, should, must_not))
            should, must_not, reading = [], [], None
        elif line.startswith("# Should match:"):
            reading = should
        elif line.startswith("# Must not match:"):
            must_not.append(line.split(":", 1)[1].strip())
            reading = None
        elif reading is not None and line.startswith("#   - "):
            reading.append(line[6:].strip())
        elif not line.startswith("#"):
            reading = None
    return out


def test_every_documented_clue_fires_on_its_examples_and_not_on_its_counter_example():
    from studyassist.knowledge.clues import Clues

    specs = ai300_pack().clues
    documented = _documented_clues()
    assert len(documented) >= 30
    for index, should, must_not in documented:
        clue = Clues([specs[index]])
        for text in should:
            assert clue.matched(text), (specs[index].terms, text)
        for text in must_not:
            assert not clue.matched(text), (specs[index].terms, text)
