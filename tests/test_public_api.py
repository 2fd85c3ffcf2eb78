"""The public Python API: every exported name resolves, the README's example runs as written, and the README's
references to files of the repository point at files that exist."""
from __future__ import annotations

import re

import studyassist
from studyassist.settings import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_every_exported_name_resolves_without_loading_the_engine_first():
    assert studyassist.__all__ == sorted(studyassist.__all__)
    for name in studyassist.__all__:
        assert getattr(studyassist, name).__name__ == name
    assert issubclass(studyassist.InputError, studyassist.StudyAssistError)
    assert issubclass(studyassist.PackError, studyassist.StudyAssistError)


def test_the_readme_example_runs(shared_index, capsys):
    section = README.split("## Python API", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    exec(compile(code, "README.md (Python API)", "exec"), {})
    printed = capsys.readouterr().out
    # when a batch endpoint is the wrong choice, the review's rival is the decision, with its cited rows
    assert printed.startswith("Online endpoint ['online-endpoint-versus-batch-endpoint#")
    # best B, how sure, and why not A (a verdict only when confident)
    assert re.search(r"\nB (confident|likely|unsure) .*\*\*A\) Managed online endpoint\*\*", printed, re.S)
    assert len(re.findall(r"\?\s\['[^\]]+'\]", printed)) == 3  # three quiz stems with their options
    assert printed.rstrip().endswith("type a question about the review material.")  # the one-sentence error


def test_the_readme_points_only_at_files_that_exist():
    links = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", README)
    paths = re.findall(r"`((?:docs|packs|studyassist|ingest|evals|tests|prompts|corpus)/[^`*<>\s]*)`", README)
    missing = [p for p in links + paths if not (PROJECT_ROOT / p.split("::")[0].rstrip("/")).exists()]
    assert links and paths and missing == []
    assert "../shared" not in README
