"""MkDocs' English warnings explained in Chinese in `mkdocs build` and `mkdocs serve` too.

publish.py explains MkDocs' lines after the fact (`mkdocsyml.explain`); editors who run
`scripts/serve.sh` or plain `mkdocs build` read MkDocs' own log. The hook attaches
`ChineseLines` to the `mkdocs` logger after MkDocs' own StreamHandler (handlers run in the
order added, and both see records of child loggers such as `mkdocs.structure.pages`), so
each warning the table knows is followed by its Chinese line. It writes to the stream and
logs nothing: strict mode counts log records (`mkdocs.utils.CountHandler`), so a strict
build fails exactly as before.

Not covered: what MkDocs logs while reading mkdocs.yml (an unknown setting), before any
hook event, and the final "Aborted with … in strict mode!", which click prints after the
hook's last event; publish.py still explains those.
"""

from __future__ import annotations

import logging

from jiangxin.engine.mkdocsyml import Config, explain

NAME = "jiangxin-chinese-warnings"


class ChineseLines(logging.StreamHandler):
    """Writes the Chinese explanation of a known MkDocs warning, nothing for any other record."""

    def __init__(self) -> None:
        super().__init__()  # sys.stderr, where MkDocs' own StreamHandler writes
        self.name = NAME
        self.setLevel(logging.WARNING)
        self.config = Config()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = explain(record.getMessage(), self.config)
            if text:
                self.stream.write(text + self.terminator)
                self.flush()
        except Exception:
            self.handleError(record)
