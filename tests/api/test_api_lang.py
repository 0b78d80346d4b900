"""The API over real HTTP on the migration law's bundled redactions: Kazakh wordings (``?lang=kaz``) and
what /acts/{id} says about each redaction (language, date, the amending act, an excerpt's scope)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from corpus.store import Store
from ingest.bundled import MANIFEST, parse_bundled
from search_api.embedded import EmbeddedBackend
from tests.api.test_api import _error, serve


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    home = tmp_path_factory.mktemp("lang")
    with Store(home / "corpus.sqlite") as store:
        for entry in MANIFEST:
            if entry.act_id in ("Z1100000477", "K1400000226"):
                store.save_documents(parse_bundled(entry))
    # only /acts is asked here: the search index is never built
    with serve(home / "corpus.sqlite", lambda: EmbeddedBackend(home / "index")) as url, \
            httpx.Client(base_url=url, timeout=30) as client:
        yield client


def test_kazakh_wording_of_a_provision(api: httpx.Client) -> None:
    kaz = api.get("/acts/Z1100000477/provisions/art_48", params={"lang": "kaz", "at": "2023-01-01"})
    assert kaz.status_code == 200, kaz.text
    body = kaz.json()
    assert body["provision"]["lang"] == "kaz"
    assert body["provision"]["text"].startswith("Көшіп келушінің Қазақстан Республикасына келуіне")
    assert {c["lang"] for c in body["children"]} == {"kaz"}
    assert "art_48__point_1" in {c["eid"] for c in body["children"]}
    rus = api.get("/acts/Z1100000477/provisions/art_48", params={"at": "2023-01-01"}).json()
    assert rus["provision"]["lang"] == "rus" and rus["provision"]["text"] != body["provision"]["text"]
    assert [c["eid"] for c in rus["children"]] == [c["eid"] for c in body["children"]]  # aligned eids
    explicit = api.get("/acts/Z1100000477/provisions/art_48", params={"at": "2023-01-01", "lang": "rus"}).json()
    assert explicit == rus


@pytest.mark.parametrize("lang", ["eng", "ru", "KAZ", ""])
def test_bad_lang_is_400_naming_it(api: httpx.Client, lang: str) -> None:
    message = _error(api.get("/acts/Z1100000477/provisions/art_48", params={"lang": lang}), 400)
    assert message.startswith("lang:") and "rus, kaz" in message


def test_no_kazakh_wording_says_so(api: httpx.Client) -> None:
    message = _error(api.get("/acts/K1400000226/provisions/art_394", params={"lang": "kaz"}), 404)
    assert "no wording in kaz" in message


def test_act_lists_its_redactions(api: httpx.Client) -> None:
    reds = api.get("/acts/Z1100000477").json()["redactions"]
    assert [(r["lang"], r["valid_from"]) for r in reds] == [
        ("rus", "2012-04-27"), ("rus", "2019-01-01"), ("kaz", "2022-07-14"), ("rus", "2022-07-14"),
        ("rus", "2025-09-27"),
    ]
    by = {(r["lang"], r["valid_from"]): r for r in reds}
    assert by[("rus", "2022-07-14")]["caused_by"]["number"] == "141-VII"
    assert by[("rus", "2022-07-14")]["caused_by"]["id"] == "Z2200000141"
    assert by[("rus", "2019-01-01")]["caused_by"] == {
        "number": None, "date": None, "kind": None, "id": None, "code": "127371",
        "title": "О внесении изменений и дополнений в некоторые законодательные акты Республики Казахстан по "
                 "вопросам занятости населения",
        "requisite": None,
    }
    assert by[("rus", "2025-09-27")]["caused_by"] is None  # an adilet page does not name one
    assert all(r["scope"] is None for r in reds)
    excerpt = next(r for r in api.get("/acts/K1400000226").json()["redactions"] if r["scope"])
    assert (excerpt["valid_from"], excerpt["scope"]) == ("2023-01-01", ["art_392", "art_393", "art_394", "art_395"])
    assert date.fromisoformat(excerpt["caused_by"]["date"]) == date(2022, 11, 5)
