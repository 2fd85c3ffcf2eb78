"""Parser and knowledge-base tests on the real review and on small documents written here."""
from __future__ import annotations

import pytest

from ingest.build import BuildReport, Document, build_knowledge
from ingest.parser import BulletList, Heading, Paragraph, TableBlock, TrapLine, parse_blocks

from conftest import REVIEW, ai300_pack


def review_kb():
    return build_knowledge([Document(REVIEW.name, REVIEW.read_text(encoding="utf-8"))], pack=ai300_pack())


def test_review_has_17_tables_and_122_row_rules():
    kb = review_kb()
    assert len(kb.tables) == 17
    rows = kb.table_rules
    assert len(rows) == 122
    assert sum(len(t.rows) for t in kb.tables) == 122
    for r in kb.rules:
        assert r.id and r.area and r.choice, r
        assert r.area in {a.id for a in kb.areas}
    for r in rows:
        assert r.situation, r.id
    assert len(kb.rules) > 122  # list items and traps on top


def test_table_titles_are_headings_not_intro_sentences():
    kb = review_kb()
    t = next(t for t in kb.tables if t.columns == ("Concept", "Meaning"))
    assert t.title == "Endpoint versus deployment"
    assert t.caption.startswith("A frequent trap is confusing")
    titles = {t.title for t in kb.tables}
    assert not any(title.endswith(".") for title in titles)


def test_orientation_detected_from_headers():
    kb = review_kb()
    by_title = {t.title: t for t in kb.tables}
    online = by_title["Online endpoint versus batch endpoint"]
    assert online.orientation == "clue_choice" and online.columns[online.choice_column] == "Better fit"
    compute = by_title["Compute selection"]
    assert compute.orientation == "choice_when" and compute.columns[compute.choice_column] == "Compute option"
    cicd = by_title["CI/CD versus Azure ML pipeline"]
    assert cicd.orientation == "comparison"
    review_map = by_title["High-yield AI-300 review map"]
    assert review_map.orientation_source == "override"


def test_rules_carry_situation_choice_area_and_concepts():
    kb = review_kb()
    batch = kb.rule("online-endpoint-versus-batch-endpoint#2")
    assert batch.choice == "Batch endpoint" and "schedule" in batch.situation
    assert batch.area == "deployment"
    assert "batch-endpoint" in batch.choice_concepts
    cicd = kb.rule("ci-cd-versus-azure-ml-pipeline#3")
    assert [s.label for s in cicd.sides] == ["CI/CD pipeline", "Azure ML pipeline"]
    assert kb.rule("identity-and-access#1").area == "security"


def test_aliases_join_blue_green_across_tables():
    kb = review_kb()
    bg = kb.concept("blue-green-deployment")
    assert {"blue/green", "blue/green deployment"} <= {a.lower() for a in bg.aliases}
    assert "deployment-patterns-to-recognize#3" in bg.choice_of
    assert "endpoint-versus-deployment#6" in bg.choice_of


def test_lists_traps_flowchart_and_promotional_sections():
    kb = review_kb()
    mistakes = [r for r in kb.rules if r.list_kind == "mistake"]
    assert len(mistakes) == 15 and all(r.anti_pattern for r in mistakes)
    assert mistakes[0].choice == "Confusing model registration with deployment"
    security_traps = [r for r in kb.rules if r.list_kind == "trap" and r.kind == "list_item"]
    assert len(security_traps) == 6
    transitions = [r for r in kb.rules if r.list_kind == "transition"]
    assert [r.choice for r in transitions][:2] == ["Source to CI", "CI to training"]
    traps = [r for r in kb.rules if r.kind == "trap"]
    assert len(traps) == 6
    assert any("notebook" in t.situation for t in traps)
    assert ("Retrain or rollback needed?", "Shift traffic to prior deployment", "Rollback") in {
        (e.source, e.target, e.label) for e in kb.flow}
    promo = [s for s in kb.sections if s.promotional]
    assert {s.title for s in promo} >= {"Continue in IT Mastery"}
    assert promo[0].paragraphs  # kept as text
    promo_titles = {s.path_text for s in promo}
    assert not any(r.section in promo_titles for r in kb.rules)


def test_section_paths_from_bare_headings():
    kb = review_kb()
    sec = next(s for s in kb.sections if s.title == "Compute selection")
    assert sec.path == ("Core MLOps decision rules", "Compute selection")


def test_markdown_headings_ragged_tables_and_no_tables():
    md = """# Serving notes

Intro paragraph that is long enough
to span two lines.

## Pick a store

This table has a caption.

| Need | Prefer | Why |
|---|---|---|
| Many small reads | Cache | fast |
| Cold archive | Blob storage |
| Odd row | A | b | extra |

- Common mistake: using the cache as the system of record.
Trap: caches expire.
"""
    report = BuildReport()
    kb = build_knowledge([Document("notes.md", md), Document("plain.txt", "just a sentence with no headings.\n")],
                         report=report)
    assert [t.title for t in kb.tables] == ["Pick a store"]
    table = kb.tables[0]
    assert table.caption == "This table has a caption."
    assert table.orientation == "clue_choice"
    assert len(table.rows) == 3 and table.rows[1] == ("Cold archive", "Blob storage", "")
    assert table.rows[2][2] == "b | extra"
    assert any("notes.md" in w and "row 2" in w for w in report.warnings)
    sec = next(s for s in kb.sections if s.title == "Pick a store")
    assert sec.path == ("Pick a store",)  # the '#' title is the document title
    assert any(r.kind == "trap" for r in kb.rules)
    assert any(s.source_file == "plain.txt" for s in kb.sections)


