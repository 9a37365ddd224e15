"""Şimşek et al. (2021), small scale: students of width 5 learning a width-4 teacher.

Setting of the authors' SymmetrySaddles.jl: teacher without biases, input dimension 2, incoming
vectors (0.6, 0.5), (-0.5, 0.5), (-0.2, -0.6), (0.1, -0.6), output weights 1, data on the 41x41
grid of [-5, 5]^2, activation sigmoid.  Students of width m = 5 are trained with SciPy's L-BFGS
from small random initializations; each trained student is written as an ``.npz``, read back
with ``exactlift import`` (exact binary values), condensed, and classified into its affine
subspace of the global-minimum manifold (which teacher neuron is copied, which student neuron
is a zero-type singleton).  The verdict checks that the subspace is one of those counted by
T_single(r*, m) = r*!·S(m+1, r*+1) and proves, symbolically, that every point of it computes
the teacher's function exactly (so its loss is zero exactly).

Run:  python examples/simsek_teacher.py   (about 7 min of CPU with SciPy 1.17; writes docs/figures/simsek_*.png)
Needs the extras ``repro`` (scipy, matplotlib) of exactlift.
"""

from __future__ import annotations

import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from exactlift import Architecture, NullNeuron, Params, Permute, SplitNeuron, compose, count_T_single, prove_output_preservation
from exactlift.io import import_case
from exactlift.structure.condense import condense, simplest_rational

FIG = Path(__file__).resolve().parent.parent / "docs" / "figures"
TEACHER = np.array([[0.6, 0.5], [-0.5, 0.5], [-0.2, -0.6], [0.1, -0.6]])
R_STAR, M = 4, 5


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


grid = np.linspace(-5, 5, 41)
X = np.array([[a, b] for a in grid for b in grid])
Y = sigmoid(X @ TEACHER.T).sum(axis=1)


def loss_grad(theta):
    W, a = theta[: 2 * M].reshape(M, 2), theta[2 * M:]
    h = sigmoid(X @ W.T)
    e = h @ a - Y
    loss = np.mean(e**2)
    ga = 2 * h.T @ e / len(X)
    gW = 2 * ((e[:, None] * a[None, :] * h * (1 - h)).T @ X) / len(X)
    return loss, np.concatenate([gW.ravel(), ga])


def train(seed):
    rng = np.random.default_rng(seed)
    theta0 = np.concatenate([0.5 * rng.standard_normal(2 * M), 0.5 + 0.1 * rng.standard_normal(M)])
    losses = []
    res = minimize(loss_grad, theta0, jac=True, method="L-BFGS-B", callback=lambda t: losses.append(loss_grad(t)[0]),
                   options={"maxiter": 20000, "maxfun": 40000, "gtol": 1e-13, "ftol": 0})
    return res.x, losses


def classify(theta, tol):
    """Import the trained student exactly, condense it, match copies to teacher neurons."""
    with tempfile.TemporaryDirectory() as tmp:
        W, a = theta[: 2 * M].reshape(M, 2), theta[2 * M:]
        np.savez(Path(tmp) / "student.npz", W1=W, W2=a[None, :], x=X[:3], y=Y[:3, None])
        case = import_case(Path(tmp) / "student.npz", "sigmoid", floats="binary")
    c = condense(case, tol)
    match = {}
    for g in c.groups[0]:
        rep = np.array([float(v) for v in c.narrow.params.W[0][c.groups[0].index(g)]])
        dist = np.abs(TEACHER - rep).max(axis=1)
        match[g.members] = (int(dist.argmin()), float(dist.min()))
    return c, match


