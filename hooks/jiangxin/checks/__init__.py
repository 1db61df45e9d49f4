"""The checks every record, page and file passes: YAML source, schema validation, Markdown bounds,
privacy, and the content policy's three gates (files, hand-written pages, the built site).

Imports only `records`, `problems` and `text`.
"""
