"""Load theorem cards from files and run their cases, timing each.

Cards are trusted Python code written by the user (like pytest test files):
:func:`load_card` imports the file with :mod:`importlib` and reads ``CARD``
or the module-level fields (see :mod:`exactlift.theorems.card`).

>>> from exactlift.theorems.card import Card, step
>>> card = Card(title="t", statement="$x$", source="exactlift formalization",
...             cases=lambda: [("a", 1), ("b", 2)], check=lambda x: [step("x > 0", x > 0)])
>>> result = run_card(card)
>>> result.ok, result.n_cases, [c.result for c in result.cases]
(True, 2, ['passed', 'passed'])
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from exactlift import display
from exactlift.certify import FORMALIZATION, PAPERS_CLAIM, Certificate
from exactlift.errors import InputError, validated
from exactlift.strength import Strength, weakest
from exactlift.theorems.card import Card, Step

PASSED, FAILED, ERROR = "passed", "failed", "error"


@dataclass
class CaseResult:
    """The outcome of one case: ``passed``, ``failed`` (the claim is false) or ``error``."""

    name: str
    result: str
    seconds: float
    steps: list[Step] = field(default_factory=list)
    message: str = ""
    case: Any = field(default=None, repr=False)

    claimed: Strength | None = None

    @property
    def ok(self) -> bool:
        return self.result == PASSED

    @property
    def strength(self) -> Strength:
        """Computed: the weakest strength of the steps (a step without one takes the claimed strength)."""
        claimed = self.claimed or Strength.EXACT
        return weakest([s.strength or claimed for s in self.steps] or [claimed])

    def certificate(self) -> Certificate:
        """This case as a :class:`Certificate`: a composite of its steps, or a leaf when it has none.

        ``holds`` is True (passed), False (failed) or None (error: the
        message is in ``detail`` and ``data["message"]``); the strength is
        the weakest of the steps', the same as :attr:`strength`.
        """
        claimed = self.claimed or Strength.EXACT
        verdict = {PASSED: True, FAILED: False}.get(self.result)
        data: dict[str, Any] = {"result": self.result}
        if self.message:
            data["message"] = self.message
        if not self.steps:
            return Certificate(self.name, verdict, strength=claimed, scope=self.name, detail=self.message, data=data,
                               seconds=self.seconds)
        return Certificate.combine(self.name, [s.certificate(claimed) for s in self.steps], holds=verdict,
                                   scope=self.name, detail=self.message, data=data, seconds=self.seconds)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"case": self.name, "result": self.result, "seconds": round(self.seconds, 4)}
        if self.steps:
            out["steps"] = [s.to_json() for s in self.steps]
        if self.message:
            out["message"] = self.message
        return out


@display.rich_display(display.card_result_bundle)  # notebook views: _repr_mimebundle_, _repr_html_, _repr_latex_
@dataclass
class CardResult:
    """All case results of one card, with the card itself."""

    card: Card
    path: str
    cases: list[CaseResult]
    seconds: float
    setup_error: str = ""

    @property
    def claimed_strength(self) -> Strength:
        """The strength the card declares (``strength=``)."""
        return Strength.parse(self.card.strength)

    @property
    def strength(self) -> Strength:
        """Computed: the weakest strength of what the cases ran."""
        return weakest([c.strength for c in self.cases] or [self.claimed_strength])

    @property
    def too_weak(self) -> bool:
        """True when the computed strength is weaker than the card claims."""
        return bool(self.cases) and self.strength < self.claimed_strength

    def certificate(self) -> Certificate:
        """The card run as a :class:`Certificate` whose children are its cases.

        Its strength is the weakest of the cases' (computed, the same as
        :attr:`strength`); its verdict False if a case fails, True if all pass,
        None otherwise.  A card whose cases could not be built (or that has
        none) is an undecided leaf at its claimed strength.  A card claiming
        more than it computed is reported in ``detail`` and ``data["too_weak"]``.

        >>> from exactlift.theorems.card import Card, step
        >>> card = Card(title="t", statement="$x$", source="exactlift formalization", cases=lambda: [("a", 1)],
        ...             check=lambda x: [step("x > 0", x > 0, strength="certified")], strength="exact")
        >>> c = run_card(card).certificate()
        >>> c.holds, c.strength, c.data["too_weak"]
        (True, 'certified', True)
        """
        source = FORMALIZATION if self.card.is_formalization else PAPERS_CLAIM
        data: dict[str, Any] = {"card": self.card.name, "path": self.path, "claimed_strength": str(self.claimed_strength)}
        meta = {"theorem": self.card.name, "source": source, "seconds": self.seconds}
        if self.setup_error or not self.cases:
            detail = f"cases: {self.setup_error}" if self.setup_error else "no cases"
            return Certificate(self.card.title, None, self.claimed_strength, detail=detail, data=data, **meta)
        data["too_weak"] = self.too_weak
        detail = f"claims {self.claimed_strength}, computed {self.strength}" if self.too_weak else ""
        return Certificate.combine(self.card.title, [c.certificate() for c in self.cases], scope=f"{self.n_cases} cases",
                                   detail=detail, data=data, **meta)

    @property
    def ok(self) -> bool:
        return not self.setup_error and bool(self.cases) and all(c.ok for c in self.cases) and not self.too_weak

    @property
    def n_cases(self) -> int:
        return len(self.cases)

    @property
    def result(self) -> str:
        """``passed``, ``FAILED (case …)`` or ``ERROR (…)`` for tables."""
        if self.setup_error:
            return f"ERROR (cases: {self.setup_error})"
        if not self.cases:
            return "ERROR (no cases)"
        bad = [c for c in self.cases if not c.ok]
        if not bad and self.too_weak:
            return f"FAILED (claims {self.claimed_strength}, computed {self.strength})"
        if not bad:
            return PASSED
        word = "FAILED" if any(c.result == FAILED for c in bad) else "ERROR"
        return f"{word} ({', '.join(c.name for c in bad)})"

    @property
    def failures(self) -> list[CaseResult]:
        return [c for c in self.cases if not c.ok]

    def to_json(self) -> dict[str, Any]:
        return {
            "card": self.card.name,
            "path": self.path,
            "title": self.card.title,
            "statement": self.card.statement,
            "source": self.card.source,
            "strength": self.card.strength,
            "computed_strength": str(self.strength),
            "ok": self.ok,
            "result": self.result,
            "seconds": round(self.seconds, 4),
            "setup_error": self.setup_error or None,
            "cases": [c.to_json() for c in self.cases],
        }


_FIELDS = {
    "TITLE": "title",
    "STATEMENT": "statement",
    "SOURCE": "source",
    "STRENGTH": "strength",
    "NOTES": "notes",
}


@validated
def load_card(path: str | Path) -> Card:
    """Import a card file and return its :class:`Card` (named after the file's stem).

    The file defines ``CARD`` or the module-level fields ``TITLE``,
    ``STATEMENT``, ``SOURCE`` (``STRENGTH``, ``NOTES`` optional) and the
    functions ``cases()`` and ``check(case)``.  Problems are
    :class:`~exactlift.errors.InputError` naming the file.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such card file")
    if path.suffix != ".py":
        raise InputError(f"{path}: a card is a Python file (*.py)")
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]
    mod_name = f"exactlift_card_{path.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(mod_name, path)
    if spec is None or spec.loader is None:  # pragma: no cover
        raise InputError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module  # dataclasses and pickling look modules up here
    try:
        spec.loader.exec_module(module)
    except InputError:
        raise
    except Exception as exc:
        sys.modules.pop(mod_name, None)
        raise InputError(f"{path}: importing the card failed: {type(exc).__name__}: {exc}") from exc
    card = getattr(module, "CARD", None)
    if card is None:
        missing = [k for k in ("TITLE", "STATEMENT", "SOURCE") if not hasattr(module, k)]
        missing += [f for f in ("cases", "check") if not callable(getattr(module, f, None))]
        if missing:
            raise InputError(
                f"{path}: not a theorem card: define CARD = Card(...) or {', '.join(missing)} "
                "(see docs/cards.md)"
            )
        kwargs = {v: getattr(module, k) for k, v in _FIELDS.items() if hasattr(module, k)}
        try:
            card = Card(cases=module.cases, check=module.check, name=path.stem, **kwargs)
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
    elif not isinstance(card, Card):
        raise InputError(f"{path}: CARD must be an exactlift.theorems.Card, got {type(card).__name__}")
    if not card.name:
        card = Card(**{**card.__dict__, "name": path.stem})
    return card


