"""In-app notifications with an unread count, beside the e-mail the outbox sends."""
