"""The records: what kinds exist (registry), their immutable model, the schema catalogue, ids and slugs.

The lowest floor above `problems` and `text`: it imports nothing else of the package.
"""