#: Environment variable: more directories of cards for ``exactlift prove --all`` (separated by ``os.pathsep``).
CARD_PATH_ENV = "EXACTLIFT_CARD_PATH"


def shipped_cards_dir() -> Path:
    """The directory of the cards shipped with exactlift: ``proofs/`` of the checkout, installed as ``exactlift.proofs``.

    >>> (shipped_cards_dir() / "core_exact_hessian.py").is_file()
    True
    """
    package = Path(__file__).resolve().parents[1]
    installed = package / "proofs"  # a wheel install: site-packages/exactlift/proofs
    return installed if installed.is_dir() else package.parent / "proofs"  # a checkout (editable install)


def card_directories(dirs: Sequence[str | Path] | None = None, add: Sequence[str | Path] = (),
                     environ: Mapping[str, str] | None = None) -> list[Path]:
    """The directories ``exactlift prove --all`` runs: ``dirs``, or else the shipped cards and ``$EXACTLIFT_CARD_PATH``; then ``add``.

    >>> [p.name for p in card_directories(environ={CARD_PATH_ENV: "mine"}, add=["more"])]
    ['proofs', 'mine', 'more']
    >>> [p.name for p in card_directories(["only"], environ={CARD_PATH_ENV: "mine"})]
    ['only']
    """
    env = os.environ if environ is None else environ
    if dirs:
        base = [Path(d) for d in dirs]
    else:
        base = [shipped_cards_dir()] + [Path(d) for d in env.get(CARD_PATH_ENV, "").split(os.pathsep) if d]
    out: list[Path] = []
    for d in base + [Path(d) for d in add]:
        if d not in out:
            out.append(d)
    return out


