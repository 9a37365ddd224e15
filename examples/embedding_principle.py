"""Embedding principle (Zhang et al. 2021), small scale: a wide tanh network condenses.

A 1-50-1 tanh network with biases is trained on 30 one-dimensional points (targets of a
width-2 tanh teacher) from a small initialization (std 1e-3): full-batch gradient descent for
the dynamics (its loss curve shows the plateaus), then SciPy's L-BFGS to converge.  The plot
shows the loss curve and the neurons' orientation angle(w, b) against their amplitude |a|·‖(w, b)‖
at a plateau and at the end.  At both points the network is exported to ``.npz``, read back
exactly with ``exactlift import``, and ``explain``-ed: condensed (which narrow width it is
embedded from, at what distance) and, when the certifier of issue 12 is installed, the narrow
critical point is certified and its inertia given; otherwise the gradient norm is reported,
never a claim.

Run:  python examples/embedding_principle.py   (about 30 s; writes docs/figures/embedding_*.png)
Needs the extras ``repro`` (scipy, matplotlib).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from exactlift.errors import ExactliftError
from exactlift.io import import_case
from exactlift.structure.explain import explain

FIG = Path(__file__).resolve().parent.parent / "docs" / "figures"
M, N = 50, 30
x = np.linspace(-3, 3, N)
y = np.tanh(2 * x - 1) - 0.5 * np.tanh(x + 1)


def unpack(theta):
    return theta[:M], theta[M:2 * M], theta[2 * M:3 * M], theta[3 * M]


def loss_grad(theta):
    w, b, a, c = unpack(theta)
    h = np.tanh(np.outer(x, w) + b)
    e = h @ a + c - y
    loss = np.mean(e**2)
    g = 2 * e / N
    dh = (g[:, None] * a[None, :]) * (1 - h**2)
    return loss, np.concatenate([dh.T @ x, dh.sum(axis=0), h.T @ g, [g.sum()]])


def explain_point(theta, tol, label):
    w, b, a, c = unpack(theta)
    with tempfile.TemporaryDirectory() as tmp:
        np.savez(Path(tmp) / "net.npz", W1=w[:, None], b1=b, W2=a[None, :], b2=np.array([c]), x=x[:, None], y=y[:, None])
        case = import_case(Path(tmp) / "net.npz", "tanh", floats="binary", name=label)
    e = explain(case, tol)
    return e


def main(steps=30000, lr=0.02, tol=1e-2, plateau=1000) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    FIG.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    theta = np.concatenate([1e-3 * rng.standard_normal(3 * M), [0.0]])
    t0 = time.perf_counter()
    losses, snaps = [], {}
    for k in range(steps):
        loss, g = loss_grad(theta)
        losses.append(loss)
        theta = theta - lr * g
        if k == plateau:  # on the second plateau of the loss curve (steps ~200-1500)
            snaps["plateau"] = (k, theta.copy())
    gd_steps = len(losses)
    res = minimize(loss_grad, theta, jac=True, method="L-BFGS-B", callback=lambda t: losses.append(loss_grad(t)[0]),
                   options={"maxiter": 5000, "gtol": 1e-12, "ftol": 0})
    snaps["end"] = (len(losses) - 1, res.x)
    print(f"trained in {time.perf_counter() - t0:.1f} s: {gd_steps} GD steps, {len(losses) - gd_steps} L-BFGS steps, "
          f"final loss {losses[-1]:.3e}")
    fig, axes = plt.subplots(1, 3, figsize=(14, 4))
    axes[0].loglog(np.arange(1, len(losses) + 1), losses, lw=1)
    axes[0].axvline(gd_steps, ls=":", c="gray")
    axes[0].text(gd_steps, losses[0], " L-BFGS", fontsize=8, va="top")
    for name, (k, th) in snaps.items():
        axes[0].plot(k + 1, losses[k], "o", label=name)
    axes[0].set_xlabel("step (log)"), axes[0].set_ylabel("training loss"), axes[0].legend()
    axes[0].set_title("1-50-1 tanh, small initialization")
    for ax, (name, (k, th)) in zip(axes[1:], snaps.items()):
        w, b, a, c = unpack(th)
        ax.scatter(np.mod(np.arctan2(b, w), np.pi), np.abs(a) * np.hypot(w, b), s=12)  # tanh is odd: (w,b) ~ -(w,b)
        ax.set_xlabel("orientation angle(w, b) mod pi"), ax.set_ylabel("amplitude |a|·‖(w,b)‖"), ax.set_yscale("log")
        ax.set_title(f"neurons at the {name} (step {k})")
    fig.tight_layout()
    fig.savefig(FIG / "embedding_principle.png", dpi=110)
    for name, (k, th) in snaps.items():
        t1 = time.perf_counter()
        print(f"--- {name} (step {k}, loss {losses[k]:.3e}), explain --tol {tol}:")
        try:
            e = explain_point(th, tol, name)
        except ExactliftError as exc:  # e.g. a group splitting cannot make: said, not hidden
            print(f"explain refused: {exc}")
            continue
        print(e.summary())
        print(f"({time.perf_counter() - t1:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
