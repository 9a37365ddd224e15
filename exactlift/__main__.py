"""``python -m exactlift``: the same as the ``exactlift`` console script.

Python imports the package (``exactlift/__init__.py``) before it runs this module, so a Ctrl-C in
that first second is outside any handler here; the console script (:mod:`exactlift_launch`)
covers that window too.  Example: ``python -m exactlift examples --list``.
"""

import sys

from exactlift_launch import main

sys.exit(main())
