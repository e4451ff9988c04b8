"""Django's password validators, with a message its zh-hans catalogue misses.

Django 5.2 changed MinimumLengthValidator's message to "%d characters" while its Chinese catalogue still holds the
older "%(min_length)d" wording, so a short password was refused in English on a Chinese page."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext("密码太短，至少需要 %(n)d 个字符。", "密码太短，至少需要 %(n)d 个字符。", self.min_length) % {
            "n": self.min_length
        }
