"""The console log: one line per record, tracebacks included, as a log collector reads it."""

import logging
import sys

from talks_site.logging import LogfmtFormatter


def console_handler():
    """The console handler the LOGGING setting gave the root logger."""
    handlers = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    assert len(handlers) == 1, logging.getLogger().handlers
    return handlers[0]


def record_of(exception, message):
    try:
        raise exception
    except type(exception):
        exc_info = sys.exc_info()
    return logging.getLogger("talks.test").makeRecord(
        "talks.test", logging.ERROR, __file__, 1, message, (), exc_info
    )


def test_an_exception_is_one_line_with_its_type_and_its_escaped_traceback():
    handler = console_handler()
    assert isinstance(handler.formatter, LogfmtFormatter)

    line = handler.format(record_of(ValueError("bad\nvalue"), "Crashed on\n%s"))

    assert "\n" not in line
    assert line.startswith("time=")
    assert " level=ERROR logger=talks.test msg='Crashed on\\n%s'" in line
    assert " exc_type=ValueError exc='Traceback (most recent call last):\\n" in line
    assert "in record_of\\n    raise exception\\n" in line
    assert line.endswith("ValueError: bad\\nvalue'")


def test_a_project_exception_is_named_with_its_module():
    class Refused(Exception):
        pass

    line = LogfmtFormatter().format(record_of(Refused("no"), "Refused"))

    assert "\n" not in line
    name = "tests.test_logging.test_a_project_exception_is_named_with_its_module.<locals>.Refused"
    assert f" exc_type={name} exc=" in line


def test_a_record_without_an_exception_keeps_its_fields():
    record = logging.getLogger("talks.test").makeRecord(
        "talks.test", logging.INFO, __file__, 1, "Sent %d emails", (3,), None
    )

    line = LogfmtFormatter().format(record)

    assert line.endswith(" level=INFO logger=talks.test msg='Sent 3 emails'")
    assert "exc" not in line
