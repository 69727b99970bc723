"""Create (or promote) an analyst: a staff account in the "Analysts" group.

The password comes from the ANALYST_PASSWORD environment variable or, failing
that, from a prompt; it is never echoed, printed or accepted on the command line
(where it would land in shell history and the process list).
"""

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

GROUP_NAME = "Analysts"
PASSWORD_VARIABLE = "ANALYST_PASSWORD"


class Command(BaseCommand):
    help = f"Create an analyst account (staff, {GROUP_NAME} group); password from ${PASSWORD_VARIABLE} or a prompt."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
        try:
            group = Group.objects.get(name=GROUP_NAME)
        except Group.DoesNotExist as error:
            raise CommandError(f"The {GROUP_NAME} group does not exist; run `manage.py migrate` first.") from error
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first() or User(**{User.USERNAME_FIELD: username})
        if email:
            user.email = email
        password = self._password()
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        created = user._state.adding
        with transaction.atomic():
            user.set_password(password)
            user.is_staff = True
            user.save()
            user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} analyst {username!r} (staff, in {GROUP_NAME})."))

    def _password(self):
        password = os.environ.get(PASSWORD_VARIABLE)
        if password:
            return password
        try:
            password = getpass.getpass("Password: ")
            again = getpass.getpass("Password (again): ")
        except EOFError as error:
            raise CommandError(f"No password: set ${PASSWORD_VARIABLE} or run interactively.") from error
        if not password:
            raise CommandError("The password cannot be empty.")
        if password != again:
            raise CommandError("The two passwords differ.")
        return password
