"""`make bench`: the site under load on loopback, measured against a plain Django page."""
