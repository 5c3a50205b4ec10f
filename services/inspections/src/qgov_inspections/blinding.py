"""What keeps testing apart from sampling (抽检分离, the policy's `min_laboratories` rule):
blind codes, laboratories' access keys, and which laboratory gets a sample. All come from the
operating system's randomness, never from the draw's seed, which is public: nobody can tell
from the published draw which laboratory tests whose sample."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection, Sequence

BLIND_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on a label
BLIND_CODE_LENGTH = 12


def blind_code() -> str:
    return "".join(secrets.choice(BLIND_ALPHABET) for _ in range(BLIND_CODE_LENGTH))


def laboratory_key() -> str:
    return secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    """What is stored of a laboratory's key: its SHA-256, so the table cannot be replayed."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def choose_laboratory(laboratory_ids: Sequence[int], excluding: Collection[int] = ()) -> int:
    """A laboratory of the campaign at random; a retest's is not the first test's."""
    return secrets.choice([lab for lab in laboratory_ids if lab not in excluding])
