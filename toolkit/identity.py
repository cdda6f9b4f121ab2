"""The signed identity every pair workbook carries in its very hidden metadata sheet.

LibreOffice turns a *very hidden* sheet into a merely hidden one on re-save, so a person could
unhide and edit it: the identity is therefore signed with an HMAC keyed by a per-programme
secret that never leaves the ledger. Sync trusts a returned file's identity only when the
signature verifies.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict, dataclass, fields

SIGNATURE_KEY = "signature"


@dataclass(frozen=True)
class PairIdentity:
    """Who and what a pair workbook is: the content of its metadata sheet."""

    programme_id: str
    cohort_id: str
    pair_id: str
    mentor_id: str
    mentee_id: str
    revision: int
    issued_at: str
    contract_version: str
    contract_fingerprint: str
    toolkit_version: str
    language: str

    def rows(self) -> list[tuple[str, str]]:
        """(key, value) rows, in a fixed order, as written to the metadata sheet."""
        return [(k, str(v)) for k, v in asdict(self).items()]

    def signature(self, secret: str) -> str:
        """HMAC-SHA256 over the canonical ``key=value`` lines, keyed by the programme secret."""
        message = "\n".join(f"{k}={v}" for k, v in self.rows()).encode("utf-8")
        return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()

    def verify(self, secret: str, signature: str) -> bool:
        """True when ``signature`` was made by :meth:`signature` with this secret."""
        given = signature.strip().lower().encode("utf-8")
        return hmac.compare_digest(self.signature(secret).encode("ascii"), given)

    @classmethod
    def from_mapping(cls, data: dict[str, str]) -> PairIdentity | None:
        """Rebuild an identity from metadata rows; None when a key is missing or malformed."""
        try:
            values = {f.name: str(data[f.name]).strip() for f in fields(cls)}
            revision = int(float(values.pop("revision")))
        except (KeyError, ValueError, OverflowError):
            return None
        return cls(revision=revision, **values)
