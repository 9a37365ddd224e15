"""Independent 100-digit reference: an mpmath MLP gradient (own back-propagation, not exactlift's),
a central-difference Hessian, Newton to |grad| < 1e-90 and mpmath.eigsy eigenvalues."""

from __future__ import annotations

from fractions import Fraction

import mpmath

FUN = {
    "tanh": (mpmath.tanh, lambda z: 1 - mpmath.tanh(z) ** 2),
    "sigmoid": (lambda z: 1 / (1 + mpmath.exp(-z)), lambda z: mpmath.exp(-z) / (1 + mpmath.exp(-z)) ** 2),
    "softplus": (lambda z: mpmath.log(1 + mpmath.exp(z)), lambda z: 1 / (1 + mpmath.exp(-z))),
    "relu": (lambda z: max(z, mpmath.mpf(0)), lambda z: mpmath.mpf(1) if z > 0 else mpmath.mpf(0)),
}


def _unflatten(widths, flat):
    Ws, bs, pos = [], [], 0
    for l in range(len(widths) - 1):
        a, b = widths[l + 1], widths[l]
        Ws.append([[flat[pos + i * b + j] for j in range(b)] for i in range(a)])
        pos += a * b
        bs.append(list(flat[pos:pos + a]))
        pos += a
    return Ws, bs


def loss_grad(widths, act, X, Y, flat):
    """``act``: one activation name for every hidden layer, or a list (one per hidden layer)."""
    Ws, bs = _unflatten(widths, flat)
    L = len(Ws)
    acts = [act] * (L - 1) if isinstance(act, str) else list(act)
    n = len(X)
    gW = [[[mpmath.mpf(0)] * len(W[0]) for _ in W] for W in Ws]
    gb = [[mpmath.mpf(0)] * len(b) for b in bs]
    total = mpmath.mpf(0)
    for x, y in zip(X, Y):
        hs, zs = [list(x)], []
        for l in range(L):
            z = [mpmath.fsum(Ws[l][i][j] * hs[-1][j] for j in range(len(hs[-1]))) + bs[l][i] for i in range(len(bs[l]))]
            zs.append(z)
            hs.append([FUN[acts[l]][0](v) for v in z] if l < L - 1 else z)
        total += mpmath.fsum((a - b) ** 2 for a, b in zip(hs[-1], y))
        delta = [2 * (a - b) for a, b in zip(hs[-1], y)]
        for l in range(L - 1, -1, -1):
            for i in range(len(delta)):
                gb[l][i] += delta[i]
                for j in range(len(hs[l])):
                    gW[l][i][j] += delta[i] * hs[l][j]
            if l:
                delta = [mpmath.fsum(Ws[l][i][j] * delta[i] for i in range(len(delta))) * FUN[acts[l - 1]][1](zs[l - 1][j])
                         for j in range(len(hs[l]))]
    g = []
    for l in range(L):
        g.extend(v / n for row in gW[l] for v in row)
        g.extend(v / n for v in gb[l])
    return total / n, g


def reference(case, dps=110):
    """(θ*, loss, eigenvalues) of the critical point Newton finds from the case's parameters, at ``dps``."""
    widths = list(case.arch.widths)
    act = case.arch.activations[0].spec if case.arch.activations else "tanh"
    with mpmath.workdps(dps):
        q = lambda v: mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator
        X = [[q(v) for v in r] for r in case.X]
        Y = [[q(v) for v in r] for r in case.Y]
        x = [q(v) for v in case.params.flatten()]
        P = len(x)
        h = mpmath.mpf(10) ** -45
        for _ in range(30):
            _, g = loss_grad(widths, act, X, Y, x)
            if max(abs(v) for v in g) < mpmath.mpf(10) ** -95:
                break
            H = mpmath.matrix(P, P)
            for k in range(P):
                xp = list(x); xp[k] += h
                xm = list(x); xm[k] -= h
                gp, gm = loss_grad(widths, act, X, Y, xp)[1], loss_grad(widths, act, X, Y, xm)[1]
                for i in range(P):
                    H[i, k] = (gp[i] - gm[i]) / (2 * h)
            s = mpmath.lu_solve(H, mpmath.matrix(g))
            x = [x[i] - s[i] for i in range(P)]
        loss, g = loss_grad(widths, act, X, Y, x)
        assert max(abs(v) for v in g) < mpmath.mpf(10) ** -90
        H = mpmath.matrix(P, P)
        for k in range(P):
            xp = list(x); xp[k] += h
            xm = list(x); xm[k] -= h
            gp, gm = loss_grad(widths, act, X, Y, xp)[1], loss_grad(widths, act, X, Y, xm)[1]
            for i in range(P):
                H[i, k] = (gp[i] - gm[i]) / (2 * h)
        H = (H + H.T) / 2
        ev = mpmath.eigsy(H, eigvals_only=True)
        return x, loss, sorted(ev)


def hessian_eigenvalues(widths, act, case, x, dps=110):
    """Eigenvalues of the central-difference Hessian of the risk of ``widths`` at ``x`` (mpf list)."""
    with mpmath.workdps(dps):
        q = lambda v: mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator
        X = [[q(v) for v in r] for r in case.X]
        Y = [[q(v) for v in r] for r in case.Y]
        P = len(x)
        h = mpmath.mpf(10) ** -45
        H = mpmath.matrix(P, P)
        for k in range(P):
            xp = list(x); xp[k] += h
            xm = list(x); xm[k] -= h
            gp, gm = loss_grad(widths, act, X, Y, xp)[1], loss_grad(widths, act, X, Y, xm)[1]
            for i in range(P):
                H[i, k] = (gp[i] - gm[i]) / (2 * h)
        return sorted(mpmath.eigsy((H + H.T) / 2, eigvals_only=True))
