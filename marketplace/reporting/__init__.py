"""Reporting: the municipality's indicators, disclosure control, exports."""
