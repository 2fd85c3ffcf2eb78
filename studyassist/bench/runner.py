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
from contextlib import ExitStack
from pathlib import Path

from ingest.indexer import corpus_files, ingest, load_knowledge
from studyassist.assistant import Assistant
from studyassist.bench.servers import chroma_server
from studyassist.bench.synthetic import synthetic_corpus
from studyassist.embedding.local import default_model_dir, get_embeddings
from studyassist.embedding.onnx_model import ensure_onnx
from studyassist.errors import StudyAssistError
from studyassist.pack import select_pack
from studyassist.settings import Settings, get_settings
from studyassist.solve.mcq import from_parts
from studyassist.study.practice import explain_item


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


def _gold(settings: Settings, name: str) -> list[dict]:
    """The gold questions of the exam pack serving ``settings``' corpus (the same questions at every scale)."""
    pack, _ = select_pack([p.name for p in corpus_files(settings.corpus)], settings)
    path = pack.gold_dir / f"{name}.jsonl" if pack.gold_dir else None
    if path is None or not path.exists():
        raise StudyAssistError(f"The benchmark asks the exam pack's gold questions, and {name}.jsonl is missing "
                               "(packs/<name>/gold/); run it on a review that has a pack with gold sets.")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def bench_core(settings: Settings, questions: list[str], mcqs: list[dict], quick: bool = False) -> dict:
    """Warm latencies in one process with everything loaded once."""
    t = time.perf_counter()
    assistant = Assistant(settings)
    load_s = time.perf_counter() - t
    emb, retriever = assistant.embeddings, assistant.retriever
    reps = 1 if quick else 3
    qs = questions * reps

    def ask_uncached(q: str) -> None:
        emb.clear_cache()  # every question is new to the embedder and the retriever, as in real use
        retriever.clear_cache()
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

    solver = assistant.solver
    parsed = [from_parts(m["question"], m["options"]) for m in mcqs]
    def solve_new(q) -> None:
        emb.clear_cache()  # a pasted question is new text
        retriever.clear_cache()
        solver.solve(q, chose="A")

    solve = _timed(solve_new, parsed * reps)

    gen = assistant.quiz
    gen.generate(3, seed=999)
    quiz = []
    for seed in range(10 if quick else 30):
        t = time.perf_counter()
        items = gen.generate(5, seed=seed)
        quiz.append((time.perf_counter() - t) * 1000 / max(1, len(items)))
    sample = gen.generate(20, seed=12345)
    # the floor of a verified item: its stem must be embedded once (the solver's check needs it)
    floor_stem = _timed(lambda it: emb.encode([assistant.clues.expand(it.stem)]), sample * reps)
    explain_item(assistant, sample[0], (sample[0].answer + 1) % 4)  # warm-up
    explain = _timed(lambda it: explain_item(assistant, it, (it.answer + 1) % 4), sample * reps)
    return {"load_s": round(load_s, 2), "floor_embed": percentiles(floor_embed),
            "floor_embed_search": percentiles([a + b for a, b in zip(floor_embed, floor_search)]),
            "floor_similarity_search": percentiles(floor_search), "ask": percentiles(ask),
            "ask_repeated": percentiles(ask_cached), "solve": percentiles(solve), "quiz_item": percentiles(quiz),
            "floor_stem_embed": percentiles(floor_stem),
            "explain": percentiles(explain)}


def bench_ingest(settings: Settings) -> dict:
    """Cold ingest (empty store), no-op re-ingest, and rows per second, into ``settings``' store."""
    # The one-off ONNX export (first ingest on a machine) is not part of a cold ingest, and the embedder must
    # be the one queries use; model load is measured separately (load_s).
    model = Path(settings.embedding_model) if settings.embedding_model else default_model_dir()
    t = time.perf_counter()
    exported = ensure_onnx(model)
    export_s = time.perf_counter() - t
    backend = get_embeddings().backend
    t = time.perf_counter()
    cold = ingest(settings)
    cold_s = time.perf_counter() - t
    t = time.perf_counter()
    noop = ingest(settings)
    noop_s = time.perf_counter() - t
    rows = _table_rows(settings)
    return {"cold_s": round(cold_s, 2), "noop_s": round(noop_s, 3), "rules": cold.rules, "table_rows": rows,
            "tables": cold.tables, "chunks": cold.chunks, "rows_per_s": round(rows / cold_s, 1),
            "noop_embedded": noop.embedded, "embedding_backend": backend,
            "onnx_export_s": round(export_s, 2) if exported else None}


def _table_rows(settings: Settings) -> int:
    return sum(len(t.rows) for t in load_knowledge(settings).tables)


def bench_cold_cli(settings: Settings, question: str) -> dict:
    """Wall time of a fresh `studyassist ask` process (index already built)."""
    env = dict(os.environ, STUDYASSIST_HOME=str(settings.home), STUDYASSIST_CORPUS=str(settings.corpus),
               STUDYASSIST_CACHE_DIR=str(settings.cache_path))
    if settings.chroma_host:
        env.update(STUDYASSIST_CHROMA_HOST=settings.chroma_host, STUDYASSIST_CHROMA_PORT=str(settings.chroma_port))
    times = []
    for _ in range(3):
        t = time.perf_counter()
        out = subprocess.run([_exe(), "ask", question, "--json"], capture_output=True, text=True, env=env,
                             timeout=600)
        times.append(time.perf_counter() - t)
        if out.returncode != 0:
            return {"error": out.stderr[-300:]}
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"cold_cli_s": round(min(times), 2), "cold_cli_median_s": round(statistics.median(times), 2),
            "cli_peak_rss_mb": round(peak, 1)}


