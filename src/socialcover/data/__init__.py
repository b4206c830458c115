"""The reference data pack and its query API."""
