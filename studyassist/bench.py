"""`studyassist bench`: latency of ask / solve / quiz / explain beside bare-embedding and bare-search floors,
ingest times, cold CLI start and peak memory, on the real review or a synthetic N× corpus."""
from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .settings import PROJECT_ROOT, Settings

GOLD = PROJECT_ROOT / "evals" / "gold"


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50 / p95 / p99 (nearest-rank) and the count, in milliseconds."""
    xs = sorted(samples_ms)
    if not xs:
        return {"n": 0}

    def rank(p: float) -> float:
        return xs[min(len(xs) - 1, max(0, int(round(p / 100 * len(xs) + 0.5)) - 1))]
    return {"n": len(xs), "p50": round(statistics.median(xs), 2), "p95": round(rank(95), 2), "p99": round(rank(99), 2)}


def _timed(fn, items) -> list[float]:
    out = []
    for x in items:
        t = time.perf_counter()
        fn(x)
        out.append((time.perf_counter() - t) * 1000)
    return out


def _gold(name: str) -> list[dict]:
    path = GOLD / f"{name}.jsonl"
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()] if path.exists() else []


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def bench_core(settings: Settings, questions: list[str], mcqs: list[dict], quick: bool = False) -> dict:
    """Warm latencies in one process with everything loaded once."""
    from .assistant import Assistant
    from .mcq import from_parts
    from .practice import explain_item
    from .quiz import QuizGenerator
    from .solver import Solver

    t = time.perf_counter()
    assistant = Assistant(settings)
    load_s = time.perf_counter() - t
    emb, retriever = assistant.embeddings, assistant.retriever
    reps = 1 if quick else 3
    qs = questions * reps

    def ask_uncached(q: str) -> None:
        emb.clear_cache()  # every question is new to the embedder, as in real use
        assistant.ask(q)

    for q in questions[:5]:  # warm-up
        assistant.ask(q)
    vectors = [emb.encode([q])[0] for q in questions]
    floor_embed = _timed(lambda q: emb.encode([q]), qs)
    floor_search = _timed(lambda v: retriever.dense(v, 8), vectors * reps)
    ask = _timed(ask_uncached, qs)
    for q in questions:
        assistant.ask(q)
    ask_cached = _timed(assistant.ask, questions)  # repeated questions: the embedding cache answers

    solver = Solver(assistant)
    parsed = [from_parts(m["question"], m["options"]) for m in mcqs]
    solve = _timed(lambda q: solver.solve(q, chose="A"), parsed * reps)

    gen = QuizGenerator(assistant, solver)
    gen.generate(3, seed=999)
    quiz = []
    for seed in range(10 if quick else 30):
        t = time.perf_counter()
        items = gen.generate(5, seed=seed)
        quiz.append((time.perf_counter() - t) * 1000 / max(1, len(items)))
    sample = gen.generate(20, seed=12345)
    explain = _timed(lambda it: explain_item(assistant, it, (it.answer + 1) % 4), sample * reps)
    return {"load_s": round(load_s, 2), "floor_embed": percentiles(floor_embed),
            "floor_embed_search": percentiles([a + b for a, b in zip(floor_embed, floor_search)]),
            "floor_similarity_search": percentiles(floor_search), "ask": percentiles(ask),
            "ask_repeated": percentiles(ask_cached), "solve": percentiles(solve), "quiz_item": percentiles(quiz),
            "explain": percentiles(explain)}


def bench_ingest(corpus: Path) -> dict:
    """Cold ingest (empty store), no-op re-ingest, and rows per second."""
    from ingest.indexer import ingest

    from .embeddings import get_embeddings

    get_embeddings()  # model load is measured separately (load_s)
    home = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        s = Settings(home=home, corpus=corpus)
        t = time.perf_counter()
        cold = ingest(s)
        cold_s = time.perf_counter() - t
        t = time.perf_counter()
        noop = ingest(s)
        noop_s = time.perf_counter() - t
        return {"cold_s": round(cold_s, 2), "noop_s": round(noop_s, 3), "rules": cold.rules, "chunks": cold.chunks,
                "rows_per_s": round(cold.rules / cold_s, 1), "noop_embedded": noop.embedded}
    finally:
        shutil.rmtree(home, ignore_errors=True)


def bench_cold_cli(settings: Settings, question: str) -> dict:
    """Wall time of a fresh `studyassist ask` process (index already built)."""
    env = dict(os.environ, STUDYASSIST_HOME=str(settings.home), STUDYASSIST_CORPUS=str(settings.corpus))
    exe = shutil.which("studyassist") or str(Path(sys.executable).with_name("studyassist"))
    times = []
    for _ in range(3):
        t = time.perf_counter()
        out = subprocess.run([exe, "ask", question, "--json"], capture_output=True, text=True, env=env, timeout=300)
        times.append(time.perf_counter() - t)
        if out.returncode != 0:
            return {"error": out.stderr[-300:]}
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"cold_cli_s": round(min(times), 2), "cold_cli_median_s": round(statistics.median(times), 2),
            "cli_peak_rss_mb": round(peak, 1)}


def run_bench(args) -> int:
    from ingest.indexer import ingest

    from .settings import get_settings
    from .synthetic import synthetic_corpus

    scale = max(1, args.scale)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        if scale == 1:
            corpus = get_settings().corpus
            questions = [g["question"] for g in _gold("ask")][:40]
            mcqs = _gold("solve")[:20]
        else:
            corpus, questions, mcqs = synthetic_corpus(work / "corpus", scale)
        settings = Settings(home=work / "home", corpus=corpus, chroma_host=get_settings().chroma_host,
                            chroma_port=get_settings().chroma_port)
        result = {"scale": scale, "store": "server" if settings.chroma_host else "embedded",
                  "ingest": bench_ingest(corpus) if not settings.chroma_host else {}}
        ingest(settings)
        result.update(bench_core(settings, questions, mcqs, quick=args.quick))
        result["cold_cli"] = bench_cold_cli(settings, questions[0])
        result["peak_rss_mb"] = _peak_rss_mb()
        floor = result["floor_embed_search"]["p50"]
        result["ask_p50_over_floor"] = round(result["ask"]["p50"] / floor, 2) if floor else None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        sys.stdout.write(json.dumps(result) + "\n")
    else:
        print(format_table(result))
    return 0


def format_table(r: dict) -> str:
    rows = [("bare query embedding (floor)", r["floor_embed"]), ("bare similarity_search", r["floor_similarity_search"]),
            ("embedding + search (floor)", r["floor_embed_search"]), ("ask, warm", r["ask"]),
            ("ask, repeated question", r["ask_repeated"]), ("solve, warm", r["solve"]),
            ("quiz item (verified), warm", r["quiz_item"]), ("explanation, warm", r["explain"])]
    lines = [f"scale {r['scale']}× ({r['store']} Chroma)", "", "| measure | n | p50 ms | p95 ms | p99 ms |",
             "|---|---|---|---|---|"]
    lines += [f"| {name} | {v.get('n')} | {v.get('p50')} | {v.get('p95')} | {v.get('p99')} |" for name, v in rows]
    ing = r.get("ingest") or {}
    lines += ["", f"ask p50 / floor p50: {r['ask_p50_over_floor']}×",
              f"model+index load in process: {r['load_s']} s; peak RSS {r['peak_rss_mb']} MB",
              f"cold CLI start to first answer: {r['cold_cli'].get('cold_cli_s')} s "
              f"(child peak RSS {r['cold_cli'].get('cli_peak_rss_mb')} MB)"]
    if ing:
        lines.append(f"ingest: cold {ing['cold_s']} s ({ing['rows_per_s']} rules/s, {ing['chunks']} chunks), "
                     f"no-op re-ingest {ing['noop_s']} s ({ing['noop_embedded']} embedded)")
    return "\n".join(lines)
