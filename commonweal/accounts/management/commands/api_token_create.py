"""commonweal api_token_create --user EMAIL [--name NAME] [--days N]: print a new API token."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.accounts import selectors, services


class Command(BaseCommand):
    help = (
        "Make an API token for a user and print it (only the token, on standard output). "
        "Send it as 'Authorization: Bearer TOKEN'. It is shown once: only its hash is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user", required=True, metavar="EMAIL", help="Email address of the token's owner."
        )
        parser.add_argument(
            "--name",
            default="API token",
            help="A name to tell the token apart (default: API token).",
        )
        parser.add_argument(
            "--days", type=int, default=None, help="Days until it stops working (default: never)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = selectors.user_get_by_email(email=options["user"])
        if user is None:
            raise CommandError(f"No user with email {options['user']}")
        try:
            issued = services.api_token_create(
                actor=None, user=user, name=options["name"], expires_in_days=options["days"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(issued.token)
