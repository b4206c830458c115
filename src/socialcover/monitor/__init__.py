"""Monitoring: indicator observations, aggregates, targets and progress."""
