"""Testing helpers shipped with exactlift: Hypothesis strategies (:mod:`exactlift.testing.strategies`)."""
