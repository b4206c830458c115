"""Monitoring: indicator observations, targets, progress and evaluations."""
