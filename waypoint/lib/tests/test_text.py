from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypoint.lib.text import fold, fold_variants, fold_variants_joined, search_terms


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("brasov", "Brașov"),
        ("malmo", "Malmö"),
        ("sofia", "София"),
        ("athina", "Αθήνα"),
        ("thessaloniki", "Θεσσαλονίκη"),
        ("plovdiv", "Пловдив"),
        ("munchen", "München"),
        ("crangasi", "Crângași"),
        ("cordoba", "Córdoba"),
        ("liege", "Liège"),
        ("goteborg", "Göteborg"),
    ],
)
def test_a_plain_latin_spelling_matches_the_native_one(typed: str, stored: str) -> None:
    """What a person types without diacritics or in Latin letters finds the name."""
    assert fold(typed) == fold(stored)


def test_it_keeps_the_bulgarian_short_i() -> None:
    """ "й" is its own letter (y), not "и" with a mark to strip."""
    assert fold("Райна") == "rayna"


def test_variants_add_the_other_transliteration() -> None:
    """Both "sofia" and "sofiya" are indexed for София."""
    assert fold_variants("София").split() == ["sofia", "sofiya"]


def test_search_terms_are_distinct_and_bounded() -> None:
    assert search_terms("Legal legal LEGAL aid") == ["legal", "aid"]
    assert len(search_terms(" ".join(f"w{i}" for i in range(50)))) == 12


@given(st.text())
def test_folding_gives_lowercase_ascii_words_and_is_stable(text: str) -> None:
    """Any input folds to [a-z0-9] words, and folding again changes nothing."""
    folded = fold(text)
    assert folded.isascii()
    assert all(word.isalnum() and word == word.lower() for word in folded.split())
    assert fold(folded) == folded


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["София", "Brașov", "Αθήνα", "  ", "", "legal aid"]),
            st.text(max_size=120),
        ),
        max_size=8,
    )
)
def test_a_document_folded_piece_by_piece_reads_as_folded_whole(
    pieces: list[str],
) -> None:
    """Search documents fold their pieces one at a time: the same words."""
    assert fold_variants_joined(pieces) == fold_variants(" ".join(pieces))
