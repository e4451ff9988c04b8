"""Helpers shared by the findings tests (kept out of conftest.py, which other issues edit)."""

from django.contrib.auth.models import User

from rounds.choices import MemberRole
from rounds.models import Inspector
from rounds.services import membership_add

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ZIP = b"PK\x03\x04" + b"\x00" * 32
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def add_deputy(world, n=1, username=None):
    """A 副组长 for group n, added the way the office adds one (granting lead_group)."""
    username = username or f"group{n}_deputy"
    user = User.objects.create_user(username, password="pw", first_name=f"{n}组副组长")
    inspector = Inspector.objects.create(name=f"{n}组副组长", user=user)
    group = getattr(world, f"g{n}").group
    membership_add(actor=world.users["office"], group=group, inspector=inspector, role=MemberRole.DEPUTY)
    return User.objects.get(pk=user.pk)
