"""A float64 numpy trainer (independent of exactlift's derivative code) to make candidates."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

ACTS = {
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "softplus": (lambda z: np.log1p(np.exp(z)), lambda z: 1 / (1 + np.exp(-z))),
}


def unflatten(widths, flat):
    Ws, bs, pos = [], [], 0
    for l in range(len(widths) - 1):
        a, b = widths[l + 1], widths[l]
        Ws.append(np.array(flat[pos:pos + a * b], dtype=float).reshape(a, b))
        pos += a * b
        bs.append(np.array(flat[pos:pos + a], dtype=float))
        pos += a
    return Ws, bs


def gradient(widths, act, X, Y, flat):
    Ws, bs = unflatten(widths, flat)
    return _grad(Ws, bs, act, X, Y)


def _grad(Ws, bs, act, X, Y):
    f, df = ACTS[act]
    n = X.shape[0]
    hs, zs = [X], []
    for l in range(len(Ws)):
        z = hs[-1] @ Ws[l].T + bs[l]
        zs.append(z)
        hs.append(f(z) if l < len(Ws) - 1 else z)
    delta = 2 * (hs[-1] - Y) / n
    out = []
    for l in range(len(Ws) - 1, -1, -1):
        out = list((delta.T @ hs[l]).ravel()) + list(delta.sum(0)) + out
        if l:
            delta = (delta @ Ws[l]) * df(zs[l - 1])
    return np.array(out)


#: second derivatives of the activations (for the analytic one-hidden-layer Hessian)
D2 = {
    "tanh": lambda z: -2 * np.tanh(z) * (1 - np.tanh(z) ** 2),
    "sigmoid": lambda z: (lambda s: s * (1 - s) * (1 - 2 * s))(1 / (1 + np.exp(-z))),
    "softplus": lambda z: (lambda s: s * (1 - s))(1 / (1 + np.exp(-z))),
}


def hessian1(widths, act, X, Y, flat):
    """The analytic float64 Hessian of a one-hidden-layer mse net (Gauss–Newton + second-order terms)."""
    d, m, K = widths
    f, df = ACTS[act]
    (W1, W2), (b1, b2) = unflatten(widths, flat)
    n = X.shape[0]
    Xt = np.hstack([X, np.ones((n, 1))])
    Z = Xt @ np.vstack([W1.T, b1[None, :]])
    S, S1, S2 = f(Z), df(Z), D2[act](Z)
    A = np.hstack([S, np.ones((n, 1))])
    G = 2 * (A @ np.vstack([W2.T, b2[None, :]]) - Y)
    B = G @ W2
    P, off = m * (d + 1) + K * (m + 1), m * (d + 1)
    idx1 = np.array([[j * d + a if a < d else m * d + j for a in range(d + 1)] for j in range(m)])
    J = np.zeros((n, K, P))
    J[:, :, idx1.ravel()] = (W2[None, :, :, None] * S1[:, None, :, None] * Xt[:, None, None, :]).reshape(n, K, -1)
    for k in range(K):
        J[:, k, [off + k * m + c for c in range(m)] + [off + K * m + k]] = A
    J = J.reshape(n * K, P)
    H = 2 * J.T @ J
    C = B * S2
    for j in range(m):
        H[np.ix_(idx1[j], idx1[j])] += Xt.T @ (C[:, j, None] * Xt)
        T = G.T @ (S1[:, j, None] * Xt)  # K × (d+1)
        for k in range(K):
            H[off + k * m + j, idx1[j]] += T[k]
            H[idx1[j], off + k * m + j] += T[k]
    return H / n


def polish(widths, act, X, Y, flat, iters=60):
    """Levenberg–Marquardt on the gradient with the analytic (one hidden layer) or a finite-difference Hessian."""
    x = np.array(flat, dtype=float)
    g = gradient(widths, act, X, Y, x)
    mu = 1e-8
    for _ in range(iters):
        if np.abs(g).max() < 1e-13:
            break
        if len(widths) == 3:
            H = hessian1(widths, act, X, Y, x)
        else:
            h = 1e-6
            H = np.array([(gradient(widths, act, X, Y, x + h * e) - gradient(widths, act, X, Y, x - h * e))
                          / (2 * h) for e in np.eye(len(x))])
        H = (H + H.T) / 2
        s = np.linalg.lstsq(H.T @ H + mu * np.eye(len(x)), -H.T @ g, rcond=None)[0]
        g2 = gradient(widths, act, X, Y, x + s)
        if np.abs(g2).max() < np.abs(g).max():
            x, g, mu = x + s, g2, max(mu / 10, 1e-15)
        else:
            mu *= 10
    return list(x)


def train(widths, act, X, Y, steps=4000, lr=0.01, seed=0):
    """Full-batch Adam on MSE (mean over samples of |f - y|^2); returns flat params (canonical order)."""
    rng = np.random.default_rng(seed)
    f, df = ACTS[act]
    Ws = [rng.normal(size=(widths[l + 1], widths[l])) / np.sqrt(widths[l]) for l in range(len(widths) - 1)]
    bs = [rng.normal(size=widths[l + 1]) * 0.1 for l in range(len(widths) - 1)]
    params = Ws + bs
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    n = X.shape[0]
    for t in range(1, steps + 1):
        hs, zs = [X], []
        for l in range(len(Ws)):
            z = hs[-1] @ Ws[l].T + bs[l]
            zs.append(z)
            hs.append(f(z) if l < len(Ws) - 1 else z)
        delta = 2 * (hs[-1] - Y) / n
        gW, gb = [None] * len(Ws), [None] * len(Ws)
        for l in range(len(Ws) - 1, -1, -1):
            gW[l] = delta.T @ hs[l]
            gb[l] = delta.sum(0)
            if l:
                delta = (delta @ Ws[l]) * df(zs[l - 1])
        grads = gW + gb
        for i, (p, g) in enumerate(zip(params, grads)):
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            p -= lr * (m[i] / (1 - 0.9**t)) / (np.sqrt(v[i] / (1 - 0.999**t)) + 1e-12)
    flat = []
    for l in range(len(Ws)):
        flat.extend(Ws[l].ravel().tolist())
        flat.extend(bs[l].tolist())
    return polish([w.shape[1] for w in Ws] + [Ws[-1].shape[0]], act, X, Y, flat)


def make_candidate(widths, act, n, seed=0, steps=3000, noise=0.05, scale=0.7, start=None):
    """Teacher-student data (inputs on a 1/8 grid, teacher outputs + noise rounded to 1/64) and a
    float candidate near a student minimum, as a case dict with decimal strings."""
    from exactlift.nn.network import Architecture, Params

    rng = np.random.default_rng(seed + 100)
    X = np.round(rng.normal(size=(n, widths[0])) * 8) / 8
    teacher = rng.normal(size=sum(widths[l + 1] * (widths[l] + 1) for l in range(len(widths) - 1))) * scale
    Wt, bt = unflatten(widths, teacher)
    f, _ = ACTS[act]
    h = X
    for l in range(len(Wt)):
        h = h @ Wt[l].T + bt[l]
        if l < len(Wt) - 1:
            h = f(h)
    Y = np.round((h + noise * rng.normal(size=h.shape)) * 1024) / 1024
    init = teacher if start is None else np.random.default_rng(seed + 7).normal(size=teacher.size) * start
    flat = polish(widths, act, X, Y, list(init), iters=100)
    arch = Architecture.build(widths, act)
    p = Params.from_flat(arch, [Fraction(repr(float(x))) for x in flat])
    return {"network": {"widths": list(widths), "activation": act, "loss": "mse",
                        "params": p.to_lists(),
                        "data": {"x": [[str(Fraction(v)) for v in r] for r in X.tolist()],
                                 "y": [[str(Fraction(v)) for v in r] for r in Y.tolist()]}}}


def well_conditioned(widths, act, n, seeds=range(20), min_eig=1e-3, **kw):
    """The first candidate whose float64 gradient is < 1e-10 and Hessian eigenvalues exceed min_eig in size."""
    for seed in seeds:
        d = make_candidate(widths, act, n, seed=seed, **kw)
        X = np.array([[float(Fraction(v)) for v in r] for r in d["network"]["data"]["x"]])
        Y = np.array([[float(Fraction(v)) for v in r] for r in d["network"]["data"]["y"]])
        from exactlift.nn.case import case_from_dict

        case = case_from_dict(d)
        x = np.array([float(v) for v in case.params.flatten()])
        g = gradient(widths, act, X, Y, x)
        if not np.all(np.isfinite(g)) or np.abs(g).max() > 1e-10:
            continue
        h = 1e-5
        H = np.array([(gradient(widths, act, X, Y, x + h * e) - gradient(widths, act, X, Y, x - h * e)) / (2 * h)
                      for e in np.eye(len(x))])
        ev = np.linalg.eigvalsh((H + H.T) / 2)
        if np.abs(ev).min() > min_eig:
            return d, ev
    raise RuntimeError("no well-conditioned candidate")