def find_card(name: str | Path) -> Path:
    """A card file: ``name`` itself when it is a file, else the shipped card of that name (``depth_t3_inertia``).

    >>> find_card("core_exact_hessian").name
    'core_exact_hessian.py'
    """
    path = Path(name)
    if path.is_file() or path.suffix or len(path.parts) > 1:
        return path
    shipped = shipped_cards_dir() / f"{path.name}.py"
    return shipped if shipped.is_file() else path


def discover_cards(directory: str | Path = "proofs") -> list[Path]:
    """The card files of a directory (``*.py`` not starting with ``_``), sorted by name."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(f"{directory}: no such directory of theorem cards")
    return sorted(p for p in directory.glob("*.py") if not p.name.startswith("_"))


def _interpret(value: Any) -> tuple[str, list[Step], str]:
    """(result, steps, message) from what a check returned."""
    if value is None or value is True:
        return PASSED, [], ""
    if value is False:
        return FAILED, [], "the check returned False"
    if isinstance(value, (Step, Certificate)):
        value = [value]
    if isinstance(value, (list, tuple)) and all(isinstance(s, (Step, Certificate)) for s in value):
        steps = [Step.from_certificate(s) if isinstance(s, Certificate) else s for s in value]
        bad = [s for s in steps if not s.ok]
        if bad:
            return FAILED, steps, "; ".join(f"{s.claim} does not hold" + (f" ({s.detail})" if s.detail else "") for s in bad)
        return PASSED, steps, ""
    raise TypeError(
        f"check returned {type(value).__name__}: return None/True/False or a list of exactlift.theorems.Step"
    )


def run_case(card: Card, name: str, case: Any) -> CaseResult:
    """Run ``card.check`` on one case, timing it and classifying the outcome."""
    start = time.perf_counter()
    try:
        result, steps, message = _interpret(card.check(case))
    except AssertionError as exc:
        result, steps, message = FAILED, [], str(exc) or _assert_location(exc)
    except Exception as exc:  # the card's code is the user's: report, do not crash the run
        result, steps, message = ERROR, [], f"{type(exc).__name__}: {exc}"
    return CaseResult(name, result, time.perf_counter() - start, steps, message, case, Strength.parse(card.strength))


def _assert_location(exc: AssertionError) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    if tb:
        frame = tb[-1]
        return f"assertion failed at {Path(frame.filename).name}:{frame.lineno}: {frame.line}"
    return "assertion failed"  # pragma: no cover


@validated
def run_card(card: Card, path: str | Path = "", only: str | None = None) -> CardResult:
    """Build the card's cases and check each one (``only``: a single case by name)."""
    start = time.perf_counter()
    try:
        cases = card.case_list()
    except Exception as exc:
        return CardResult(card, str(path), [], time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
    if only is not None:
        names = [n for n, _ in cases]
        if only not in names:
            raise InputError(f"card {card.name}: no case named {only!r} (cases: {', '.join(names)})")
        cases = [(n, c) for n, c in cases if n == only]
    results = [run_case(card, name, case) for name, case in cases]
    return CardResult(card, str(path), results, time.perf_counter() - start)


@validated
def run_card_file(path: str | Path, only: str | None = None) -> CardResult:
    """:func:`load_card` then :func:`run_card`."""
    return run_card(load_card(path), path, only)
