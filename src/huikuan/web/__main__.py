"""``python -m huikuan.web COMMAND`` (or ``huikuan-web``): Django's manage.py for this project."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a Django management command; dev settings unless DJANGO_SETTINGS_MODULE says otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huikuan.web.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["huikuan-web", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
