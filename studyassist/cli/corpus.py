"""CLI commands about the corpus: `studyassist ingest` builds the index; `studyassist pack init DOC` writes a starter
exam pack for a new review document."""
from __future__ import annotations

import sys
from pathlib import Path

from ingest.indexer import ingest
from ingest.starter import init_pack
from studyassist.cli.common import JSON_HELP, StderrProgress, add_command, is_file, plural, print_json
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
        print(f"Indexed {plural(result.documents, 'document')}: {plural(result.tables, 'table')}, "
              f"{plural(result.rules, 'rule')}, {plural(result.chunks, 'chunk')} ({result.embedded} embedded, "
              f"{result.deleted} removed) "
              f"in {result.seconds:.2f} s into {settings.index_dir}.")
    return 0


def cmd_pack_init(args) -> int:
    settings = get_settings()
    document = Path(args.document)
    if not is_file(document):  # a bare name is a document of the corpus
        document = settings.corpus / args.document
    report = init_pack(document, settings.packs, args.name)
    name = report.folder.name
    if args.json:
        print_json({"folder": str(report.folder), "areas": report.areas, "concepts": report.concepts,
                    "tables_to_check": report.to_check, "warnings": report.warnings})
        return 0
    checks = len(report.to_check)
    print(f"Wrote a starter pack to {report.folder}: {plural(report.areas, 'area')}, "
          f"{plural(report.concepts, 'concept')}"
          + (f"; check how {plural(checks, 'table')} {'was' if checks == 1 else 'were'} read in "
             f"overrides/{document.stem}.json" if checks else "") + ".")
    print(f"Correct its files, then run `studyassist ingest`; the pack serves {document.name} (with documents "
          f"of another exam in the same corpus, choose it with STUDYASSIST_PACK={name}).")
    return 0


def register(sub) -> None:
    """Add ingest and pack to the parser."""
    ing = add_command(sub, "ingest", "parse the corpus and build or update the index")
    ing.add_argument("--corpus", help="folder of review documents (default: the project's corpus/)")
    ing.add_argument("--rebuild", action="store_true", help="drop the index and embed everything again")
    ing.add_argument("--json", action="store_true", help=JSON_HELP)
    ing.set_defaults(func=cmd_ingest)

    pack = add_command(sub, "pack", "exam packs: `pack init DOC` writes a starter pack for a new review document")
    actions = pack.add_subparsers(dest="action", required=True, metavar="init", help="init: a starter pack for DOC")
    init = actions.add_parser("init", help="write a starter pack (areas, concepts, tables to check) for DOC",
                              description="Write a starter exam pack for a review document, for you to correct.")
    init.add_argument("document", metavar="DOC", help="the document: a path, or a file name in the corpus")
    init.add_argument("--name", help="the pack's folder name under packs/ (default: from the file name)")
    init.add_argument("--json", action="store_true", help=JSON_HELP)
    init.set_defaults(func=cmd_pack_init)
