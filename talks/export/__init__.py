"""A speaker's talks carried off the site (export) and onto another (import).

The file is DIR/talks.json, FORMAT below; its shape is described in the README ("Export and
import"). It holds what the site shows in public and nothing more: no email address, no
comment still waiting for moderation.
"""

FORMAT = "talks-export"
VERSION = 1
