"""ingest.dates on date shapes seen in adilet texts."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.dates import parse_ru_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Закон Республики Казахстан от 22 июля 2011 года № 477-IV.", date(2011, 7, 22)),
        ("Законом РК от 27.09.2025 № 220-VIII", date(2025, 9, 27)),
        ("(вводится в действие с 01.01.2017)", date(2017, 1, 1)),
        ("от 3 июля 2014 г. № 226-V", date(2014, 7, 3)),
        ("от 31.02.2020 и от 13.05.2020", date(2020, 5, 13)),  # an impossible date is skipped
        ("по истечении десяти календарных дней", None),
        ("22.07.2011", date(2011, 7, 22)),
        ("Закон РК от 8 апреля 2016 года № 491-V ЗРК", date(2016, 4, 8)),
        ("1 июля 2021 г.", date(2021, 7, 1)),
        ("31.02.2020", None),
    ],
)
def test_parse_ru_date(text: str, expected: date | None) -> None:
    assert parse_ru_date(text) == expected
