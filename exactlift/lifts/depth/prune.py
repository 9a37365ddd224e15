"""Pruning (T7): merge a hidden layer that is linear on the training data into the next one.

**exactlift formalization of arXiv 2205.13283** (docs/depth.md, T7, the inverse of
the critical lift).  Hidden layer l with weights A = W^[l], c = b^[l] is
*linearized on S* when every neuron k either keeps all its training
pre-activations t_{k,i} inside one open linear piece of σ_l
(σ_l(t) = α_k t + γ_k there) or has a zero outgoing column W^[l+1]_{:,k}
(a null neuron, dropped).  With B = W^[l+1], e = b^[l+1] the merged layer is

    W = B D A,   b = B (D c + γ) + e,

which gives the same outputs on every training input.  Criticality is kept
when DA is injective or BD is surjective (the rank condition of T3): then the
deep gradient is an injective linear image of the merged one (T2).

>>> from exactlift.nn.case import case_from_dict
>>> deep = case_from_dict({"network": {"widths": [1, 1, 1], "params": {"W": [[["1"]], [["1/2"]]],
...     "b": [["5"], ["-13/6"]]}, "data": {"x": [["-2"], ["3"]], "y": [["0"], ["1"]]}}})
>>> layer_linearization(deep, 1).linear
True
>>> [str(x) for x in prune_layer(deep, 1).params.flatten()]
['1/2', '1/3']
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from exactlift.arith.contexts import get_context, parse_rational
from exactlift.errors import InputError, LiftError, validated
from exactlift.calculus.backprop import derivatives
from exactlift.lifts.depth.insertion import (
    FRACTION_CTX,
    SOURCE,
    activation_range,
    interval_of,
    layer_inputs,
    piece_of,
    piece_text,
)
from exactlift.lifts.depth.construction import exact_below
from exactlift.certify.certificate import timed
from exactlift.lifts.depth.theorems import TheoremCheck, arithmetic_for
from exactlift.nn.case import Case
from exactlift.nn.network import Architecture, Params
from exactlift.strength import weakest

__all__ = ["NeuronState", "LayerLinearization", "layer_linearization", "linearized_layers", "prune_layer", "prune"]

ZERO = Fraction(0)


@dataclass(frozen=True)
class NeuronState:
    """A hidden neuron on the training data: its piece (None when mixed) and whether it is null."""

    index: int
    null: bool
    piece: int | None
    slope: Fraction | None
    intercept: Fraction | None
    interval: str


@dataclass(frozen=True)
class LayerLinearization:
    """Whether hidden layer ``layer`` is linearized on the training data (every neuron linear or null)."""

    layer: int
    neurons: tuple[NeuronState, ...]
    linear: bool
    reason: str
    strength: str
    source: str = SOURCE

    def rank_condition(self, case: Case) -> dict[str, Any]:
        """DA injective (rank m_{l−1}) or BD surjective (rank m_{l+1}), exact ranks, on the kept neurons."""
        from exactlift.arith.linalg import rank

        l = self.layer
        A = _rows(case.params.W[l - 1])
        B = _rows(case.params.W[l])
        kept = [s for s in self.neurons if not s.null]
        DA = [[s.slope * x for x in A[s.index]] for s in kept]  # type: ignore[operator]
        BD = [[row[s.index] * s.slope for s in kept] for row in B]  # type: ignore[operator]
        m_in, m_out = case.arch.widths[l - 1], case.arch.widths[l + 1]
        r_da = rank(DA) if DA else 0
        r_bd = rank(BD) if kept else 0
        return {"rank_DA": r_da, "m_in": m_in, "DA_injective": r_da == m_in,
                "rank_BD": r_bd, "m_out": m_out, "BD_surjective": r_bd == m_out,
                "holds": r_da == m_in or r_bd == m_out}


def _rows(M: Any) -> list[list[Fraction]]:
    return [[parse_rational(x) for x in r] for r in M.tolist()]


@validated
def layer_linearization(case: Case, layer: int, digits: int = 60) -> LayerLinearization:
    """Decide whether hidden layer ``layer`` is linear on the training data (exact when possible).

    Exact when the layers below have exact values; otherwise by the exact
    range bound of layer l−1's activation (valid for every input) or, failing
    that, in ``mp`` at ``digits`` (strength ``numerical``).  A pre-activation
    on a kink makes the neuron "mixed".
    """
    arch = case.arch
    _check_hidden(arch, layer)
    act = arch.activations[layer - 1]
    pieces = act.linear_pieces()
    B = _rows(case.params.W[layer])
    m = arch.widths[layer]
    null = [all(row[k] == 0 for row in B) for k in range(m)]
    A = _rows(case.params.W[layer - 1])
    c = [ZERO] * m if case.params.b[layer - 1] is None else [parse_rational(x) for x in case.params.b[layer - 1].tolist()]
    if not pieces:
        states = tuple(NeuronState(k, null[k], None, None, None, "no linear piece") for k in range(m))
        ok = all(null)
        reason = "" if ok else f"{act.spec} has no linear piece: the layer is linear on no data set"
        return LayerLinearization(layer, states, ok, reason, "exact")
    q = layer - 1
    per: list[list[int | None]]
    strength = "exact"
    if q == 0 or exact_below(arch, q):
        ctx = get_context("exact")
        H = layer_inputs(case, q, ctx)
        Hf = [[parse_rational(x) for x in r] for r in H.tolist()]
        per = [[piece_of(pieces, sum((a * x for a, x in zip(A[k], h)), ZERO) + c[k], FRACTION_CTX) for h in Hf]
               for k in range(m)]
    else:
        lo, hi = activation_range(arch.activations[q - 1])
        ranged: list[int | None] = []
        for k in range(m):
            tmin, tmax = interval_of(A[k], c[k], lo, hi)
            found = None
            for idx, p in enumerate(pieces):
                if (p.lo is None or (tmin is not None and tmin > p.lo)) and (p.hi is None or (tmax is not None and tmax < p.hi)):
                    found = idx
            ranged.append(found)
        ctx = get_context("mp", digits)
        with ctx.active():
            H = layer_inputs(case, q, ctx)
            per = []
            for k in range(m):
                if ranged[k] is not None:
                    per.append([ranged[k]] * H.shape[0])
                    continue
                row = []
                for i in range(H.shape[0]):
                    t = sum((ctx.convert(a) * x for a, x in zip(A[k], H[i])), ctx.zero) + ctx.convert(c[k])
                    row.append(piece_of(pieces, t, ctx))
                per.append(row)
        if any(ranged[k] is None and not null[k] for k in range(m)):
            strength = "numerical"
    states = []
    reason = ""
    for k in range(m):
        s = set(per[k])
        if len(s) == 1 and None not in s:
            p = pieces[per[k][0]]  # type: ignore[index]
            states.append(NeuronState(k, null[k], per[k][0], p.slope, p.intercept, piece_text(p)))
        else:
            states.append(NeuronState(k, null[k], None, None, None, "mixed" if None not in s else "on a kink"))
            if not null[k] and not reason:
                what = "has a training pre-activation on a kink" if None in s else "is not in one linear piece"
                reason = (f"neuron {k} of hidden layer {layer} {what} of {act.spec} on the training data "
                          "and has non-zero outgoing weights")
    return LayerLinearization(layer, tuple(states), not reason, reason, strength)


def _check_hidden(arch: Architecture, layer: int) -> None:
    try:
        arch.check_layer(layer, hidden=True)
    except LiftError:
        raise
    except InputError as exc:
        raise LiftError(f"cannot prune: {exc}") from None


def linearized_layers(case: Case) -> list[int]:
    """The hidden layers of ``case`` that are linearized on its training data."""
    return [l for l in range(1, case.arch.n_layers) if layer_linearization(case, l).linear]


@validated
def prune_layer(case: Case, layer: int) -> Case:
    """Merge hidden layer ``layer`` (linear on the data) into layer ``layer + 1``: W = BDA, b = B(Dc+γ)+e."""
    lin = layer_linearization(case, layer)
    if not lin.linear:
        raise LiftError(f"cannot prune hidden layer {layer}: {lin.reason}")
    arch = case.arch
    l = layer
    A = _rows(case.params.W[l - 1])
    c = [ZERO] * arch.widths[l] if case.params.b[l - 1] is None else [parse_rational(x) for x in case.params.b[l - 1].tolist()]
    B = _rows(case.params.W[l])
    e = None if case.params.b[l] is None else [parse_rational(x) for x in case.params.b[l].tolist()]
    kept = [s for s in lin.neurons if not s.null]
    m_in, m_out = arch.widths[l - 1], arch.widths[l + 1]
    W = [[sum((B[j][s.index] * s.slope * A[s.index][i] for s in kept), ZERO) for i in range(m_in)] for j in range(m_out)]  # type: ignore[operator]
    shift = [sum((B[j][s.index] * (s.slope * c[s.index] + s.intercept) for s in kept), ZERO) for j in range(m_out)]  # type: ignore[operator]
    if e is None:
        if any(shift):
            raise LiftError(
                f"cannot prune hidden layer {layer}: layer {layer + 1} has no bias but B (D c + gamma) = "
                f"{[str(x) for x in shift]} is not zero"
            )
        b_new = None
    else:
        b_new = [ej + sj for ej, sj in zip(e, shift)]
    widths = arch.widths[:l] + arch.widths[l + 1 :]
    acts = arch.activations[: l - 1] + arch.activations[l:]
    biases = arch.biases[: l - 1] + arch.biases[l:]
    new_arch = Architecture(widths, acts, biases)
    Wm = np.empty((m_out, m_in), dtype=object)
    for j in range(m_out):
        for i in range(m_in):
            Wm[j, i] = W[j][i]
    bm = None
    if b_new is not None:
        bm = np.empty(m_out, dtype=object)
        bm[:] = b_new
    Ws = case.params.W[: l - 1] + (Wm,) + case.params.W[l + 1 :]
    bs = case.params.b[: l - 1] + (bm,) + case.params.b[l + 1 :]
    extra = dict(case.extra)
    extra["depth_prunes"] = list(extra.get("depth_prunes", [])) + [
        {"layer": layer, "dropped_null_neurons": [s.index for s in lin.neurons if s.null], "source": SOURCE}
    ]
    return Case(new_arch, Params(Ws, bs), case.X, case.Y, case.loss, case.name, case.description, extra)


def prune(case: Case, layers: list[int] | None = None) -> tuple[Case, list[int]]:
    """Prune every linearized hidden layer (or the given ones), from the top down.

    Returns the pruned case and the pruned layer numbers (in the original
    numbering).  Raises :class:`LiftError` when nothing can be pruned.
    """
    if layers is not None:
        for l in layers:
            _check_hidden(case.arch, l)
        todo = sorted(set(layers), reverse=True)
        for l in todo:
            case = prune_layer(case, l)
        return case, sorted(todo)
    done = []
    for l in range(case.arch.n_layers - 1, 0, -1):
        if layer_linearization(case, l).linear:
            case = prune_layer(case, l)
            done.append(l)
    if not done:
        raise LiftError("no hidden layer is linear on the training data: nothing to prune")
    return case, sorted(done)


# ---------------------------------------------------------------------------
# T7 pruning
# ---------------------------------------------------------------------------


@timed
def check_prune(deep: Case, layer: int | None = None, arithmetic: str = "auto", digits: int = 60,
                expected: Case | None = None) -> TheoremCheck:
    """T7: merge a linearized hidden layer; same training outputs; criticality kept (rank condition).

    ``layer`` None: the highest linearized hidden layer.  With ``expected``
    (e.g. the shallow case a lift came from) the merged parameters must equal
    it exactly.
    """
    statement = ("a hidden layer linear on S merges into the next (W = BDA, b = B(Dc+gamma)+e) with the same "
                 "training outputs; a critical point stays critical under the rank condition")
    arith = arithmetic_for(deep, arithmetic)
    ctx = get_context(arith, digits)
    if layer is None:
        cands = [l for l in range(deep.arch.n_layers - 1, 0, -1) if layer_linearization(deep, l).linear]
        if not cands:
            return TheoremCheck("T7", "pruning", None, ctx.strength, statement,
                                "not applicable: no hidden layer is linear on the training data")
        layer = cands[0]
    lin = layer_linearization(deep, layer)
    pruned = prune_layer(deep, layer)
    rc = lin.rank_condition(deep)
    with ctx.active():
        outs = []
        grads = []
        for case in (deep, pruned):
            X, Y = case.arrays(ctx)
            d = derivatives(case.arch, case.params, X, Y, case.loss, ctx, order=1)
            outs.append(d.forward.output)
            grads.append(d.gradient)
        # asked of the context: None when an mp value is in the undecided band (never a guess)
        same = ctx.all_zero(list((outs[0] - outs[1]).ravel()))
        deep_crit = ctx.all_zero(list(grads[0]))
        pruned_crit = ctx.all_zero(list(grads[1]))
    ok = same
    detail = f"pruned hidden layer {layer}: {deep.arch.describe()} -> {pruned.arch.describe()}; outputs equal: {same}"
    if deep_crit:
        detail += f"; deep critical, pruned critical: {pruned_crit} (rank condition {'holds' if rc['holds'] else 'fails'})"
        if rc["holds"]:
            ok = False if (ok is False or pruned_crit is False) else (None if None in (ok, pruned_crit) else True)
    if expected is not None:
        equal = pruned.arch == expected.arch and pruned.params.flatten() == expected.params.flatten()
        detail += f"; equals the original shallow parameters: {equal}"
        ok = ok and equal
    data = {"layer": layer, "pruned": pruned.arch.describe(), "outputs_equal": same, "deep_critical": deep_crit,
            "pruned_critical": pruned_crit, **rc}
    return TheoremCheck("T7", "pruning", ok, weakest([ctx.strength, lin.strength]), statement, detail, data)
