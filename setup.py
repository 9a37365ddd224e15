"""Build configuration beyond pyproject.toml: ship the theorem cards of ``proofs/`` as ``exactlift.proofs``.

The cards' home in the repository is ``proofs/``; installed (editable or not), they are the
subpackage ``exactlift.proofs``, so ``exactlift prove --all`` works from any directory.
Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["exactlift*"]) + ["exactlift.proofs"],
    package_dir={"exactlift.proofs": "proofs"},
)
