"""Folding text for search: one ASCII spelling for every script the network uses.

A person types "brasov", "malmo", "sofia" or "athina" and must find "Brașov",
"Malmö", "София" and "Αθήνα". Latin letters lose their diacritics; Bulgarian
Cyrillic follows the official Bulgarian transliteration (the Streamlined
System, with its "-ия" → "-ia" rule) and Greek follows ELOT 743, because those
are how the names appear on signs and maps; anything else goes through
anyascii.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from operator import itemgetter

from anyascii import anyascii

_BG = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y",
    "ю": "yu", "я": "ya",
}  # fmt: skip

_EL = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i",
    "θ": "th", "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x",
    "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y",
    "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}  # fmt: skip
# ELOT 743 digraphs, longest first.
_EL_DIGRAPHS = [
    ("ου", "ou"), ("αυ", "av"), ("ευ", "ev"), ("ηυ", "iv"), ("γγ", "ng"),
    ("γξ", "nx"), ("γχ", "nch"), ("μπ", "b"), ("ντ", "d"), ("γκ", "g"),
]  # fmt: skip

_BG_FINAL_IA = re.compile(r"ия\b")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Only ASCII white space is certain to separate words: anyascii drops some
# Unicode spaces (U+0085) altogether.
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _greek(text: str) -> str:
    for source, target in _EL_DIGRAPHS:
        text = text.replace(source, target)
    return text


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    # Folding never looks across whitespace, so it goes word by word and each
    # distinct word is worked out once: indexing a large directory folds the
    # same few thousand words millions of times.
    return " ".join(filter(None, map(_fold_word, _ASCII_SPACE.split(text))))


@lru_cache(maxsize=262144)
def _fold_word(text: str) -> str:
    # "й" would lose its breve to NFD and read as "и"; map it first.
    lowered = _strip_marks(text.casefold().replace("й", "y"))
    lowered = _BG_FINAL_IA.sub("ia", lowered)
    lowered = _greek(lowered)
    out: list[str] = []
    for ch in lowered:
        if ch.isascii():
            out.append(ch)
        elif ch in _BG:
            out.append(_BG[ch])
        elif ch in _EL:
            out.append(_EL[ch])
        else:
            out.append(anyascii(ch).lower())
    return _NON_WORD.sub(" ", "".join(out)).strip()


def fold_variants(text: str) -> str:
    """The folded text plus anyascii's reading where it differs.

    Indexing both spellings lets a query in either convention match
    (for example "sofiya" as well as "sofia").
    """
    return _variants(list(map(_word_and_alternative, _ASCII_SPACE.split(text))))


# Pieces up to this long are remembered whole by ``fold_variants_joined``.
_SHORT_PIECE = 80


def fold_variants_joined(pieces: Iterable[str]) -> str:
    """``fold_variants(" ".join(pieces))``, each short piece split once.

    A search document names its country and languages in every language the
    platform ships, and its taxonomy terms: the same few hundred names in
    every one of a hundred thousand documents.
    """
    pairs: list[tuple[str, str]] = []
    for piece in pieces:
        if len(piece) <= _SHORT_PIECE:
            pairs += _piece_pairs(piece)
        else:
            pairs += map(_word_and_alternative, _ASCII_SPACE.split(piece))
    return _variants(pairs)


@lru_cache(maxsize=16384)
def _piece_pairs(piece: str) -> tuple[tuple[str, str], ...]:
    return tuple(map(_word_and_alternative, _ASCII_SPACE.split(piece)))


def _variants(pairs: list[tuple[str, str]]) -> str:
    primary = " ".join(filter(None, map(itemgetter(0), pairs)))
    # Only words whose two readings differ can add anything.
    differing = [alt for word, alt in pairs if alt and alt != word]
    if not differing:
        return primary
    known = set(primary.split())
    extra = [w for alt in differing for w in alt.split() if w not in known]
    if extra:
        return f"{primary} {' '.join(extra)}"
    return primary


@lru_cache(maxsize=262144)
def _word_and_alternative(text: str) -> tuple[str, str]:
    return _fold_word(text), _alternative_word(text)


def fold_variants_alternative(text: str) -> str:
    """anyascii's reading of ``text``, as words (see ``fold_variants``)."""
    return " ".join(filter(None, map(_alternative_word, _ASCII_SPACE.split(text))))


@lru_cache(maxsize=262144)
def _alternative_word(text: str) -> str:
    return _NON_WORD.sub(" ", anyascii(_strip_marks(text)).lower()).strip()


def search_terms(query: str, limit: int = 12) -> list[str]:
    """The distinct folded words of a query, in order, at most ``limit``."""
    seen: dict[str, None] = {}
    for word in fold(query).split():
        seen.setdefault(word, None)
        if len(seen) >= limit:
            break
    return list(seen)
