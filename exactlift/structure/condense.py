"""Condensation: find the embedding structure of a (trained) wide network.

Per hidden layer, neurons whose incoming weights and bias agree within ``tol`` (max norm; for
an odd activation also up to sign) form a *group*; a neuron with negligible incoming and
outgoing weights is a *null* neuron.  The narrow network keeps one neuron per group (its
incoming vector the signed mean of the group's, its outgoing column the signed sum) and drops
the null neurons; the *embedding* mapping it back is a composition of the existing lift
objects (``SplitNeuron``/``OddSplitNeuron`` with exact rational ratios, ``NullNeuron``,
``Permute``).  It is applied exactly, and the max-norm distance between the embedded narrow
point and the given wide one is exact.

Marked but kept (the lifts cannot produce them): *silent* neurons (negligible outgoing weight,
non-negligible incoming), *zero-input* neurons (negligible incoming, non-negligible outgoing),
and *zero-type groups* (a shared incoming vector whose signed outgoing weights sum to ≈ 0,
Şimşek et al. 2021, or nearly cancel so that no split ratios reproduce them within ``tol``; such a
point is not a critical embedding, so no lift is claimed and the group's neurons stay).

>>> from exactlift import Architecture, Params, SplitNeuron, make_case
>>> arch = Architecture.build([1, 2, 1], "tanh")
>>> narrow = make_case([1, 2, 1], "tanh", Params.from_flat(arch, [1, 0, -2, 1, 3, 1, 0]), [[0], [1]], [[0], [1]])
>>> wide = SplitNeuron(1, 0, "1/3").apply_case(narrow)
>>> c = condense(wide)
>>> c.narrow_widths, [str(l) for l in c.lifts], c.distance
([1, 2, 1], ['split(layer=1, neuron=0, alpha=1/3)'], Fraction(0, 1))

Failure modes: ``tol`` must be a non-negative number (:class:`~exactlift.errors.InputError`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from exactlift.errors import InputError, LiftError
from exactlift.lifts.width.embeddings import NullNeuron, OddSplitNeuron, Permute, SplitNeuron, compose
from exactlift.nn.case import Case
from exactlift.nn.network import Architecture, Params


@dataclass(frozen=True)
class Group:
    """Neurons of one hidden layer sharing an incoming vector (signs relative to the first member)."""

    layer: int
    members: tuple[int, ...]
    signs: tuple[int, ...]
    kind: str  # "single", "copies" or "zero-type"

    def to_json(self) -> dict:
        return {"layer": self.layer, "members": list(self.members), "signs": list(self.signs), "kind": self.kind}


@dataclass(frozen=True)
class Condensation:
    """The narrow case, the lifts mapping it back, the exact distance, and what was found per layer."""

    wide: Case
    narrow: Case
    lifts: tuple[Any, ...]
    distance: Fraction
    groups: tuple[tuple[Group, ...], ...]  # per hidden layer: the groups kept in the narrow network, in order
    marks: tuple[dict, ...]  # per hidden layer: {"null": [...], "silent": [...], "zero_input": [...], "zero_type": [...]}
    tol: float
    embedded: Case = field(repr=False, compare=False, default=None)

    @property
    def narrow_widths(self) -> list[int]:
        return list(self.narrow.arch.widths)

    @property
    def embedding(self):
        """The composition of the lifts (``None`` when the network condenses to itself)."""
        return compose(*self.lifts) if self.lifts else None

    def to_json(self) -> dict:
        d = self.distance
        return {
            "wide_widths": list(self.wide.arch.widths),
            "narrow_widths": self.narrow_widths,
            "tol": self.tol,
            "lifts": [str(l) for l in self.lifts],
            "embedding": str(self.embedding) if self.lifts else None,
            "distance": f"{float(d):.6e}",
            "distance_exact": str(d) if len(str(d)) < 200 else None,
            "strength": "exact",
            "layers": [
                {"layer": l + 1, "groups": [g.to_json() for g in gs if g.kind != "single"], **self.marks[l]}
                for l, gs in enumerate(self.groups)
            ],
        }

    def summary(self) -> str:
        lines = [
            f"wide:     {self.wide.arch.describe()} ({self.wide.arch.n_params} parameters)",
            f"narrow:   {self.narrow.arch.describe()} ({self.narrow.arch.n_params} parameters)",
            f"lifts:    {', '.join(str(l) for l in self.lifts) or 'none (the network condenses to itself)'}",
            f"distance: {float(self.distance):.3e} (max norm, exact) between the embedded narrow point and the given one",
        ]
        for l, gs in enumerate(self.groups, start=1):
            copies = [g for g in gs if g.kind == "copies"]
            parts = [f"{len(copies)} group(s) of copies " + " ".join(
                "{" + ",".join(f"{'-' if s < 0 else ''}{m}" for m, s in zip(g.members, g.signs)) + "}" for g in copies)
                if copies else "no copies"]
            for key in ("null", "silent", "zero_input"):
                if self.marks[l - 1][key]:
                    parts.append(f"{key.replace('_', '-')} {self.marks[l - 1][key]}")
            for zt in self.marks[l - 1]["zero_type"]:
                parts.append(f"zero-type group {zt['members']}")
            lines.append(f"layer {l}:  " + "; ".join(parts))
        return "\n".join(lines)


def simplest_rational(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational with the smallest denominator in [lo, hi] (continued fractions).

    >>> simplest_rational(Fraction(3333, 10000), Fraction(3334, 10000))
    Fraction(1, 3)
    """
    if lo > hi:
        lo, hi = hi, lo
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -simplest_rational(-hi, -lo)
    fl = math.floor(lo)
    if fl == lo:
        return Fraction(fl)
    if fl + 1 <= hi:
        return Fraction(fl + 1)
    return fl + 1 / simplest_rational(1 / (hi - fl), 1 / (lo - fl))


