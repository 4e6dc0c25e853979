"""Matching: ranked, explained candidates for a help request, and batch assignment.

Pure modules (standard library, geopy and ``marketplace.geo`` only; an import-linter contract
holds them to that): ``geometry``, ``profiles``, ``reasons``, ``scorers``, ``rules`` and
``core``. ``batch`` is free of Flask and SQLAlchemy too but uses numpy/scipy for the sparse
assignment. ``models``, ``index`` and ``service`` are the database side; ``service`` is the
only adapter between the database and the pure core.

This package initialiser imports nothing, so importing a pure module never drags in the
database side.
"""
