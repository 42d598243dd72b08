"""The `gonghui` console script: Django's management commands under one name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0], *command_line(sys.argv[1:])])


def command_line(args: list[str]) -> list[str]:
    """Accept `gonghui import-members` for Django's `import_members`."""
    if args and not args[0].startswith("-"):
        return [args[0].replace("-", "_"), *args[1:]]
    return args


if __name__ == "__main__":
    main()
