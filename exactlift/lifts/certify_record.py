"""``certify`` of a case file written by ``exactlift lift``: the theory applied to the recorded narrow point.

The record (:mod:`exactlift.lifts.record`) is replayed and checked to reproduce the file exactly;
then the narrow point is certified (Krawczyk, :func:`~exactlift.certify.critical.certify_critical_point`),
embedded by the recorded steps, and the wide point is classified through the kernel directions the
embedding theorems force (:func:`~exactlift.certify.embedded.certify_embedded_point` for splits,
permutations and null neurons; :func:`~exactlift.certify.depth.certify_depth_point` for one depth
insert).  Nothing is re-detected from the wide parameters.

The certified point is T θ* (θ* the narrow critical point, within ``radius_narrow`` of the narrow
centre c); ``center`` is T c (exact), ``radius`` a max-norm bound of |T θ* − T c| (‖T‖∞ · r for the
width steps; the lifted box's half-width for a depth insert), ``distance`` ≤ ‖θ_file − T c‖∞ + radius.

Failure modes: the record's :class:`~exactlift.errors.InputError` (one line naming the field);
a depth insert combined with other steps is answered ``critical: null`` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from exactlift.certify.critical import CriticalCertificate, certify_critical_point
from exactlift.certify.depth import certify_depth_point
from exactlift.certify.embedded import EmbeddedCertificate, certify_embedded_point
from exactlift.lifts.depth.lifting import CriticalLift
from exactlift.lifts.record import RECORD_KEY, record_lifts, replay
from exactlift.nn.case import Case
from exactlift.nn.network import Params

__all__ = ["RecordedCertificate", "certify_lifted", "certify_recorded", "has_record"]


def has_record(case: Case) -> bool:
    """Whether the case file carries a lift record (``exactlift lift`` writes one)."""
    return RECORD_KEY in case.extra


@dataclass
class RecordedCertificate:
    """The wide point's certificate, with the narrow one it comes from."""

    critical: bool | None
    inertia: tuple[int, int, int] | None
    radius: Fraction | None
    distance: Fraction | None
    center: list[Fraction] | None
    narrow: CriticalCertificate
    embedded: EmbeddedCertificate | None
    steps: list[Any]
    refined: Case | None
    reason: str = ""
    source: str = "record"  # where the lifts come from: the file's "record", or "detected" exactly
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        e = self.embedded
        return {"critical": self.critical,
                "radius": None if self.radius is None else f"{float(self.radius):.6e}",
                "distance": None if self.distance is None else f"{float(self.distance):.6e}",
                "center": None if self.center is None else [_dec(v) for v in self.center],
                "inertia": list(self.inertia) if self.inertia else None, "strength": "certified",
                "loss": self.narrow.to_json().get("loss"), "reason": self.reason or None,
                "from_record": self.source == "record", "lifts_from": self.source, "lifts": [str(s) for s in self.steps],
                "theorem": e.theorem if e else None, "forced_kernel": e.forced_kernel if e else None,
                "narrow": self.narrow.to_json(), "seconds": round(sum(self.narrow.times.values()) + (e.seconds if e else 0), 4)}

    def summary(self) -> str:
        """The human-readable lines of ``exactlift certify`` on a recorded file."""
        how = "the file's record" if self.source == "record" else "the lifts detected exactly in the wide point"
        verdict = {True: "a critical point exists", False: "no critical point", None: "undecided"}[self.critical]
        lines = ["claim:     the lifts of a certified narrow critical point θ* give a true critical "
                 "point of this network within radius of the centre; its Hessian inertia (embedding theorems: "
                 "forced kernel + ball arithmetic on a complement)",
                 f"narrow:    {self.narrow.critical and 'certified critical'} (radius {self.narrow.radius}, inertia "
                 f"{tuple(self.narrow.inertia) if self.narrow.inertia else None}), lifted by {how}: "
                 + "; ".join(str(s) for s in self.steps),
                 f"critical:  {verdict} [certified]"]
        if self.embedded:
            lines.append(f"theorem:   {self.embedded.theorem}")
        if self.radius is not None:
            lines.append(f"radius:    {float(self.radius):.6e} (max-norm, around the embedded centre)")
        if self.distance is not None:
            lines.append(f"distance:  {float(self.distance):.6e} (upper bound from the file's parameters)")
        if self.inertia:
            lines.append(f"inertia:   (n₋, n₀, n₊) = {tuple(self.inertia)} (forced kernel "
                         f"{self.embedded.forced_kernel if self.embedded else '?'})")
        if self.reason:
            lines.append(f"reason:    {self.reason}")
        return "\n".join(lines)


