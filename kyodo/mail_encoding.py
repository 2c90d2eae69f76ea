"""Readable text parts in every e-mail the portal sends.

Django builds mails with Python's modern e-mail API (``EmailMessage.set_content``), whose
heuristic encodes any UTF-8 line longer than 78 bytes — most Japanese lines — in base64: on
the demo's console a newcomer could neither read a mail nor click its verification link.
Python's charset registry (``email.charset.add_charset``) only steers the legacy API, so the
choice is made where the modern API makes it, in the content manager every policy uses:
text goes out as 8bit UTF-8 (what Django itself sent before 6.0), and as quoted-printable
only when a line is longer than the 998 bytes SMTP allows. This covers every mail — ours,
allauth's, the error reports — through every backend.
"""

import email.contentmanager

# RFC 5322 §2.1.1: a line is at most 998 octets, without its CRLF.
SMTP_LINE_LIMIT = 998


def _set_readable_text(msg, string, subtype="plain", charset="utf-8", cte=None, **kwargs):
    if cte is None:
        encoded = string.encode(charset)
        longest = max((len(line) for line in encoded.splitlines()), default=0)
        if longest > SMTP_LINE_LIMIT:
            cte = "quoted-printable"
        elif encoded.isascii():
            cte = "7bit"
        else:
            cte = "8bit"
    return email.contentmanager.set_text_content(msg, string, subtype, charset, cte, **kwargs)


def use_readable_text_parts() -> None:
    """Register the text handler with the content manager of Python's e-mail policies (once
    per process, from KyodoConfig.ready)."""
    email.contentmanager.raw_data_manager.add_set_handler(str, _set_readable_text)
