"""Lifts: width embeddings (SPEC §1) and depth liftings (SPEC §2) as immutable objects."""

from exactlift.lifts.width import (
    CompatibleEmbedding,
    LinearMap,
    NullNeuron,
    OddSplitNeuron,
    Permute,
    SplitNeuron,
    WidthLift,
    compose,
)
from exactlift.lifts.depth import (  # depth lifting (SPEC §2)
    CriticalLift,
    DepthLift,
    IdentityLift,
    critical_lift,
    layer_linearization,
    prune_layer,
)

__all__ = [
    "CompatibleEmbedding",
    "CriticalLift",
    "DepthLift",
    "IdentityLift",
    "LinearMap",
    "NullNeuron",
    "OddSplitNeuron",
    "Permute",
    "SplitNeuron",
    "WidthLift",
    "compose",
    "critical_lift",
    "layer_linearization",
    "prune_layer",
]
