"""The layout keeps its promises: layers import downwards (import-linter), no import cycles, a clean linter,
and no exam knowledge in the engine (it lives in the exam pack)."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import grimp

from studyassist.settings import PROJECT_ROOT
from studyassist.text import normalize

from conftest import ai300_pack

ENGINE = ("studyassist", "ingest", "evals")
BIN = Path(sys.executable).parent


def engine_files() -> list[Path]:
    return sorted(f for d in ENGINE for f in (PROJECT_ROOT / d).rglob("*.py")) + [PROJECT_ROOT / "app.py"]


def test_the_import_contracts_hold():
    """Layers (interfaces > tools > assistant > study > quiz > solve > answer > ingest > knowledge > foundation),
    the tooling reached only from the CLI, and the two faces independent: see pyproject.toml."""
    run = subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert re.search(r"Contracts: [4-9]\d* kept, 0 broken", run.stdout), run.stdout[-500:]


def test_no_module_imports_itself_in_a_circle():
    graph = grimp.build_graph(*ENGINE, include_external_packages=False)
    modules = sorted(graph.modules)
    edges = {m: graph.find_modules_directly_imported_by(m) for m in modules}
    circles = []
    for m in modules:  # a module in a circle reaches itself through what it imports
        seen, todo = set(), list(edges[m])
        while todo:
            n = todo.pop()
            if n == m:
                circles.append(m)
                break
            if n not in seen:
                seen.add(n)
                todo.extend(edges[n])
    assert circles == []


def test_the_linter_is_clean():
    run = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", "."], cwd=PROJECT_ROOT, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout[-3000:]


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_the_engine_holds_no_exam_knowledge():
    """No code literal names a concept of the AI-300 pack (a label or alias of two words or more), an exam area, or
    the exam; and no comment or docstring mentions the exam's signature terms. The pack is where they live."""
    pack = ai300_pack()
    vocabulary = {normalize(t) for c in pack.concepts for t in (c.label, *c.aliases) if len(t.split()) >= 2}
    vocabulary |= {normalize(a.name) for a in pack.areas} | {"ai-300", "ai300", "review-map", "review map", "mlflow",
                                                              "canary", "kubernetes", "sweep job", "key vault"}
    patterns = [(v, re.compile(r"(?<![a-z0-9])" + re.escape(v) + r"(?![a-z0-9])")) for v in sorted(vocabulary)]
    found = [f"{path.relative_to(PROJECT_ROOT)}:{line}: {term!r} in {text[:60]!r}"
             for path in engine_files() for line, text in _string_literals(path)
             for term, pattern in patterns if pattern.search(normalize(text))]
    assert found == []
    signature = re.compile(r"ai-?300|canary|key vault|online endpoint", re.I)
    mentioned = [str(p.relative_to(PROJECT_ROOT)) for p in engine_files() if signature.search(p.read_text())]
    assert mentioned == []


def test_only_the_pack_loader_reads_exam_data():
    """Exam data files are TOML and JSON read by studyassist.pack; no other engine module parses TOML (the eval
    report reads its own thresholds file)."""
    readers = [str(p.relative_to(PROJECT_ROOT)) for p in engine_files() if re.search(r"^\s*import tomllib", p.read_text(), re.M)]
    assert sorted(readers) == ["evals/report.py", "studyassist/pack/loader.py"]


def test_small_modules_with_a_purpose():
    """No module over ~400 lines, and every package says what it is for in one line."""
    too_long = [f"{p.relative_to(PROJECT_ROOT)} ({n})" for p in engine_files()
                if (n := len(p.read_text().splitlines())) > 420]
    assert too_long == []
    packages = [p for d in ENGINE for p in (PROJECT_ROOT / d).rglob("__init__.py")]
    undocumented = [str(p.relative_to(PROJECT_ROOT)) for p in packages if ast.get_docstring(ast.parse(p.read_text())) is None]
    assert undocumented == []
