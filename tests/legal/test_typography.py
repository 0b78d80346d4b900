"""legal.typography: typographic variants of one wording, on real pairs from the corpus's sources."""

from __future__ import annotations

import pytest

from legal.typography import fold_typography

# (one source's words, another's): adilet's page against the reference bank's Markdown
SAME = [
    # Z1100000477 art. 56 item 5, as of 2012 and of 2015
    ("в соответствии с Законом Республики Казахстан «О воинской службе и статусе военнослужащих;",
     'в соответствии с Законом Республики Казахстан "О воинской службе и статусе военнослужащих;'),
    # Z1100000477 art. 1 item 13, as of 2012 and of 2018
    ("оралман - этнический казах,", "оралман – этнический казах,"),
    ("оралман — этнический казах,", "оралман – этнический казах,"),
    # Z090000216_ art. 6 item 6: a line wrapped in one source
    ("за соблюдением законодательства", "за соблюдением\nзаконодательства"),
    ("до 15\u00a0месячных расчетных показателей", "до 15 месячных расчетных показателей"),
    ("„Об иммиграции“", '"Об иммиграции"'),
]
DIFFERENT = [
    ("«оралман»", "«кандас»"),
    ("статья 5-1", "статья 51"),
    ("до 15 МРП", "до 25 МРП"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_variants_fold_to_one_form(a: str, b: str) -> None:
    assert fold_typography(a) == fold_typography(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_words_and_numbers_still_differ(a: str, b: str) -> None:
    assert fold_typography(a) != fold_typography(b)


@pytest.mark.parametrize("text", [a for pair in SAME for a in pair])
def test_the_length_is_kept(text: str) -> None:
    assert len(fold_typography(text)) == len(text)  # offsets into the folded text are offsets into the original
