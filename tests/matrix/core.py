from django.urls import reverse

from . import EVERYONE, Case

CASES = [
    Case("home", lambda w: reverse("home"), EVERYONE),
]
