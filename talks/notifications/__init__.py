"""Notification emails, one module per job; each imports only the ones below it.

- outbox: which saves call for emails, the rows that queue them, and the flush that sends them.
- emails: the email each outbox row becomes.
- unsubscribe: the signed links in those emails and what following one does.

Nothing here enqueues a task: talks.tasks owns the task queue and calls the outbox, never the
other way round (see docs/ARCHITECTURE.md).
"""
