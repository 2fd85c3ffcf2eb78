"""CLI commands for the team's measurements and operations: `studyassist eval` (gold sets), `studyassist bench`
(speed) and `studyassist health` (can this installation serve)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studyassist.cli.common import JSON_HELP, add_command, load_assistant, print_json, whole
from studyassist.errors import InputError
from studyassist.pack import CALIBRATION
from studyassist.study.names import shown

COUNT = whole(1, "how many questions, 1 or more")


# The eval suite and the benchmark are imported when their command runs: they are maintainer tools, and
# importing them costs ~30 ms of every `studyassist` start (measured with -X importtime).
def cmd_health(args) -> int:
    from studyassist.health import checks  # noqa: PLC0415 -- see above

    found = checks()
    ok = all(c.ok for c in found)
    if args.json:
        print_json({"ok": ok, "checks": [c.contract() for c in found]})
    else:
        for c in found:
            print(f"{'ok    ' if c.ok else 'FAILED'} {c.name}: {c.detail}")
    return 0 if ok else 1


def cmd_eval(args) -> int:
    from evals.runner import run_eval, write_report  # noqa: PLC0415 -- see above

    try:
        report = run_eval(quiz_count=args.quiz_count, baseline=not args.no_baseline,
                          gold_dir=Path(args.gold) if args.gold else None, **({"sets": args.only} if args.only else {}))
    except ValueError as exc:  # an unknown --only set, or a gold file naming a rule the index lacks
        raise InputError(str(exc)) from None
    if args.report:
        write_report(report, Path(args.report))
    if args.json:
        sys.stdout.write(report.to_json() + "\n")
    else:
        print(report.table())
    failures = report.failures()
    for f in failures:
        print(f"below threshold: {f}", file=sys.stderr)
    return 1 if failures else 0


def cmd_calibrate(args) -> int:
    from evals.calibration import KINDS, calibrate, write  # noqa: PLC0415 -- see cmd_eval

    assistant = load_assistant()
    pack = assistant.pack
    if pack.folder is None or pack.gold_dir is None:
        raise InputError("Calibrating needs an exam pack with gold sets (packs/<name>/gold/); this review has none.")
    calibration = calibrate(assistant, pack.gold_dir, args.only or KINDS)
    path = write(calibration, pack.folder / CALIBRATION)
    if args.json:
        print_json({"path": str(path), "fitted_on": calibration.fitted_on, "measured": calibration.measured})
    else:
        print(f"Wrote {path} (fitted on {calibration.fitted_on}).")
        for key, value in sorted(calibration.measured.items()):
            print(f"  {key:40s} {value}")
    return 0


def cmd_bench(args) -> int:
    from studyassist.bench.runner import run_bench  # noqa: PLC0415 -- see cmd_eval

    if args.matrix:
        args.scale, args.store = [1, 10, 100], ["embedded", "server"]
    return run_bench(args)


def _int_list(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{shown(text)}' is not a comma-separated list of whole numbers") from None
    if not values or any(v < 1 or v > 1000 for v in values):
        raise argparse.ArgumentTypeError(f"'{shown(text)}': each scale must be between 1 and 1000")
    return list(dict.fromkeys(values))


def _store_list(text: str) -> list[str]:
    values = [v.strip().lower() for v in text.split(",") if v.strip()]
    if not values or set(values) - {"embedded", "server"}:
        raise argparse.ArgumentTypeError(f"'{shown(text)}': choose embedded, server or embedded,server")
    return list(dict.fromkeys(values))


def register(sub) -> None:
    """Add eval and bench to the parser."""
    v = add_command(sub, "eval", "run the eval suite against the gold sets, with the baseline beside it")
    v.add_argument("--json", action="store_true", help=JSON_HELP)
    v.add_argument("--report", help="write a markdown report here")
    v.add_argument("--quiz-count", type=COUNT, default=40, help="generated items to check (default 40)")
    v.add_argument("--no-baseline", action="store_true", help="skip the tutorial-RAG baseline")
    v.add_argument("--gold", metavar="DIR", help="gold sets and thresholds.toml to use (default: the exam pack's "
                   "gold/; a pack's gold/ with STUDYASSIST_PACK=none measures the engine without that pack)")
    v.add_argument("--only", nargs="+", metavar="SET", help="run only these gold sets: ask, solve, solve_dev, "
                   "solve_heldout, wrong_answers, ext_mcq_dev, ext_mcq_locked, learner_dev, learner_locked, "
                   "followup_dev, followup_locked, ask_rewordings, offtopic_dev, quiz (default: all)")
    v.set_defaults(func=cmd_eval)

    c = add_command(sub, "calibrate", "fit how sure answers are (the confidence models) on the exam pack's dev sets "
                    "and write its calibration.toml")
    c.add_argument("--json", action="store_true", help=JSON_HELP)
    c.add_argument("--only", nargs="+", choices=("ask", "solve"), help="refit only these models and keep the pack's "
                   "other one as it is (default: both)")
    c.set_defaults(func=cmd_calibrate)

    b = add_command(sub, "bench", "latency, throughput and memory benchmark")
    b.add_argument("--json", action="store_true", help=JSON_HELP)
    b.add_argument("--scale", type=_int_list, default=[1],
                   help="corpus size multiplier(s), comma-separated: 1 is the review, N adds synthetic tables "
                   "(1,10,100)")
    b.add_argument("--store", type=_store_list, default=["embedded"],
                   help="embedded, server (a `chroma run` the benchmark starts and stops), or both: embedded,server")
    b.add_argument("--matrix", action="store_const", dest="matrix", const=True, default=False,
                   help="the README table: --scale 1,10,100 --store embedded,server")
    b.add_argument("--quick", action="store_true", help="fewer repetitions")
    b.set_defaults(func=cmd_bench)

    h = add_command(sub, "health", "check that this installation can serve: progress database, index, vector "
                                   "store (embedded or server), corpus up to date; exit 1 if any check fails")
    h.add_argument("--json", action="store_true", help=JSON_HELP)
    h.set_defaults(func=cmd_health)
