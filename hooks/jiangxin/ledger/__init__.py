"""The Excel ledger, a side wing: layout, reading, writing back to YAML, import and export.

Uses records, checks and the loader; never the site builders.
"""
