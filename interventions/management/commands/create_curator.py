"""Create a curator: a staff account in the curator group, with nothing more."""

import getpass

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create a curator account that can sign in to the admin and edit the catalogue."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, email: str, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f'There is already an account called "{username}".')
        try:
            group = Group.objects.get(name="curator")
        except Group.DoesNotExist as error:
            raise CommandError(
                "The curator group is missing: run `manage.py migrate` first."
            ) from error

        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords are different.")
        user = User(username=username, email=email, is_staff=True)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        user.set_password(password)
        user.save()
        user.groups.add(group)
        self.stdout.write(
            self.style.SUCCESS(f'Created curator "{username}". They can sign in at /admin/.')
        )
