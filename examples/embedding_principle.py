"""Embedding principle (Zhang et al. 2021, arXiv 2105.14573), small scale: what a wide tanh network is near.

A 1-50-1 tanh network with biases is trained on 30 one-dimensional points (a width-2 tanh teacher
plus a little noise) from a small initialization (std 1e-3) by full-batch gradient descent (its
loss curve shows the plateaus), then SciPy's L-BFGS to converge.  The plateaus are found from the
curve itself: the local minima of the gradient norm in log-time; the snapshot of a plateau is its
step of smallest gradient norm.  At each snapshot and at the end the network is exported to
``.npz``, read back exactly with ``exactlift import``, and ``explain``-ed with ``--tol auto``: the
tolerance sits at the widest gap of the neurons' distance spectrum among the condensations with at
most as many parameters as training points (so that the narrow critical point can be isolated and
proved by Krawczyk).  The verdict: certified critical or not, narrow widths, distance, inertia,
strength.  The figures show the loss curve, the neurons' (orientation, amplitude) and the spectrum.

Run:  python examples/embedding_principle.py   (about a minute; writes docs/figures/embedding_principle.png)
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
from exactlift.structure.condense import tolerance_candidates
from exactlift.structure.explain import explain

FIG = Path(__file__).resolve().parent.parent / "docs" / "figures"


def make_data(n: int = 30, noise: float = 0.02, seed: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """n points of [-3, 3]; targets tanh(3x) + 0.3 tanh(2(x - 1.5)) (a width-2 teacher) plus noise."""
    x = np.linspace(-3, 3, n)
    return x, np.tanh(3 * x) + 0.3 * np.tanh(2 * (x - 1.5)) + noise * np.random.default_rng(seed).standard_normal(n)


class Net:
    """1-M-1 tanh network with biases, parameters (w, b, a, c) flattened."""

    def __init__(self, m: int, x: np.ndarray, y: np.ndarray) -> None:
        self.m, self.x, self.y = m, x, y

    def unpack(self, t: np.ndarray):
        m = self.m
        return t[:m], t[m:2 * m], t[2 * m:3 * m], t[3 * m]

    def output(self, t: np.ndarray, x: np.ndarray | None = None) -> np.ndarray:
        w, b, a, c = self.unpack(t)
        return np.tanh(np.outer(self.x if x is None else x, w) + b) @ a + c

    def loss_grad(self, t: np.ndarray):
        w, b, a, c = self.unpack(t)
        h = np.tanh(np.outer(self.x, w) + b)
        e = h @ a + c - self.y
        g = 2 * e / len(self.x)
        dh = (g[:, None] * a[None, :]) * (1 - h**2)
        return np.mean(e**2), np.concatenate([dh.T @ self.x, dh.sum(axis=0), h.T @ g, [g.sum()]])

    def case(self, t: np.ndarray, label: str):
        """The exact case of the network at ``t`` (through an ``.npz`` file and ``exactlift import``)."""
        w, b, a, c = self.unpack(t)
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / "net.npz"
            np.savez(f, W1=w[:, None], b1=b, W2=a[None, :], b2=np.array([c]), x=self.x[:, None], y=self.y[:, None])
            return import_case(f, "tanh", floats="binary", name=label)


def plateau_steps(losses: np.ndarray, grad_norms: np.ndarray, n_grid: int = 60, skip: int = 10) -> list[int]:
    """Plateaus of the loss curve: the flattest points of log L against log t (local minima of the slope's
    size, flatter than 1/t); in each, the step of smallest gradient norm.  Returned flattest first.

    >>> t = np.arange(1, 3001.0)
    >>> L = np.where(t < 1000, 1.0 - 1e-5 * t, 0.99 * (1000 / t) ** 2)
    >>> plateau_steps(L, np.abs(np.gradient(L)), skip=5)[0] < 1000
    True
    """
    n = len(losses)
    grid = np.unique(np.geomspace(skip, n - 1, n_grid).astype(int))
    slope = np.abs(np.diff(np.log(losses[grid])) / np.diff(np.log(grid)))
    found = []
    for i in range(len(slope) - 1):  # the last grid interval is the end of the run, not a plateau
        left = slope[i - 1] if i > 0 else np.inf
        right = slope[i + 1]
        if slope[i] < left and slope[i] <= right and slope[i] < 1:
            lo, hi = grid[max(i - 1, 0)], grid[min(i + 2, len(grid) - 1)]
            found.append((slope[i], int(lo + np.argmin(grad_norms[lo:hi + 1]))))
    return [k for _, k in sorted(found)]


def train(net: Net, steps: int, lr: float, init: float, seed: int, lbfgs: int):
    rng = np.random.default_rng(seed)
    theta = np.concatenate([init * rng.standard_normal(3 * net.m), [0.0]])
    losses, grads, thetas = [], [], []
    for _ in range(steps):
        loss, g = net.loss_grad(theta)
        losses.append(loss), grads.append(np.abs(g).max()), thetas.append(theta.copy())
        theta = theta - lr * g

    def record(t):
        loss, g = net.loss_grad(t)
        losses.append(loss), grads.append(np.abs(g).max())

    res = minimize(net.loss_grad, theta, jac=True, method="L-BFGS-B", callback=record,
                   options={"maxiter": lbfgs, "gtol": 1e-13, "ftol": 0})
    return np.array(losses), np.array(grads), thetas, res.x


def verdict(net: Net, label: str, step: int, theta: np.ndarray, grad: float, loss: float) -> dict:
    """Explain one point; print and return the verdict (and what it rests on)."""
    t1 = time.perf_counter()
    case = net.case(theta, label)
    cands = tolerance_candidates(case)
    out = {"label": label, "step": step, "case": case, "theta": theta, "candidates": cands, "explanation": None}
    print(f"--- {label} (step {step}, loss {loss:.3e}, max |grad| {grad:.1e} in float64):")
    if not cands:
        print("no gap of the distance spectrum gives a narrow network with at most n parameters: no claim")
        return out
    best = cands[0]
    print(f"tolerance: {best['tol']:.3g} (auto: widest gap of the distance spectrum with narrow P <= n, between "
          f"{best['below']:.3g} and {best['above']:.3g}, ratio {best['gap']:.2f}"
          + ("; no clear gap: the neurons share orientations, not incoming vectors" if best["gap"] < 2 else "") + ")")
    try:
        e = explain(case, "auto")
    except ExactliftError as exc:  # e.g. a group no split can make: said, not hidden
        print(f"explain refused: {exc}")
        return out
    out["explanation"] = e
    lines = [l for l in e.summary().splitlines() if not l.startswith(("lifts:", "layer "))]
    print("\n".join(lines))
    j = e.to_json()
    if e.critical:
        centre = np.array([float(v) for v in e.narrow_certificate.center_exact])
        narrow = e.condensation.narrow.arch.widths[1]
        w, b, a, c = centre[:narrow], centre[narrow:2 * narrow], centre[2 * narrow:3 * narrow], centre[3 * narrow]
        xs = np.linspace(-3, 3, 601)
        f_narrow = np.tanh(np.outer(xs, w) + b) @ a + c  # = the embedded point's output (splits, nulls preserve it)
        out["function_gap"] = float(np.abs(net.output(theta, xs) - f_narrow).max())
        nc = e.narrow_certificate
        kind = "a strict local minimum" if nc.inertia and nc.inertia[0] == 0 and nc.inertia[1] == 0 else "a critical point"
        print(f"[certified] the narrow point: {kind} of the width-{narrow} network, inertia {tuple(nc.inertia or ())}, "
              f"loss {nc.loss}, within {float(nc.radius):.1e} of its centre")
        print(f"[numerical] max |f_given - f_embedded| on [-3, 3]: {out['function_gap']:.3e} "
              "(the embedded point computes the narrow network's function exactly)")
    print(f"verdict: critical={j['critical']} narrow_widths={j['narrow_widths']} distance={j['distance']} "
          f"inertia={j['inertia']} strength={j['strength']} ({time.perf_counter() - t1:.1f} s)")
    return out


def orientation(w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """angle of (w, b) in (-pi/2, pi/2]: tanh is odd, so (w, b) and -(w, b) are one orientation."""
    s = np.where(w < 0, -1.0, 1.0)
    return np.arctan2(s * b, s * w)


def spectrum(net: Net, theta: np.ndarray) -> np.ndarray:
    """Neuron sizes and pairwise sign-reduced distances (what ``--tol auto`` looks for a gap in), sorted."""
    w, b, a, c = net.unpack(theta)
    v = np.stack([w, b], 1)
    d = np.minimum(np.abs(v[:, None] - v[None]).max(2), np.abs(v[:, None] + v[None]).max(2))
    out = np.sort(np.concatenate([np.maximum(np.abs(v).max(1), np.abs(a)), d[np.triu_indices(len(w), 1)]]))
    return out[out > 0]


def plot(net: Net, losses, grads, gd_steps, results) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    FIG.mkdir(parents=True, exist_ok=True)
    panels = 2 + len(results)
    cols = (panels + 1) // 2
    fig, axes = plt.subplots(2, cols, figsize=(4.4 * cols, 7.4))
    axes = axes.ravel()
    ax = axes[0]
    steps = np.arange(1, len(losses) + 1)
    ax.loglog(steps, losses, lw=1, label="loss")
    ax.loglog(steps, grads, lw=0.8, c="gray", alpha=0.7, label="max |grad|")
    ax.axvline(gd_steps, ls=":", c="gray")
    ax.text(gd_steps, losses.max(), "L-BFGS ", fontsize=8, va="top", ha="right")
    colors = {}
    for r in results:
        colors[r["label"]] = ax.plot(r["step"] + 1, losses[r["step"]], "o", label=r["label"])[0].get_color()
    ax.set_xlabel("step (log)"), ax.set_title(f"1-{net.m}-1 tanh, init std 1e-3, {len(net.x)} points", fontsize=9)
    ax.legend(fontsize=7)
    ax = axes[1]
    for r in results:
        ax.semilogy(spectrum(net, r["theta"]), lw=1, c=colors[r["label"]], label=r["label"])
        if r["candidates"]:
            ax.axhline(r["candidates"][0]["tol"], ls="--", lw=0.8, c=colors[r["label"]])
    ax.set_xlabel("rank"), ax.set_ylabel("neuron sizes, pairwise distances")
    ax.set_title("distance spectrum (dashed: the auto tolerance)", fontsize=9), ax.legend(fontsize=7)
    for ax, r in zip(axes[2:], results):
        w, b, a, c = net.unpack(r["theta"])
        amp = np.abs(a) * np.hypot(w, b)
        ax.scatter(orientation(w, b), amp, s=12, color=colors[r["label"]])
        e = r["explanation"]
        tag = "no certified claim"
        if e is not None:
            for g in e.condensation.groups[0]:  # the neurons kept in the narrow network (one per group)
                mem = list(g.members)
                ax.scatter(orientation(w[mem], b[mem]), amp[mem], s=60, facecolors="none", edgecolors="k")
            if e.critical:
                tag = f"certified: width {e.condensation.narrow_widths[1]}, distance {float(e.distance):.2f}"
        ax.set_yscale("log"), ax.set_xlim(-np.pi / 2, np.pi / 2)
        ax.set_xlabel("orientation of (w, b) (sign-reduced)"), ax.set_ylabel("amplitude |a|·‖(w,b)‖")
        ax.set_title(f"{r['label']} (step {r['step']}): {tag}", fontsize=9)
    for ax in axes[panels:]:
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(FIG / "embedding_principle.png", dpi=100)
    plt.close(fig)


def main(m: int = 50, n: int = 30, steps: int = 40000, lr: float = 0.02, init: float = 1e-3, seed: int = 0,
         lbfgs: int = 5000, figures: bool = True, max_plateaus: int = 3) -> list[dict]:
    """Train, find the plateaus, explain the plateau snapshots and the end point; returns the verdicts."""
    x, y = make_data(n)
    net = Net(m, x, y)
    t0 = time.perf_counter()
    losses, grads, thetas, end = train(net, steps, lr, init, seed, lbfgs)
    print(f"trained in {time.perf_counter() - t0:.1f} s: {steps} GD steps, {len(losses) - steps} L-BFGS steps, "
          f"final loss {losses[-1]:.3e}")
    plateaus = sorted(plateau_steps(losses[:steps], grads[:steps])[:max_plateaus])
    points = [(f"plateau {i + 1}", k, thetas[k]) for i, k in enumerate(plateaus)] + [("end", len(losses) - 1, end)]
    results = [verdict(net, label, k, th, grads[k], losses[k]) for label, k, th in points]
    if figures:
        plot(net, losses, grads, steps, results)
    print(f"total {time.perf_counter() - t0:.1f} s")
    return results


if __name__ == "__main__":
    main()
    sys.exit(0)
