"""One command-line grammar (issue 14, item 4): every sub-command's help ends with an example that
parses, flags that take a layer or a neuron say how they are counted, one ``--arithmetic`` vocabulary
and one default ``--digits``, ``--version``, and no reference to a document users do not have."""

from __future__ import annotations

import argparse
import shlex

import pytest

from exactlift import cli_options, display
from exactlift.cli import build_parser, main
from exactlift.version import __version__


def _subcommands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """(path, parser) for every leaf sub-command, walking nested sub-parsers (``conjecture run``)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield prefix, parser
        return
    if prefix:
        yield prefix, parser
    for action in subs:
        for name, sub in action.choices.items():
            yield from _subcommands(sub, prefix + (name,))


PARSER = build_parser()
COMMANDS = sorted(_subcommands(PARSER), key=lambda t: t[0])


def _examples(parser: argparse.ArgumentParser) -> list[list[str]]:
    """The example command lines of a parser's epilog (each ``&&`` part that starts with exactlift)."""
    out = []
    for line in (parser.epilog or "").splitlines():
        for part in line.split("&&"):
            words = shlex.split(part.strip())
            if words and words[0] == "exactlift":
                out.append(words[1:])
    return out


def test_every_subcommand_is_walked():
    names = {" ".join(p) for p, _ in COMMANDS}
    for expected in ("analyze", "demo", "check-embedding", "check-lift", "split-line", "truly-bad", "certify",
                     "explain", "latex", "lift", "prune", "count", "conjecture run", "conjecture report", "examples"):
        assert expected in names
    assert len(names) >= 25


@pytest.mark.parametrize("path,parser", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_help_has_an_example_that_parses(path, parser):
    text = parser.format_help()
    assert "Example" in text, f"exactlift {' '.join(path)} --help has no example"
    examples = _examples(parser)
    assert examples, f"exactlift {' '.join(path)}: no 'exactlift …' line in the epilog"
    assert any(ex[: len(path)] == list(path) for ex in examples), "no example of the command itself"
    for words in examples:
        try:
            args = build_parser().parse_args(words)
        except SystemExit as exc:  # argparse refuses the example
            pytest.fail(f"example 'exactlift {' '.join(words)}' does not parse (exit {exc.code})")
        assert callable(getattr(args, "func", None))


@pytest.mark.parametrize("path,parser", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_help_never_mentions_a_document_users_do_not_have(path, parser):
    assert "SPEC" not in parser.format_help()


@pytest.mark.parametrize("path,parser", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_layer_and_neuron_flags_say_how_they_count(path, parser):
    for action in parser._actions:
        words = " ".join(action.option_strings) + " " + str(action.metavar or "")
        if any(key in words for key in ("--layer", "LAYER", "--insert ", "--neuron", "NEURON")):
            if action.dest == "lifts" and "--insert-json" in action.option_strings:
                continue
            text = action.help or ""
            assert "count" in text or "counted" in text, f"{path} {action.option_strings}: {text!r}"
            if "--insert" in action.option_strings:
                assert "layer 0" in text and "SHIFT" in text


@pytest.mark.parametrize("path,parser", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_one_arithmetic_vocabulary_and_one_default_digits(path, parser):
    for action in parser._actions:
        if "--arithmetic" in action.option_strings:
            assert set(action.choices) <= set(cli_options.ARITHMETICS) | {"symbolic"}
            assert list(action.choices) == [c for c in cli_options.ARITHMETICS if c in action.choices]
        if "--digits" in action.option_strings and path != ("certify",):  # certify: digits of the refined centre
            assert action.default == cli_options.DEFAULT_DIGITS, path


def test_version_and_bare_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and __version__ in capsys.readouterr().out
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "COMMAND" in out and "Example" in out and "required" not in out


def test_display_and_options_share_the_default():
    assert cli_options.DEFAULT_EXACT_DIGITS == display.DEFAULT_EXACT_DIGITS


def test_truly_bad_does_not_advise_an_option_it_lacks(capsys):
    from exactlift.gallery import get_example

    path = str(get_example("tanh-minimum").path)
    assert main(["truly-bad", path, "--arithmetic", "mp"]) == 2
    err = capsys.readouterr().err
    assert "use one of auto, exact, certified" in err and "never decides" in err
    assert main(["truly-bad", path, "--arithmetic", "exact"]) == 2
    err = capsys.readouterr().err
    assert "--arithmetic certified" in err and "use --arithmetic mp" not in err
    # the advice is an option truly-bad has, and following it (or the default, auto) gives an answer
    for extra in ([], ["--arithmetic", "certified"]):
        assert main(["truly-bad", path, *extra]) in (0, 1)
        assert "(certified)" in capsys.readouterr().out


def test_one_arithmetic_grammar_on_every_command():
    """Every sub-command with --arithmetic parses the same four words, with the same default (auto)
    and the same --digits default: read from the parsers themselves."""
    import argparse

    from exactlift.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    seen = {}
    for name, parser in sub.choices.items():
        acts = {a.dest: a for a in parser._actions}
        if "arithmetic" in acts:
            seen[name] = (tuple(acts["arithmetic"].choices), acts["arithmetic"].default, acts["digits"].default)
    assert {"analyze", "check-embedding", "check-lift", "split-line", "truly-bad", "latex", "plot-spectrum"} <= set(seen)
    assert set(seen.values()) == {(("auto", "exact", "mp", "certified"), "auto", cli_options.DEFAULT_DIGITS)}
