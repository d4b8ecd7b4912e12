"""JSON API, version 1.0: moderation of comments, with token or session authentication."""
