"""ingest.adilet_urls: adilet's URL scheme, built and read in one place (real hrefs from the samples)."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.adilet_urls import (
    act_of_url,
    archive_date,
    archive_url,
    doc_url,
    tab_url,
)


def test_built_urls() -> None:
    assert doc_url("Z1100000477") == "https://adilet.zan.kz/rus/docs/Z1100000477"
    assert doc_url("Z090000216_", "kaz") == "https://adilet.zan.kz/kaz/docs/Z090000216_"
    assert tab_url("Z1100000477", "history") == "https://adilet.zan.kz/rus/docs/Z1100000477/history"
    assert archive_url("Z1100000477", date(2011, 7, 22)) == "https://adilet.zan.kz/rus/archive/docs/Z1100000477/22.07.2011"
    assert doc_url("Z1100000477", anchor="z446") == "https://adilet.zan.kz/rus/docs/Z1100000477#z446"
    assert doc_url("K1400000226", base="http://127.0.0.1:8080") == "http://127.0.0.1:8080/rus/docs/K1400000226"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/rus/archive/docs/Z1100000477/01.01.2016", ("Z1100000477", date(2016, 1, 1))),
        ("https://adilet.zan.kz/kaz/archive/docs/Z090000216_/16.11.2020#z5", ("Z090000216_", date(2020, 11, 16))),
        ("/rus/archive/docs/Z1100000477/20160101", ("Z1100000477", date(2016, 1, 1))),
        ("/rus/archive/docs/Z1100000477/31.02.2016", None),  # an impossible date
        ("/rus/docs/Z1100000477", None),
    ],
)
def test_archive_date(href: str, expected: tuple[str, date] | None) -> None:
    assert archive_date(href) == expected


@pytest.mark.parametrize(
    ("url", "act_id"),
    [
        ("https://adilet.zan.kz/rus/docs/Z1500000410", "Z1500000410"),
        ("https://adilet.zan.kz/rus/archive/docs/K1400000226/01.01.2023", "K1400000226"),
        ("https://adilet.zan.kz/kaz/docs/V16UL003811#z3", "V16UL003811"),
        ("https://example.org/rus/page/Z1100000477", None),
    ],
)
def test_act_of_url(url: str, act_id: str | None) -> None:
    assert act_of_url(url) == act_id
