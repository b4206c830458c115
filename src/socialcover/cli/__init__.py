"""The command line: a thin adapter that parses arguments, calls one public domain function
and renders its result (Rich tables, JSON, CSV)."""
