"""Password-encrypted workbooks: issuing them (``build --encrypt``) and opening returns.

An encrypted .xlsx is an OLE2 container (ECMA-376 agile encryption), which Excel and
LibreOffice open after asking for the password. Each pair's workbooks get their own generated
password, or, with ``confidentiality.password_scope: programme``, one password for all; it is
kept in the ledger (``workbook_passwords``) and listed only on the coordinator-only sheet of
the master workbook, to be sent to the pair by another channel than the workbook itself.

Sync opens an encrypted return without being told the password: it tries the password of the
pair the file name names first (``..._P007_...``), then the programme's, then every other.
Each try costs about 0.1 s (the key derivation is deliberately slow).
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Iterable

from toolkit.ledger import Ledger
from toolkit.programme import Programme

PROGRAMME_SCOPE = "*"
"""The ledger key of the one programme-wide password."""

_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or typed from paper
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PAIR_IN_NAME = re.compile(r"(?<![A-Za-z0-9])(P\d{3,})(?![0-9])")


def generate_password(groups: int = 4, size: int = 4) -> str:
    """A random password easy to read over the phone, e.g. ``k7mw-3rtx-9bqe-ha4n``."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(size)) for _ in range(groups))


def password_for(ledger: Ledger, pair_id: str, scope: str, now: str) -> str:
    """The password for a pair's workbook, generated and kept in the ledger the first time."""
    key = PROGRAMME_SCOPE if scope == "programme" else pair_id
    existing = ledger.workbook_password(key)
    if existing:
        return existing
    password = generate_password()
    ledger.set_workbook_password(key, password, now)
    return password


def encrypt_for_pair(
    ledger: Ledger, pair_id: str, programme: Programme, data: bytes, now: str
) -> bytes:
    """A pair workbook encrypted with its pair's (or the programme's) kept password."""
    scope = programme.confidentiality.password_scope
    return encrypt(data, password_for(ledger, pair_id, scope, now))


def encrypt(data: bytes, password: str) -> bytes:
    """An .xlsx encrypted with ``password`` (msoffcrypto-tool, agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def is_encrypted(data: bytes) -> bool:
    """Whether the bytes are a password-encrypted Office file."""
    if not data.startswith(_OLE2):
        return False
    import msoffcrypto

    try:
        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # not an Office file msoffcrypto knows: let the readers judge it
        return False


def decrypt(data: bytes, passwords: Iterable[tuple[str, str]]) -> tuple[bytes, str] | None:
    """The decrypted bytes and the label of the password that opened them, or None."""
    import msoffcrypto
    from msoffcrypto.exceptions import InvalidKeyError

    for label, password in passwords:
        try:
            office = msoffcrypto.OfficeFile(io.BytesIO(data))
            office.load_key(password=password, verify_password=True)
            out = io.BytesIO()
            office.decrypt(out)
        except InvalidKeyError:
            continue
        except Exception:  # a damaged container: no password will open it
            return None
        return out.getvalue(), label
    return None


def candidate_passwords(name: str, passwords: dict[str, str]) -> list[tuple[str, str]]:
    """The kept passwords in the order to try them for a file called ``name``: the pair the
    name names, the programme's, then every other (each distinct password once)."""
    named = [m for m in _PAIR_IN_NAME.findall(name) if m in passwords]
    order = [*named, PROGRAMME_SCOPE, *sorted(passwords)]
    seen: set[str] = set()
    out = []
    for key in order:
        password = passwords.get(key)
        if password and password not in seen:
            seen.add(password)
            out.append((key, password))
    return out
