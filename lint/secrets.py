"""Which ARG/ENV names look like secrets (BuildKit's SecretsUsedInArgOrEnv rule).

A name is split on ``_`` (and ``-``, ``.``) into segments; it looks secret when
a segment is one of SECRET_WORDS and no segment is one of SAFE_WORDS. Matching
whole segments avoids the substring noise users report (``GOPRIVATE``,
``AUTHOR``, ``KEYCLOAK_VERSION``).
"""

from __future__ import annotations

import re

SECRET_WORDS = frozenset(
    {
        "apikey",
        "auth",
        "credential",
        "credentials",
        "key",
        "password",
        "pword",
        "passwd",
        "secret",
        "token",
    }
)
SAFE_WORDS = frozenset({"public", "file", "version"})
_SPLIT = re.compile(r"[_\-.]+")


def looks_secret(name: str) -> bool:
    segments = [s for s in _SPLIT.split(name.lower()) if s]
    if any(s in SAFE_WORDS for s in segments):
        return False
    return any(s in SECRET_WORDS for s in segments)
