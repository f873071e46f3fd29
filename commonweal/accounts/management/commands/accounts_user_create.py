"""commonweal accounts_user_create --email E [--role R --organisation SLUG] [--name N] [--staff]."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from commonweal.accounts import selectors, services
from commonweal.accounts.constants import Role


class Command(BaseCommand):
    help = (
        "Create a user (or find the existing one) and give them a role in an organisation. "
        "Asks for a password when run in a terminal; otherwise the account has no password until "
        "one is set with 'commonweal changepassword EMAIL'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="", help="Full name.")
        parser.add_argument("--role", choices=Role.values, help="Role to give in the organisation.")
        parser.add_argument(
            "--organisation", metavar="SLUG", help="Slug of the organisation for the role."
        )
        parser.add_argument("--staff", action="store_true", help="May use the administration site.")
        parser.add_argument("--no-password", action="store_true", help="Do not ask for a password.")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["role"]) != bool(options["organisation"]):
            raise CommandError("Give --role and --organisation together.")
        organisation = None
        if options["organisation"]:
            organisation = selectors.organisation_get(slug=options["organisation"])
            if organisation is None:
                raise CommandError(f"No organisation with slug {options['organisation']}")
        password = None
        user = selectors.user_get_by_email(email=options["email"])
        if user is None and not options["no_password"] and sys.stdin.isatty():
            password = getpass.getpass("Password for the new account: ")
        try:
            with transaction.atomic():
                created = user is None
                if user is None:
                    user = services.user_create(
                        actor=None,
                        email=options["email"],
                        password=password,
                        full_name=options["name"],
                        is_staff=options["staff"],
                    )
                elif options["staff"] and not user.is_staff:
                    services.user_update(actor=None, user=user, is_staff=True)
                if organisation is not None:
                    services.membership_grant(
                        actor=None, user=user, organisation=organisation, role=options["role"]
                    )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        what = "Created" if created else "Found"
        role = (
            f", {Role(options['role']).label} at {organisation}" if organisation is not None else ""
        )
        self.stdout.write(f"{what} {user.email}{role}")
        if created and password is None:
            self.stdout.write(f"Set a password with: commonweal changepassword {user.email}")