def is_odd_activation(act: Any) -> bool:
    """Whether the sign-flip split applies to ``act`` (asks :class:`OddSplitNeuron` itself)."""
    arch = Architecture.build([1, 1, 1], act)
    try:
        OddSplitNeuron(1, 0).apply(arch, Params.from_flat(arch, [0] * arch.n_params))
    except LiftError:
        return False
    return True


def _floats(a: np.ndarray | None) -> np.ndarray | None:
    return None if a is None else np.array([[float(v) for v in row] for row in np.atleast_2d(a).tolist()])


def _group_layer(vin: np.ndarray, aout: np.ndarray, tol: float, odd: bool, layer: int,
                 forced: frozenset = frozenset()) -> tuple[list[Group], dict]:
    """Groups and marks of one hidden layer from float incoming rows ``vin`` and outgoing columns ``aout``.

    ``forced``: member tuples to treat as zero-type groups (no split ratios reproduce their outgoing weights).
    """
    m = vin.shape[0]
    nin = np.abs(vin).max(axis=1)
    nout = np.abs(aout).max(axis=0)
    null = [j for j in range(m) if nin[j] <= tol and nout[j] <= tol]
    if len(null) == m:  # a layer keeps at least one neuron: the largest stays
        null.remove(max(null, key=lambda j: (max(nin[j], nout[j]), -j)))
    marks = {"null": null, "silent": [j for j in range(m) if nout[j] <= tol < nin[j]],
             "zero_input": [j for j in range(m) if nin[j] <= tol < nout[j]], "zero_type": []}
    free = [j for j in range(m) if j not in null]
    groups: list[Group] = []
    taken: set[int] = set()
    for j in free:
        if j in taken:
            continue
        members, signs = [j], [1]
        for k in free:
            if k <= j or k in taken:
                continue
            if np.abs(vin[k] - vin[j]).max() <= tol:
                members.append(k), signs.append(1)
            elif odd and np.abs(vin[k] + vin[j]).max() <= tol:
                members.append(k), signs.append(-1)
        taken.update(members)
        if len(members) == 1:
            groups.append(Group(layer, (j,), (1,), "single"))
            continue
        total = sum(s * aout[:, k] for k, s in zip(members, signs))
        if np.abs(total).max() <= tol or tuple(members) in forced:
            marks["zero_type"].append({"members": members, "signs": signs})
            groups.extend(Group(layer, (k,), (1,), "single") for k in members)
        else:
            groups.append(Group(layer, tuple(members), tuple(signs), "copies"))
    groups.sort(key=lambda g: g.members[0])
    return groups, marks