def structured_point(c, match):
    """The exact teacher-structured lift: teacher neurons, splits with the found (simplest) ratios, null neurons."""
    lifts, pos = [], list(range(R_STAR))
    teacher_of = {}
    for members, (t, d) in match.items():
        if d < 5e-3:
            teacher_of[members] = t
    if sorted(teacher_of.values()) != list(range(R_STAR)):
        return None, None
    for g in c.groups[0]:
        if g.members not in teacher_of:
            continue
        t = teacher_of[g.members]
        a = np.array([float(c.wide.params.W[1][0, k]) for k in g.members])
        rest = 1.0
        for k, ak in zip(g.members[1:], a[1:]):
            alpha = simplest_rational(Fraction(1 - ak / rest) - Fraction(1, 10**4), Fraction(1 - ak / rest) + Fraction(1, 10**4))
            lifts.append(SplitNeuron(1, t, alpha))
            pos.append(k)
            rest *= float(alpha)
        pos[t] = g.members[0]
    extra = [j for j in range(M) if j not in pos]
    for j in extra:
        lifts.append(NullNeuron(1))
        pos.append(j)
    perm = tuple(pos.index(j) for j in range(M))
    if perm != tuple(range(M)):
        lifts.append(Permute(1, perm))
    return compose(*lifts), extra


def main(seeds=range(8), tol=5e-3) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    FIG.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    runs = [(s, *train(s)) for s in seeds]
    print(f"trained {len(runs)} students of width {M} in {time.perf_counter() - t0:.1f} s")
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.5))
    for s, theta, losses in runs:
        ax1.semilogy(losses, lw=1, label=f"seed {s}")
    ax1.set_xlabel("L-BFGS iteration"), ax1.set_ylabel("training loss"), ax1.set_title("students of width 5, teacher width 4")
    ax1.legend(fontsize=7)
    ax2.scatter(TEACHER[:, 0], TEACHER[:, 1], s=260, marker="*", facecolors="none", edgecolors="k", label="teacher incoming vectors", zorder=3)
    verdicts, n_zero = [], 0
    n_T = count_T_single(R_STAR, M)
    for s, theta, losses in runs:
        loss = loss_grad(theta)[0]
        W, a = theta[: 2 * M].reshape(M, 2), theta[2 * M:]
        ax2.scatter(W[:, 0], W[:, 1], s=20 + 60 * np.abs(a), alpha=0.6, label=f"seed {s}")
        if loss > 1e-12:
            verdicts.append(f"seed {s}: loss {loss:.2e}, not at a global minimum: no claim")
            continue
        c, match = classify(theta, tol)
        lift, extra = structured_point(c, match)
        if lift is None:
            verdicts.append(f"seed {s}: loss {loss:.2e}, condensed to {c.narrow_widths} but not teacher-structured within 5e-3")
            continue
        proof = prove_output_preservation([2, R_STAR, 1], lift, free_alpha=True, activation="sigma")
        silent_ok = all(abs(float(c.wide.params.W[1][0, j])) < tol for j in extra)
        copies = [f"teacher neuron {match[g.members][0]} <- students {list(g.members)}" for g in c.groups[0] if len(g.members) > 1]
        kind = ("copies: " + "; ".join(copies)) if copies else ""
        if extra:
            kind += ("; " if kind else "") + f"zero-type singleton(s): student(s) {extra} (outgoing weight < {tol:g})"
        n_zero += 1
        verdicts.append(
            f"seed {s}: loss {loss:.2e}, condense distance {float(c.distance):.1e}; subspace = {kind}; one of T_single({R_STAR},{M}) = {n_T} pieces: "
            f"{'yes' if silent_ok or not extra else 'no'}; f(subspace) = f(teacher) for every input: "
            f"{'proved' if proof.holds else 'NOT proved'} [{proof.strength}] (the lift {lift})"
        )
    ax2.set_title("trained students' incoming vectors (size ~ |outgoing|)"), ax2.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(FIG / "simsek_students.png", dpi=110)
    print("\n".join(verdicts))
    print(f"verdict: {n_zero} of {len(runs)} students reached a global minimum and lie in a teacher-structured "
          f"affine subspace with zero loss proved symbolically; T_single({R_STAR},{M}) = {n_T} such subspaces exist")
    return 0


if __name__ == "__main__":
    sys.exit(main())
