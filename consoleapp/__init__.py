"""Expert Console: the expert's desktop business console, its engine and its sync server."""

__version__ = "0.1.0"
