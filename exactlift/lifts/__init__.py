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

__all__ = [
    "CompatibleEmbedding",
    "LinearMap",
    "NullNeuron",
    "OddSplitNeuron",
    "Permute",
    "SplitNeuron",
    "WidthLift",
    "compose",
]
from exactlift.lifts.depth import CriticalLift, DepthLift, IdentityLift, critical_lift, layer_linearization, prune_layer  # noqa: E402,F401  depth lifting (SPEC §2)
