"""CLI command that builds the index: `studyassist ingest`."""
from __future__ import annotations

import sys
from pathlib import Path

from ingest.indexer import ingest
from studyassist.cli.common import JSON_HELP, StderrProgress, add_command, print_json
from studyassist.settings import get_settings


def cmd_ingest(args) -> int:
    settings = get_settings()
    result = ingest(settings, corpus=Path(args.corpus) if args.corpus else None, rebuild=args.rebuild,
                    progress=StderrProgress("Embedding chunks"))
    for line in result.skipped + result.warnings:
        print(line, file=sys.stderr)
    if args.json:
        print_json(result.to_dict())
    else:
        print(f"Indexed {result.documents} document(s): {result.tables} tables, {result.rules} rules, "
              f"{result.chunks} chunks ({result.embedded} embedded, {result.deleted} removed) "
              f"in {result.seconds:.2f} s into {settings.index_dir}.")
    return 0


def register(sub) -> None:
    """Add ingest to the parser."""
    ing = add_command(sub, "ingest", "parse the corpus and build or update the index")
    ing.add_argument("--corpus", help="folder of review documents (default: the project's corpus/)")
    ing.add_argument("--rebuild", action="store_true", help="drop the index and embed everything again")
    ing.add_argument("--json", action="store_true", help=JSON_HELP)
    ing.set_defaults(func=cmd_ingest)