def _row_map(groups: list[Group], m: int) -> np.ndarray:
    """R (r × m, exact): narrow row = signed mean of the group's rows."""
    R = np.full((len(groups), m), Fraction(0), dtype=object)
    for n, g in enumerate(groups):
        for k, s in zip(g.members, g.signs):
            R[n, k] = Fraction(s, len(g.members))
    return R


def _col_map(groups: list[Group], m: int) -> np.ndarray:
    """C (m × r, exact): narrow column = signed sum of the group's columns."""
    C = np.full((m, len(groups)), Fraction(0), dtype=object)
    for n, g in enumerate(groups):
        for k, s in zip(g.members, g.signs):
            C[k, n] = Fraction(s)
    return C


def _split_plan(g: Group, n: int, targets: np.ndarray, tol: float, pos: list[int | None]) -> list[Any] | None:
    """Splits of narrow neuron ``n`` producing group ``g``'s members (``targets[:, k]``: wanted outgoing column).

    Appends the wide index of each new neuron to ``pos``; ``None`` when a ratio cannot be chosen.
    """
    c = sum(s * targets[:, k] for k, s in zip(g.members, g.signs))
    rest = [(k, s) for k, s in zip(g.members[1:], g.signs[1:])]
    lifts = []
    while rest:
        # keep the remaining outgoing column away from zero
        k, s = max(rest, key=lambda ks: np.abs(c - ks[1] * targets[:, ks[0]]).max())
        rest.remove((k, s))
        cn = float(np.dot(c, c))
        if np.abs(c).max() <= tol or cn == 0.0:
            return None
        one_minus = s * float(np.dot(targets[:, k], c)) / cn
        alpha = 1.0 - one_minus
        slack = Fraction(tol) / (4 * Fraction(float(np.abs(c).max())))
        a = simplest_rational(Fraction(alpha) - slack, Fraction(alpha) + slack)
        lifts.append((SplitNeuron if s > 0 else OddSplitNeuron)(g.layer, n, a))
        pos.append(k)
        c = float(a) * c
    return lifts


def _layer_vectors(case: Case) -> list[tuple[np.ndarray, np.ndarray, bool]]:
    """Per hidden layer: float incoming rows (with bias), outgoing columns, whether the activation is odd."""
    arch, p = case.arch, case.params
    Wf = [_floats(w) for w in p.W]
    bf = [None if b is None else np.array([float(v) for v in b.tolist()]) for b in p.b]
    out = []
    for l in range(1, arch.n_layers):
        vin = Wf[l - 1] if bf[l - 1] is None else np.hstack([Wf[l - 1], bf[l - 1][:, None]])
        out.append((vin, Wf[l], is_odd_activation(arch.activations[l - 1])))
    return out


def _narrow_params(case: Case, layers: list[tuple[np.ndarray, np.ndarray, bool]], tol: float) -> int:
    arch = case.arch
    widths = [arch.widths[0]] + [len(_group_layer(v, a, tol, odd, l + 1)[0]) for l, (v, a, odd) in enumerate(layers)]
    widths.append(arch.widths[-1])
    return Architecture.build(widths, arch.activations, arch.biases).n_params


