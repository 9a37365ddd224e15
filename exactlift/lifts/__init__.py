"""Lifts: width embeddings (docs/width.md) and depth liftings (docs/depth.md) as immutable objects."""

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
from exactlift.lifts.depth import (  # depth lifting (docs/depth.md)
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
