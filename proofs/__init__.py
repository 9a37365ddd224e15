"""The theorem cards shipped with exactlift (installed as ``exactlift.proofs``; see docs/cards.md).

Each ``*.py`` file here not starting with ``_`` is one card; ``exactlift prove --all`` runs them
all, from any directory.  The cards are not imported as modules of this package: the runner
loads each file on its own (:func:`exactlift.theorems.runner.load_card`).
"""
