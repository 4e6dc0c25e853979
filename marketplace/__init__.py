"""Buurtmakelaar: brokering informal neighbourhood help for Welzijn Nieuwe Stijl."""

__version__ = "0.1.0"