def test_a_pipe_inside_code_in_a_cell_is_the_cells_text_not_a_border():
    md = ("# Shell\n\n## Redirection\n\n| Operator | Description |\n|---|---|\n| `>>` | Redirect stdout (append) |\n"
          "| `|` | Pipe output to another command |\n| `||` | OR operator |\n| `setsebool -P b on|off` | Persist |\n"
          "| a \\| b | escaped |\n")
    [table] = [b for b in parse_blocks(md) if isinstance(b, TableBlock)]
    assert table.rows == [[">>", "Redirect stdout (append)"], ["|", "Pipe output to another command"],
                          ["||", "OR operator"], ["setsebool -P b on|off", "Persist"], ["a | b", "escaped"]]
    assert not table.problems


def test_bare_heading_detection_on_plain_text():
    blocks = parse_blocks("Title line\nSome text here.\nNext heading\n| A | B |\n|---|---|\n| 1 | 2 |\n")
    assert [b.title for b in blocks if isinstance(b, Heading)] == ["Title line", "Next heading"]
    assert isinstance(blocks[-1], TableBlock)


def test_a_hedged_choice_merges_into_its_pack_concept():
    from ingest.concepts import ConceptBuilder

    builder = ConceptBuilder(ai300_pack().concepts)
    # "where available" is a hedge, not part of the name: the cell is the pack's Serverless compute
    assert builder.add_choice("Serverless compute, where available", "compute-selection") == "serverless-compute"
    assert builder.add_choice("Use managed online endpoint", "serving") == "online-endpoint"  # verb stripped
    assert builder.add_choice("Something new, where required", "x") == "something-new-where-required"


def test_a_choice_cell_of_its_own_still_chooses_the_pack_concept_it_names():
    rules = {r.id: r for r in review_kb().rules}
    # "Assign appropriate managed identity permissions" is a concept of its own, and still a managed-identity row:
    # the identity table's other rows choose security concepts
    assert {"appropriate-managed-identity-permissions", "managed-identity"} <= set(
        rules["identity-and-access#3"].choice_concepts)
    assert "private-networking" in rules["identity-and-access#4"].choice_concepts
    # "Batch endpoint compute" is compute for batch endpoints, in a table of compute choices: not a batch endpoint
    assert "batch-endpoint" not in rules["compute-selection#6"].choice_concepts
    # and a name found almost everywhere ("deployment") never joins a longer choice name
    assert "deployment" not in rules["responsible-ai-review-points#7"].choice_concepts


def test_short_delimiter_rows_and_one_line_code():
    """"| -- | -- |" is a table's delimiter row, not a row of dashes; "``` CHECK(x); ```" is code on one line, not a
    fence that swallows the document after it (both seen in a public cheat sheet)."""
    text = ("# Notes\n\n| File Format | Binary |\n| -- | -- |\n| Colfile | Yes |\n| Flatrow | No |\n\n## Skew\n"
            "``` CHECK_SPACE('dbo.Sales'); ```\nRun it in the right pool.\n\n## Indexing\n"
            "Staging tables benefit from heaps.\n")
    blocks = parse_blocks(text)
    table = next(b for b in blocks if isinstance(b, TableBlock))
    assert table.rows == [["Colfile", "Yes"], ["Flatrow", "No"]]
    assert [b.title for b in blocks if isinstance(b, Heading)] == ["Notes", "Skew", "Indexing"]
    kb = build_knowledge([Document("notes.md", text)], report=BuildReport())
    assert sorted(v for r in kb.table_rules for v in r.cells.values()) == ["Colfile", "Flatrow", "No", "Yes"]


def test_only_a_bare_fence_closes_a_code_block():
    """Linux+ notes: a block closed by two backticks ("``") was closed by the next "```shell" instead, which turned every
    code block after it into text and every list between them into code (46 of its rules were left, none about
    parted or the sticky bit). As in CommonMark, only a run of at least as many backticks, with nothing after it,
    closes a fence."""
    text = ("# Files\n\n## Archives\n\n- `tar` – Pack files into one archive\n  ```shell\n  tar -cvf a.tar dir\n  ``\n"
            "- `gzip` – Compress a file\n  ```shell\n  gzip file\n  ```\n\n## Partitions\n\n"
            "- `parted` – Partition GPT and MBR disks\n  ````bash\n  parted /dev/sda print\n  ```\n  ````\n"
            "- `mkfs` – Make a file system\n")
    kb = build_knowledge([Document("linux.md", text)], report=BuildReport())
    assert {"parted", "mkfs"} <= {r.choice for r in kb.rules}, [r.text for r in kb.rules]
    headings = [b.title for b in parse_blocks(text) if isinstance(b, Heading)]
    assert headings == ["Files", "Archives", "Partitions"]  # (not inside a code block)


