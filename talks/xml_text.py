"""Text made fit for XML 1.0, which has no way to write some code points at all."""

import re

# Everything outside XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] |
# [#xE000-#xFFFD] | [#x10000-#x10FFFF]): C0 controls but tab and line ends, lone surrogates,
# and the non-characters U+FFFE and U+FFFF. Forms refuse only NUL, so any of the others can
# reach a title, a name or a comment, and one of them makes a whole feed unreadable.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value):
    """`value` without the code points XML 1.0 forbids; lists and tuples item by item."""
    if isinstance(value, str):
        return NOT_IN_XML.sub("", value)
    if isinstance(value, (list, tuple)):
        return type(value)(xml_safe(item) for item in value)
    return value