def tolerance_candidates(case: Case, max_params: int | None = None) -> list[dict]:
    """Tolerances at gaps of the neurons' distance spectrum, the widest gap first.

    The spectrum of a hidden layer: each neuron's size max(‖incoming‖∞, ‖outgoing‖∞) (a null
    neuron has size ≤ T) and the pairwise max-norm distances of the incoming vectors (for an odd
    activation the smaller of ‖v_j − v_k‖∞ and ‖v_j + v_k‖∞).  A candidate T is the geometric
    mean of two consecutive values; its ``gap`` is their ratio.  With ``max_params`` only the
    candidates whose narrow network has at most that many parameters are kept (default: the
    number of training outputs n·d_out, so that its critical points can be isolated).

    >>> from exactlift import Architecture, Params, SplitNeuron, make_case
    >>> arch = Architecture.build([1, 2, 1], "tanh")
    >>> xs, ys = [[k] for k in range(8)], [[k % 2] for k in range(8)]
    >>> narrow = make_case([1, 2, 1], "tanh", Params.from_flat(arch, [1, 0, -2, 1, 3, 1, 0]), xs, ys)
    >>> wide = SplitNeuron(1, 0, "1/3").apply_case(narrow)
    >>> best = tolerance_candidates(wide)[0]
    >>> best["below"], best["narrow_params"], condense(wide, "auto").narrow_widths
    (0.0, 7, [1, 2, 1])
    """
    if max_params is None:
        max_params = case.n_samples * case.arch.output_dim if case.n_samples else case.arch.n_params
    layers = _layer_vectors(case)
    values: set[float] = set()
    for vin, aout, odd in layers:
        sizes = np.maximum(np.abs(vin).max(axis=1), np.abs(aout).max(axis=0))
        values.update(float(v) for v in sizes)
        for j in range(len(vin)):
            d = np.abs(vin[j + 1:] - vin[j]).max(axis=1, initial=0.0) if j + 1 < len(vin) else np.zeros(0)
            if odd and d.size:
                d = np.minimum(d, np.abs(vin[j + 1:] + vin[j]).max(axis=1))
            values.update(float(v) for v in d)
    spectrum = sorted(v for v in values if v > 0)
    cands = []
    for lo, hi in zip(spectrum, spectrum[1:]):
        cands.append({"tol": math.sqrt(lo * hi), "gap": hi / lo, "below": lo, "above": hi})
    if spectrum and min(values) == 0:  # exact copies or null neurons: the first gap starts at float resolution
        floor = 2.0 ** -52 * spectrum[-1]
        if spectrum[0] > floor:
            cands.append({"tol": math.sqrt(floor * spectrum[0]), "gap": spectrum[0] / floor, "below": 0.0,
                          "above": spectrum[0]})
    cands.sort(key=lambda c: (-c["gap"], c["tol"]))
    out = []
    for c in cands:
        c["narrow_params"] = _narrow_params(case, layers, c["tol"])
        if c["narrow_params"] <= max_params:
            out.append(c)
        if len(out) >= 8:
            break
    return out


def condense(case: Case, tol: float | str = 1e-6) -> Condensation:
    """Find groups, null neurons and the embedding of ``case`` (see the module docstring).

    ``tol="auto"``: the widest gap of :func:`tolerance_candidates` whose condensation succeeds.
    """
    if isinstance(tol, str) and tol.strip().lower() == "auto":
        last: Exception | None = None
        for cand in tolerance_candidates(case):
            try:
                return condense(case, cand["tol"])
            except InputError as exc:  # a nearly cancelling group at this tolerance: the next gap
                last = exc
        raise InputError("--tol auto: no gap of the neurons' distance spectrum gives a narrow network with at most "
                         f"n·d_out parameters that condenses{f' ({last})' if last else ''}: give --tol")
    try:
        tol = float(tol)
    except (TypeError, ValueError):
        raise InputError(f"--tol must be a number, got {tol!r}") from None
    if not tol >= 0 or math.isinf(tol):
        raise InputError(f"--tol must be a non-negative finite number, got {tol}")
    forced: dict[int, frozenset] = {}
    while True:
        try:
            return _condense_at(case, tol, forced)
        except _NoSplit as ns:  # nearly cancelling outgoing weights: a zero-type group, kept (no lift makes it)
            forced[ns.layer] = forced.get(ns.layer, frozenset()) | {ns.members}


