"""E-mail: the outbox every mail is written to in its event's transaction (`outbox.queue_mail`), the
message built from a row (`message`), the SMTP settings (`settings`) and the worker's sender (`sender`)."""