def _exe() -> str:
    return shutil.which("studyassist") or str(Path(sys.executable).with_name("studyassist"))


def bench_one(scale: int, store: str, quick: bool = False) -> dict:
    """Everything for one corpus size and one store, in this process."""
    user = get_settings()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        corpus = user.corpus if scale == 1 else synthetic_corpus(work / "corpus", scale, source=user.corpus)
        questions = [g["question"] for g in _gold(user, "ask")][:40]
        mcqs = _gold(user, "solve")[:20]
        with ExitStack() as stack:
            host, port = user.chroma_host, user.chroma_port
            if store == "server" and not host:
                host, port = stack.enter_context(chroma_server(work / "server-data", work / "chroma-server.log"))
            settings = Settings(home=work / "home", corpus=corpus, cache_dir=user.cache_path,
                                chroma_host=host if store == "server" else None, chroma_port=port)
            result = {"scale": scale, "store": store, "ingest": bench_ingest(settings)}
            result.update(bench_core(settings, questions, mcqs, quick=quick))
            result["cold_cli"] = bench_cold_cli(settings, questions[0])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["peak_rss_mb"] = _peak_rss_mb()
    floor = result["floor_embed_search"]["p50"]
    result["ask_p50_over_floor"] = round(result["ask"]["p50"] / floor, 2) if floor else None
    return result


def run_bench(args) -> int:
    """One configuration in this process; several (``--scale 1,10,100 --store embedded,server``) each in a
    fresh child process, so that every row's memory and start-up are its own."""
    configs = [(n, s) for n in args.scale for s in args.store]
    if len(configs) == 1:
        results = [bench_one(*configs[0], quick=args.quick)]
    else:
        results = []
        for n, s in configs:
            cmd = [_exe(), "bench", "--scale", str(n), "--store", s, "--json"] + (["--quick"] if args.quick else [])
            print(f"bench: {n}× {s} ...", file=sys.stderr, flush=True)
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=3 * 3600)
            if out.returncode != 0:
                raise StudyAssistError(f"The {n}× {s} benchmark failed: {out.stderr.strip()[-400:]}")
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    if args.json:
        sys.stdout.write(json.dumps(results[0] if len(results) == 1 else {"runs": results,
                                                                          "growth": growth(results)}) + "\n")
    elif len(results) == 1:
        print(format_table(results[0]))
    else:
        print(format_matrix(results))
    return 0


def growth(results: list[dict]) -> list[dict]:
    """Per store: ask p95 and ingest time at each scale relative to the same store at the smallest scale."""
    out = []
    for store in dict.fromkeys(r["store"] for r in results):
        runs = sorted((r for r in results if r["store"] == store), key=lambda r: r["scale"])
        base = runs[0]
        for r in runs[1:]:
            out.append({"store": store, "scale": r["scale"], "over_scale": base["scale"],
                        "ask_p95_ratio": round(r["ask"]["p95"] / base["ask"]["p95"], 2),
                        "rows_ratio": round(r["ingest"]["table_rows"] / base["ingest"]["table_rows"], 1),
                        "ingest_time_ratio": round(r["ingest"]["cold_s"] / base["ingest"]["cold_s"], 1)})
    return out


def format_matrix(results: list[dict]) -> str:
    """One markdown table: a row per (scale, store)."""
    head = ("| corpus | store | rows | chunks | floor p50 | ask p50 | ask p95 | ask/floor | solve p50 | quiz item p50 "
            "| stem floor p50 | explain p50 | cold ingest | rows/s | no-op | cold CLI | peak RSS |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        ing, cli = r["ingest"], r["cold_cli"]
        lines.append(f"| {r['scale']}× | {r['store']} | {ing['table_rows']} | {ing['chunks']} "
                     f"| {r['floor_embed_search']['p50']} | {r['ask']['p50']} | {r['ask']['p95']} "
                     f"| {r['ask_p50_over_floor']}× | {r['solve']['p50']} | {r['quiz_item']['p50']} "
                     f"| {r['floor_stem_embed']['p50']} | {r['explain']['p50']} | {ing['cold_s']} s "
                     f"| {ing['rows_per_s']} | {ing['noop_s']} s "
                     f"| {cli.get('cold_cli_s')} s | {max(r['peak_rss_mb'], cli.get('cli_peak_rss_mb') or 0)} MB |")
    lines += ["", "Times in ms unless marked; floor = bare query embedding + similarity_search, same run."]
    for g in growth(results):
        lines.append(f"{g['store']}, {g['scale']}× over {g['over_scale']}×: ask p95 {g['ask_p95_ratio']}×, "
                     f"{g['rows_ratio']}× the rows ingested in {g['ingest_time_ratio']}× the time")
    return "\n".join(lines)


def format_table(r: dict) -> str:
    rows = [("bare query embedding (floor)", r["floor_embed"]),
            ("bare similarity_search", r["floor_similarity_search"]),
            ("embedding + search (floor)", r["floor_embed_search"]), ("ask, warm", r["ask"]),
            ("ask, repeated question", r["ask_repeated"]), ("solve, warm", r["solve"]),
            ("bare embedding of a quiz stem (floor)", r["floor_stem_embed"]),
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
