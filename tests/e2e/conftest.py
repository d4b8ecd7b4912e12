"""End-to-end tests run only when asked for (`pytest -m e2e`): they start real workers."""

import pytest


def pytest_collection_modifyitems(config, items):
    if "e2e" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="end-to-end: select it with `pytest -m e2e`")
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(skip)