class _NoSplit(Exception):
    def __init__(self, layer: int, members: tuple[int, ...]) -> None:
        self.layer, self.members = layer, members


def _condense_at(case: Case, tol: float, forced: dict[int, frozenset]) -> Condensation:
    arch, p = case.arch, case.params
    L = arch.n_layers
    Wf = [_floats(w) for w in p.W]
    bf = [None if b is None else np.array([float(v) for v in b.tolist()]) for b in p.b]
    all_groups: list[list[Group]] = []
    all_marks: list[dict] = []
    for l in range(1, L):
        vin = Wf[l - 1] if bf[l - 1] is None else np.hstack([Wf[l - 1], bf[l - 1][:, None]])
        groups, marks = _group_layer(vin, Wf[l], tol, is_odd_activation(arch.activations[l - 1]), l,
                                     forced.get(l, frozenset()))
        all_groups.append(groups)
        all_marks.append(marks)
    # exact narrow parameters: W_l' = R_l W_l C_{l-1}, b_l' = R_l b_l
    Rs = [_row_map(all_groups[l - 1], arch.widths[l]) for l in range(1, L)]
    Cs = [_col_map(all_groups[l - 1], arch.widths[l]) for l in range(1, L)]
    Ws, bs = [], []
    for l in range(1, L + 1):
        w = p.W[l - 1]
        if l < L:
            w = Rs[l - 1].dot(w)
        if l > 1:
            w = w.dot(Cs[l - 2])
        Ws.append(np.array(w, dtype=object))
        b = p.b[l - 1]
        bs.append(None if b is None else (np.array(Rs[l - 1].dot(b), dtype=object) if l < L else b))
    narrow_widths = [arch.widths[0]] + [len(g) for g in all_groups] + [arch.widths[-1]]
    narrow_arch = Architecture.build(narrow_widths, arch.activations, arch.biases)
    narrow = case.with_params(narrow_arch, Params(tuple(Ws), tuple(bs)), name=(case.name + "-narrow") if case.name else "narrow")
    # the lifts, layer by layer (targets: wide outgoing columns with the next layer's rows condensed)
    lifts: list[Any] = []
    for l in range(1, L):
        groups = all_groups[l - 1]
        targets = Wf[l] if l == L - 1 else np.array([[float(v) for v in row] for row in Rs[l].dot(p.W[l]).tolist()])
        pos: list[int | None] = [g.members[0] for g in groups]
        for n, g in enumerate(groups):
            if g.kind != "copies":
                continue
            plan = _split_plan(g, n, targets, tol, pos)
            if plan is None:  # outgoing weights that nearly cancel within tol: no split reproduces them
                raise _NoSplit(l, tuple(g.members))
            lifts.extend(plan)
        for j in all_marks[l - 1]["null"]:
            lifts.append(NullNeuron(l))
            pos.append(j)
        perm = tuple(pos.index(j) for j in range(arch.widths[l]))
        if perm != tuple(range(arch.widths[l])):
            lifts.append(Permute(l, perm))
    embedded = compose(*lifts).apply_case(narrow) if lifts else narrow
    distance = max((abs(Fraction(a) - Fraction(b)) for a, b in zip(embedded.params.flatten(), p.flatten())), default=Fraction(0))
    return Condensation(case, narrow, tuple(lifts), distance, tuple(tuple(g) for g in all_groups), tuple(all_marks), tol, embedded)