def _dec(x: Fraction, digits: int = 40) -> str:
    """``x`` as a decimal string rounded to ``digits`` places (the centre is exact; this is its display)."""
    scaled = round(abs(x) * 10**digits)
    s = str(scaled).rjust(digits + 1, "0")
    return ("-" if x < 0 else "") + s[:-digits] + "." + s[-digits:]


def _width_norm(steps: list[Any], arch: Any) -> Fraction:
    """‖T‖∞ of the composition, bounded by the product of the steps' row-sum norms."""
    norm = Fraction(1)
    for s in steps:
        rows = s.linear_map(arch).rows
        norm *= max((sum(abs(Fraction(t)) for _, t in row) for row in rows), default=Fraction(0)) or Fraction(1)
        arch = s.wide_architecture(arch)
    return norm


def _depth_radius(lift: Any, narrow_case: Case, center: list[Fraction], r: Fraction) -> Fraction:
    """Half-width of the lifted box: the lift is affine in θ (fixed A, c), column i moves it by |col_i| r."""
    def deep(theta: list[Fraction]) -> list[Fraction]:
        c = narrow_case.with_params(narrow_case.arch, Params.from_flat(narrow_case.arch, theta))
        return [Fraction(v) for v in lift.apply_case(c).params.flatten()]
    base = deep(center)
    total = [Fraction(0)] * len(base)
    for i in range(len(center)):
        e = list(center)
        e[i] += 1
        for k, (a, b) in enumerate(zip(deep(e), base)):
            total[k] += abs(a - b)
    return max(total) * r


def certify_recorded(case: Case, digits: int = 40, max_distance: Any = "auto") -> RecordedCertificate:
    """Certify a recorded case file through its narrow point (see the module).

    >>> from exactlift.nn.case import load_case
    >>> from exactlift.gallery import example_path
    >>> from exactlift.lifts.width import SplitNeuron
    >>> wide = record_lifts(load_case(example_path("tanh-minimum")), [SplitNeuron(1, 0, 2)])
    >>> res = certify_recorded(wide)
    >>> res.critical, res.inertia, res.embedded.forced_kernel
    (True, (1, 1, 5), 1)
    """
    narrow_case, steps = replay(case)
    return certify_lifted(case, narrow_case, steps, digits, max_distance, "record")


def certify_lifted(case: Case, narrow_case: Case, steps: list[Any], digits: int = 40, max_distance: Any = "auto",
                   source: str = "record") -> RecordedCertificate:
    """Certify ``case``, known to be ``steps`` applied to ``narrow_case`` (checked by the caller), through the narrow point.

    ``source``: ``"record"`` (the file's lift record) or ``"detected"`` (found exactly in the wide point).
    """
    cert = certify_critical_point(narrow_case, digits=digits, max_distance=max_distance)
    if cert.critical is not True:
        return RecordedCertificate(None, None, None, None, None, cert, None, steps, None,
                                   f"the narrow point is not certified critical: {cert.reason}", source)
    center = list(cert.center_exact)
    r = Fraction(cert.radius)
    centered = narrow_case.with_params(narrow_case.arch, Params.from_flat(narrow_case.arch, center))
    depth = [s for s in steps if isinstance(s, CriticalLift)]
    if depth and len(steps) > 1:
        return RecordedCertificate(None, None, None, None, None, cert, None, steps, None,
                                   "a depth insert combined with other lifts: not handled (undecided)", source)
    if depth:
        emb = certify_depth_point(narrow_case, cert, depth[0])
        radius = _depth_radius(depth[0], narrow_case, center, r)
    else:
        emb = certify_embedded_point(narrow_case, cert, steps)
        radius = _width_norm(steps, narrow_case.arch) * r
    wide = record_lifts(centered, steps)
    wide_center = [Fraction(v) for v in wide.params.flatten()]
    dist = max(abs(Fraction(a) - b) for a, b in zip(case.params.flatten(), wide_center)) + radius
    return RecordedCertificate(emb.critical, emb.inertia, radius, dist, wide_center, cert, emb, steps,
                               wide.with_params(wide.arch, wide.params, name=case.name), emb.reason, source)