def test_a_fence_opened_as_a_list_item_is_code_to_its_closing_fence():
    """Vault notes (trial 20): "  - ```" opens code as a list's item, closed by "    ```" under it. The opener was read
    as text, so the closer opened code that ran to the next fence; from there code and text were swapped and the
    policies and tokens sections (18 free questions' answers) were never read."""
    text = ("# Vault\n\n## AppRole\n\n- Used for machines and apps\n- Create a named role:\n\n  - ```\n"
            "    vault write auth/approle/role/web \\\n        token_ttl=1h\n    ```\n\n- Log in with the role id\n\n"
            "## Policies\n\n- The root policy can do anything\n- The default policy is attached to every token\n"
            "1. ```hcl\n   path \"secret/*\" { capabilities = [\"read\"] }\n   ```\n\n## Tokens\n\n"
            "- A batch token cannot be renewed\n- ``` vault token lookup ``` shows a token\n")
    blocks = parse_blocks(text)
    assert [b.title for b in blocks if isinstance(b, Heading)] == ["Vault", "AppRole", "Policies", "Tokens"]
    code = [b.text for b in blocks if isinstance(b, Paragraph) and not b.prose]
    assert any("token_ttl=1h" in c for c in code) and any("capabilities" in c for c in code), code
    items = [i for b in blocks if isinstance(b, BulletList) for i in b.items]
    for said in ("Log in with the role id", "The default policy is attached to every token",
                 "A batch token cannot be renewed", "vault token lookup"):  # (code on one line: text)
        assert any(said in i for i in items), (said, items)


def test_points_nested_under_an_item_past_a_blank_line_stay_under_it():
    """Vault notes (trial 20): "2. Token Type: **Batch**", a blank line, then its points indented under it. The blank
    line ended the list, so "Has no child tokens" was a point of nothing and both "Token Type" items said only their
    names; as in CommonMark, deeper items after a blank line go on with the item above, and so does the next item of
    the list's own level after them. A blank line between two items of one level still ends a list."""
    text = ("# Tokens\n\n## Token Types\n\n1. Token Type: **Service**\n\n   - Default type of token\n"
            "   - Can create child tokens\n\n2. Token Type: **Batch**\n\n   - Lightweight\n   - Has no child tokens\n\n"
            "## Engines\n\n- Transit\n\n- Identity\n")
    lists = [b for b in parse_blocks(text) if isinstance(b, BulletList)]
    assert lists[0].items == ["Token Type: Service", "Default type of token", "Can create child tokens",
                              "Token Type: Batch", "Lightweight", "Has no child tokens"], lists[0].items
    assert lists[0].under == ["", "Service (Token Type)", "Service (Token Type)", "", "Batch (Token Type)",
                              "Batch (Token Type)"], lists[0].under  # (the label they share is a kind: "Token Type")
    assert [b.items for b in lists[1:]] == [["Transit"], ["Identity"]]


def test_a_plain_quote_is_read_as_its_content():
    """CKA notes: "> - Always SSH to the correct cluster …" lines under "Exam Day Reminders" had become one paragraph
    with the quote marks in it ("> - Always SSH … > - Use kubectl explain …"); a quote's lines are read as if they
    were not quoted (a list stays a list, nested quotes too), while a "> [!WARNING]" alert is still a trap."""
    text = ("# Notes\n\n## Reminders\n\n> - Always SSH to the correct cluster\n> - Use kubectl explain for fields\n>\n"
            "> > 💡 When kubectl is broken, use crictl on the node.\n\n> [!WARNING]\n> Never edit etcd by hand\n")
    blocks = parse_blocks(text)
    assert [b.items for b in blocks if isinstance(b, BulletList)] == [
        ["Always SSH to the correct cluster", "Use kubectl explain for fields"]]
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["When kubectl is broken, use crictl on the node."]
    assert [b.text for b in blocks if isinstance(b, TrapLine)] == ["Never edit etcd by hand"]


@pytest.mark.parametrize("text, shown", [
    # a learner's trial of Terraform notes (stop 58): code inside bold kept its asterisks as bold ("****Splat …****")
    ("**Splat Expressions (`*`)**", "Splat Expressions (*)"),
    ("`*.tfvars` files (alphabetical order)", "*.tfvars files (alphabetical order)"),
    ("***x*** and **_y_** and `**z**`", "x and y and **z**"),  # code is literal
    ("a \ue0003\ue001 **b**", "a 3\ue001 b"),  # the marks that set code aside, in the text itself, are no code
])
def test_emphasis_goes_around_code_that_holds_an_asterisk(text, shown):
    from ingest.parser import plain

    assert plain(text) == shown


def test_a_colon_inside_code_or_brackets_names_nothing():
    from ingest.lists import named_item

    assert named_item("Use a `for` expression (`[for inst in aws_instance.web : inst.id]`) or `values()`") is None
    assert named_item("Blob: objects and backups").group(1) == "Blob"
