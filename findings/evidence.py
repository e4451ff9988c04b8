"""Evidence files: the extension must be allowed and the content must be what the extension claims.

A renamed executable or HTML page must not be stored as "报告.pdf": files are sniffed by their
leading bytes (magic numbers) before they are accepted.
"""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = (b"%PDF-",)
PNG = (b"\x89PNG\r\n\x1a\n",)
JPEG = (b"\xff\xd8\xff",)
ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # docx/xlsx/ofd are zip containers; an empty zip starts PK\5\6
OLE2 = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # legacy .doc/.xls and WPS files

MAGIC = {
    "pdf": PDF,
    "png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "zip": ZIP,
    "docx": ZIP,
    "xlsx": ZIP,
    "ofd": ZIP,
    "doc": OLE2,
    "xls": OLE2,
    "wps": OLE2 + ZIP,
}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "zip": "application/zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ofd": "application/ofd",
    "txt": "text/plain; charset=utf-8",
}


def extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(extension(name), "application/octet-stream")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # The sample may end in the middle of a multi-byte character.
            head.decode(encoding) if len(head) < 8192 else head[:-4].decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def validate_evidence(upload) -> None:
    """Refuse a file whose type is not allowed, whose content does not match its extension, or that is too big."""
    name = upload.name
    ext = extension(name)
    allowed = settings.EVIDENCE_EXTENSIONS
    if ext not in allowed:
        raise ValidationError(
            _("文件“%(name)s”的类型不允许上传，仅支持：%(allowed)s。") % {"name": name, "allowed": "、".join(allowed)},
            code="type",
        )
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("文件“%(name)s”大小为 %(size)s，超过了 %(limit)s 的上限。")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES),
            },
            code="size",
        )
    if upload.size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    signatures = MAGIC.get(ext)
    matches = _looks_like_text(head) if signatures is None else head.startswith(signatures)
    if not matches:
        raise ValidationError(
            _("文件“%(name)s”的内容与扩展名 .%(ext)s 不符，请上传真实的 %(ext)s 文件。") % {"name": name, "ext": ext},
            code="content",
        )


def evidence_response(*, user, evidence, kind: str):
    """Send an evidence file (finding or progress evidence) to a user already let through the door: logged as a
    confidential download, under its original name, never cached, never sniffed into something else."""
    from django.http import FileResponse, Http404

    from xuncha.exports import log_download

    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log_download(user=user, kind=kind, obj=evidence, filename=evidence.original_name)
    # as_attachment + the original name: FileResponse writes filename*=UTF-8''… (RFC 5987) for Chinese names.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=content_type_for(evidence.original_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
