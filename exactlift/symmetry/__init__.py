"""Symmetry-induced affine subspaces of two-layer networks (docs/symmetry.md; Şimşek et al., ICML 2021).

* :mod:`~exactlift.symmetry.counts` — closed forms G(r, m), T_single(r, m),
  T_groups(r, m) (exact big integers), Stirling and Bell numbers.
* :mod:`~exactlift.symmetry.subspaces` — the subspaces as objects
  (:class:`Subspace`) with exact affine equations; their enumeration.
* :mod:`~exactlift.symmetry.graph` — the networkx connectivity graph.
* :mod:`~exactlift.symmetry.asymptotics` — exact ratio G(r*−1, m)/T(r*, m),
  crossover width, plot.
* :mod:`~exactlift.symmetry.twolayer` — the two-layer bias-free network as a
  view of the core network and derivatives (:class:`TwoLayerPoint` ↔ core
  ``Params``).
* :mod:`~exactlift.symmetry.critical_data` — a non-global critical point θ*
  (docs/mathematics.md) and the critical part of a replication subspace.
* :mod:`~exactlift.symmetry.criticality` — subspaces implement the teacher
  (symbolic); criticality at a non-global critical point (exact); reports
  carrying a :class:`~exactlift.certify.Certificate`.
* :mod:`~exactlift.symmetry.multilayer` — the Π r_l! permuted minima.

See docs/symmetry.md for the two readings of T and the strength of every claim.
"""

from exactlift.symmetry.asymptotics import (
    Crossover,
    count_ratio,
    crossover_table,
    crossover_width,
    plot_counts,
    ratio_series,
)
from exactlift.symmetry.counts import (
    QUANTITIES,
    bell,
    count,
    count_G,
    count_T_groups,
    count_T_single,
    is_paper_value,
    stirling2,
)
from exactlift.symmetry.critical_data import CriticalData, critical_part, make_critical_data, residual_matrices
from exactlift.symmetry.criticality import (
    CriticalityReport,
    check_implements_teacher,
    check_replication_criticality,
    check_subspace_criticality,
    check_zero_type_noncritical,
)
from exactlift.symmetry.graph import (
    blue_green_structure,
    connectivity_graph,
    diameter_by_orbits,
    graph_statistics,
    star_cayley_graph,
    subspace_neighbors,
)
from exactlift.symmetry.multilayer import (
    check_multilayer_minima,
    count_multilayer_minima,
    enumerate_permuted_minima,
)
from exactlift.symmetry.subspaces import (
    AffineSystem,
    Subspace,
    Teacher,
    default_teacher,
    enumerate_replications,
    enumerate_subspaces,
    intersects,
    intersects_exact,
    subspace_dimension,
)
from exactlift.symmetry.twolayer import (
    DEFAULT_ACTIVATION,
    RationalActivation,
    TwoLayerPoint,
    output_jacobian_rows,
    risk_and_gradient,
    two_layer_architecture,
)

__all__ = [
    "QUANTITIES",
    "AffineSystem",
    "Crossover",
    "CriticalData",
    "CriticalityReport",
    "DEFAULT_ACTIVATION",
    "RationalActivation",
    "Subspace",
    "Teacher",
    "TwoLayerPoint",
    "bell",
    "blue_green_structure",
    "check_implements_teacher",
    "check_multilayer_minima",
    "check_replication_criticality",
    "check_subspace_criticality",
    "check_zero_type_noncritical",
    "connectivity_graph",
    "count",
    "count_G",
    "count_T_groups",
    "count_T_single",
    "count_multilayer_minima",
    "count_ratio",
    "critical_part",
    "crossover_table",
    "crossover_width",
    "default_teacher",
    "diameter_by_orbits",
    "enumerate_permuted_minima",
    "enumerate_replications",
    "enumerate_subspaces",
    "graph_statistics",
    "intersects",
    "intersects_exact",
    "is_paper_value",
    "make_critical_data",
    "output_jacobian_rows",
    "plot_counts",
    "ratio_series",
    "residual_matrices",
    "risk_and_gradient",
    "star_cayley_graph",
    "stirling2",
    "subspace_dimension",
    "subspace_neighbors",
    "two_layer_architecture",
]
