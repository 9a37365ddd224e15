"""The package, its docs and its help texts never cite a document users do not have.

The mathematics lives in docs/ (mathematics.md, width.md, depth.md, symmetry.md), with the papers
cited by arXiv number; an internal design file ("SPEC") is not shipped, so no text may point to it.
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"\bSPEC\b|SPEC\.md|SPEC §")


def texts():
    for pattern in ("exactlift/**/*.py", "exactlift/**/*.json", "docs/**/*.md", "proofs/*.py", "README.md"):
        yield from ROOT.glob(pattern)


def test_no_source_or_doc_cites_the_internal_spec():
    hits = [f"{p.relative_to(ROOT)}:{i}" for p in texts()
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if WORD.search(line)]
    assert hits == []


def test_no_help_text_cites_the_internal_spec():
    from exactlift.cli import build_parser
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    helps = {name: p.format_help() for name, p in sub.choices.items()}
    assert len(helps) > 20
    assert [name for name, text in helps.items() if WORD.search(text)] == []
