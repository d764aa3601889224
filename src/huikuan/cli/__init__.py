"""The ``huikuan`` command."""
