"""agentruns: typed clients for the "get an agent run" APIs of hosted agent platforms."""

__version__ = "0.1.0"
