"""Avatars: one drawn here from a salted hash, or the Gravatar of an address the speaker chose.

A Gravatar URL holds a hash of an address, and anyone who guesses the address can check it:
of the login email it would confirm who has an account here. So by default the site draws a
pattern of its own, from an HMAC of the user's id under the site's secret key, which says
nothing about any address.
"""

import hashlib
from urllib.parse import urlencode

from django.utils.crypto import salted_hmac

GRAVATAR_URL = "https://www.gravatar.com/avatar/"
# A 5 by 5 grid mirrored left to right: 15 cells decide it.
GRID = 5
HALF = (GRID + 1) // 2


def gravatar_url(email, *, size=256, default="identicon", rating="pg"):
    """Gravatar's URL for `email`: SHA-256 of the trimmed, lower-cased address (not MD5)."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"{GRAVATAR_URL}{digest}?{urlencode({'s': size, 'r': rating, 'd': default})}"


def identicon(user):
    """The pattern drawn for `user`: {"color": a CSS colour, "cells": [(x, y), …]} on the grid."""
    digest = salted_hmac("talks.avatar", str(user.pk), algorithm="sha256").digest()
    hue = int.from_bytes(digest[:2], "big") % 360
    cells = []
    for y in range(GRID):
        for x in range(HALF):
            if digest[2 + y * HALF + x] & 1:
                cells.append((x, y))
                if x != GRID - 1 - x:
                    cells.append((GRID - 1 - x, y))
    return {"color": f"hsl({hue}, 55%, 45%)", "cells": sorted(cells)}
