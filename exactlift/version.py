"""The version of exactlift, in a module of its own so that any part of the package can read it.

``exactlift.__version__`` is the same string; modules inside the package read
it from here, because importing the package itself from one of its modules
would be an import cycle.

>>> __version__
'0.1.0'
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
