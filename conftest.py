"""Test-session set-up shared by the whole suite.

SymPy picks its ground types (python, gmpy, flint) at import time; exactlift
does not depend on them for any decision, but we pin them so that timings and
printed forms are reproducible across machines (DESIGN: pin
SYMPY_GROUND_TYPES in CI).  A user may override by exporting the variable.
"""

import os

os.environ.setdefault("SYMPY_GROUND_TYPES", "python")
