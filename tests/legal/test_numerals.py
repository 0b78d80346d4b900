"""legal.numerals: Russian numbers in words, both ways."""

from __future__ import annotations

import pytest

from legal.numerals import number_words, parse_number


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "один"), (25, "двадцать пять"), (100, "сто"), (2500, "две тысячи пятьсот"), (1000, "одна тысяча"),
     (11_000, "одиннадцать тысяч"), (999_999, "девятьсот девяносто девять тысяч девятьсот девяносто девять")],
)
def test_number_words_is_the_inverse_of_parse_number(n: int, words: str) -> None:
    assert number_words(n) == words
    assert parse_number(words) == n
