"""The console log's format: one record, one line of key=value pairs, tracebacks included.

A log collector splits its input at newlines; a traceback printed the usual way, one frame per
line, would arrive as many records with no level or logger. Here the message and the traceback
are written as Python string literals, so that their newlines travel escaped (\\n) on the line.
"""

import logging


class LogfmtFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("time=%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)r")

    def format(self, record):
        record.message = record.getMessage()
        record.asctime = self.formatTime(record, self.datefmt)
        line = self.formatMessage(record)
        if record.exc_info:
            kind = record.exc_info[0]
            name = (
                kind.__qualname__
                if kind.__module__ == "builtins"
                else (f"{kind.__module__}.{kind.__qualname__}")
            )
            line += f" exc_type={name} exc={self.formatException(record.exc_info)!r}"
        if record.stack_info:
            line += f" stack={self.formatStack(record.stack_info)!r}"
        return line
