"""The build engine that the MkDocs hook drives: the session across `serve` rebuilds, the build's steps,
the search index, build date, memory and timing. Free of MkDocs: the hook passes plain values in.
"""
