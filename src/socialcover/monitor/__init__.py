"""Monitoring: indicators, observations, aggregates, targets and evaluations."""
