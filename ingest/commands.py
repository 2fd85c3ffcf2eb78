"""Commands in a code fence, each under the comment that says what it does ("# Create signed URL (1 hour)" /
"gsutil signurl -d 1h …"), or, without comments, named by their own words ("az vm resize …": "vm resize"): a table
of tasks and the command for each, so "how do I create a signed URL?" finds the command the notes give; and the task
lists that are steps to take ("- [ ] Check firewall rules"), not topics to revise."""
from __future__ import annotations

import re

from studyassist.knowledge.model import COMMAND_COLUMNS

HEADER = list(COMMAND_COLUMNS)
MIN_PAIRS = 2  # one commented command is an example, not a reference of commands
PROGRAM_SHARE = 2 / 3  # of a fence's commands that must run the same program ("az", "gcloud") to be a reference
# "# Create VM (minimal)", "// List topics"; "#!/bin/bash" is no comment
_COMMENT = re.compile(r"^\s*(?:#(?![!#])|//)\s*(\S.*?)\s*$")
_BLANK = ("", "#", "//")  # a line with nothing on it, or only a comment marker that spaces comments out
_PROGRAM = re.compile(r"([a-z][a-z0-9_-]*)\s+[a-z]")  # "az vm …", "kubectl get …": a program, then a subcommand
_SUBCOMMAND = re.compile(r"[a-z][a-z0-9-]*")  # "vm", "generate-sas"; not "--size", "<name>", "'src'", "MyRG"
# a line of a configuration, not a command: one that opens or closes a block ('resource "aws_instance" "web" {',
# "}") or sets a key ('region = "us-east-1"'); a fence of such lines with comments ("# … other arguments") over them
# is an example of a file, whose comments name no task (it had made rows "… other arguments → }")
_SETTING = re.compile(r"[{\[(]\s*$|^[\]})]|^[\w.\"-]++\s++=(?!=)")  # (a shell's "ETCDCTL_API=3 etcdctl …" runs)
CONFIG_SHARE = 1 / 3
# a task list's item that is a step: it opens with a verb of doing ("Check quotas", "Verify the route table")
STEP_VERBS = frozenset("check verify review ensure confirm make enable disable restart inspect look test add remove "
                       "set use run create open grant assign update install configure allow validate try increase "
                       "reduce rotate restore reset deploy connect define build push monitor delete attach "
                       "register".split())


def _joined(lines: list[str]) -> list[tuple[bool, str]]:
    """(is a comment, text) of a fence's lines, a command's indented or backslash-continued lines joined to it."""
    out: list[tuple[bool, str]] = []
    for line in lines:
        if line.strip() in _BLANK:
            continue
        if m := _COMMENT.match(line):
            out.append((True, m.group(1)))
        elif out and not out[-1][0] and (line[:1].isspace() or out[-1][1].endswith("\\")):
            out[-1] = (False, out[-1][1].rstrip("\\").rstrip() + " " + line.strip())
        else:
            out.append((False, line.strip()))
    return out


def _own_words(command: str, program: str | None) -> str:
    """A command's words before its first option, without the program most of its fence runs."""
    words = command.split()
    task = []
    for word in words[1:]:
        if not _SUBCOMMAND.fullmatch(word):
            break
        task.append(word)
    return " ".join(task if words[0] == program and task else [words[0], *task])


def command_rows(body: list[str]) -> list[list[str]]:
    """[task, command] rows of a fence of commands: under comments saying what they do (several commands under one
    comment are one row) when at least ``MIN_PAIRS`` comments head one; else, when most of its commands run one
    program (a reference of one CLI, not a script), each command by its own words; else []."""
    lines = _joined(body)
    commands = [text for comment, text in lines if not comment]
    if sum(bool(_SETTING.search(c)) for c in commands) > CONFIG_SHARE * len(commands):
        return []
    firsts = [m.group(1) if (m := _PROGRAM.match(c)) else None for c in commands]
    program = max(set(firsts), key=firsts.count) if firsts else None
    rows: list[list[str]] = []
    task, under = "", []
    for comment, text in [*lines, (True, "")]:
        if comment and under:
            rows.append([task or _own_words(under[0], program), "; ".join(" ".join(c.split()) for c in under)])
            task, under = text, []
        elif comment:  # a second comment line before any command says more about the same task
            task = f"{task} {text}".strip()
        else:
            under.append(text)
    if sum(1 for comment, _ in lines if comment) >= MIN_PAIRS and len(rows) >= MIN_PAIRS:
        return rows
    if program is None or len(commands) < MIN_PAIRS or firsts.count(program) < PROGRAM_SHARE * len(commands):
        return []
    return [[_own_words(c, program), " ".join(c.split())] for c in commands]


def is_step(item: str) -> bool:
    """Whether a task list's item is a step to take ("Check IAM permissions"), not a topic to revise."""
    first = item.split(maxsplit=1)[0].lower() if item.split() else ""
    return first in STEP_VERBS


def comment_notes(body: list[str]) -> list[str]:
    """The notes of a fence written mostly as comments ("# Persistent storage" / "# $HOME is persistent (5GB)" /
    "# /tmp is ephemeral"), one per group of lines between blank lines, "first line: the rest"; [] when fewer than
    ``MIN_PAIRS`` groups or when most of its lines are code."""
    groups: list[list[str]] = [[]]
    comments = code = 0
    for line in body:
        if line.strip() in _BLANK:
            groups.append([])
        elif m := _COMMENT.match(line):
            groups[-1].append(m.group(1))
            comments += 1
        else:
            groups[-1].append(" ".join(line.split()))
            code += 1
    notes = [g[0] if len(g) == 1 else f"{g[0].rstrip(':')}: {'; '.join(g[1:])}" for g in groups if g]
    return notes if len(notes) >= MIN_PAIRS and comments > code else []
