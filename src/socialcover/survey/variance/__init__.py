"""Variance estimators: Taylor linearisation (:mod:`.taylor`) and replicates (:mod:`.replicate`)."""
