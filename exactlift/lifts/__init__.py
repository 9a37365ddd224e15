from exactlift.lifts.depth import CriticalLift, DepthLift, IdentityLift, critical_lift, layer_linearization, prune_layer  # noqa: E402,F401  depth lifting (SPEC §2)
