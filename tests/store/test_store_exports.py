"""Exports: JSONL contract, CSV, Parquet round trip, GDELT columns and quad mapping."""

from __future__ import annotations

import csv
import json

import pytest
from store_helpers import article, event

from polybius.exports import (
    FLAT_COLUMNS,
    GDELT_COLUMNS,
    export,
    gdelt_quad_class,
    read_parquet,
)
from polybius.records import Event
from polybius.store.queries import query_events
from polybius.store.validate import QueryError
from polybius.store.writer import transaction, write_article


@pytest.fixture
def store(mem_store):
    a1 = article(1, "2022-01-05")
    a2 = article(2, "2022-02-10")
    with transaction(mem_store.con):
        write_article(
            mem_store.con,
            a1,
            [event(a1, "CONSULT", "USA", "IRQ", mentions=2), event(a1, "ASSAULT", "RUS", "NATO")],
        )
        write_article(mem_store.con, a2, [event(a2, "AID", "FRA", "JPN")])
    return mem_store


def test_jsonl_is_the_event_contract(store, tmp_path):
    out = tmp_path / "e.jsonl"
    assert export(store, "jsonl", out) == 3
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    events = [Event.from_dict(d) for d in lines]
    assert events == query_events(store)
    assert lines[0]["mentions"] in (1, 2) and set(lines[0]) == set(events[0].to_dict())


def test_csv_flattened_with_header(store, tmp_path):
    out = tmp_path / "e.csv"
    assert export(store, "csv", out, since="2022-02-01") == 1
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == list(FLAT_COLUMNS)
    assert (rows[0]["source_codes"], rows[0]["target_codes"], rows[0]["event_type"]) == (
        "FRA",
        "JPN",
        "AID",
    )


def test_parquet_round_trips(store, tmp_path):
    out = tmp_path / "e.parquet"
    assert export(store, "parquet", out) == 3
    back = read_parquet(out)
    assert len(back) == 3
    by_id = {r["event_id"]: r for r in back}
    for ev in query_events(store):
        r = by_id[ev.event_id]
        assert (r["event_type"], r["goldstein"], r["quad_class"], r["mentions"]) == (
            ev.event_type,
            ev.goldstein,
            ev.quad_class,
            ev.mentions,
        )
        assert json.loads(r["sources_json"]) == [a.to_dict() for a in ev.sources]
        assert r["sentence"] == ev.sentence and r["num_articles"] == 1


def test_empty_parquet_export_still_has_the_schema(mem_store, tmp_path):
    out = tmp_path / "none.parquet"
    assert export(mem_store, "parquet", out) == 0
    import pyarrow.parquet as pq

    assert pq.read_table(out).schema.names == list(FLAT_COLUMNS)


def test_gdelt_columns(store, tmp_path):
    out = tmp_path / "e.tsv"
    assert export(store, "gdelt", out, header=True) == 3
    lines = out.read_text().splitlines()
    header = lines[0].split("\t")
    assert header == list(GDELT_COLUMNS) and len(header) == 61
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    consult = next(r for r in rows if r["EventCode"] == "040")
    assert (consult["SQLDATE"], consult["MonthYear"], consult["Year"]) == (
        "20220105",
        "202201",
        "2022",
    )
    assert consult["FractionDate"] == "2022.0110"
    assert (consult["Actor1Code"], consult["Actor1CountryCode"], consult["Actor2Code"]) == (
        "USA",
        "USA",
        "IRQ",
    )
    assert (consult["QuadClass"], consult["GoldsteinScale"], consult["NumMentions"]) == (
        "1",
        "1",
        "2",
    )
    assert consult["EventRootCode"] == "04" and consult["AvgTone"] == ""
    nato = next(r for r in rows if r["Actor2KnownGroupCode"] == "NATO")
    assert nato["Actor2Code"] == "NATO" and nato["QuadClass"] == "4"
    assert len({r["GLOBALEVENTID"] for r in rows}) == 3
    no_header = tmp_path / "n.tsv"
    export(store, "gdelt", no_header)
    assert no_header.read_text().splitlines()[0].split("\t")[0].isdigit()


@pytest.mark.parametrize(
    "cameo, plover, gdelt",
    [
        ("040", 1, 1),
        ("0874", 2, 2),
        ("090", 3, 2),
        ("140", 4, 3),
        ("163", 4, 4),
        ("190", 4, 4),
        (None, 3, 3),
        (None, None, None),
    ],
)
def test_gdelt_quad_class_follows_the_cameo_root(cameo, plover, gdelt):
    assert gdelt_quad_class(cameo, plover) == gdelt


def test_bad_format_and_dates(store, tmp_path):
    with pytest.raises(QueryError, match="format"):
        export(store, "xml", tmp_path / "x")
    with pytest.raises(QueryError, match="until"):
        export(store, "csv", tmp_path / "x.csv", until="soon")
    with pytest.raises(QueryError, match="does not exist"):
        export(store, "csv", tmp_path / "no" / "x.csv")


def test_the_resolved_place_is_exported(mem_store, tmp_path):
    import dataclasses

    from polybius.events.location import place_fields

    a1, a2 = article(1, "2022-01-05"), article(2, "2022-01-06")
    city = dataclasses.replace(event(a1, "ASSAULT", "USA", "IRQ"), **place_fields("Mosul"))
    land = dataclasses.replace(event(a2, "CONSULT", "FRA", "JPN"), **place_fields("JPN"))
    assert (city.location_country, land.location_country) == ("IRQ", "JPN")
    with transaction(mem_store.con):
        write_article(mem_store.con, a1, [city])
        write_article(mem_store.con, a2, [land])
    assert {e.location_country for e in query_events(mem_store)} == {"IRQ", "JPN"}

    out = tmp_path / "e.csv"
    export(mem_store, "csv", out)
    rows = {r["event_type"]: r for r in csv.DictReader(out.open())}
    assert rows["ASSAULT"]["location_country"] == "IRQ"
    assert float(rows["ASSAULT"]["location_lat"]) == pytest.approx(36.3, abs=0.1)

    out = tmp_path / "e.tsv"
    export(mem_store, "gdelt", out, header=True)
    lines = out.read_text().splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, x.split("\t"), strict=True)) for x in lines[1:]]
    geo = {r["EventCode"][:2]: r for r in rows}
    mosul, japan = geo["19"], geo["04"]
    assert (mosul["ActionGeo_Type"], mosul["ActionGeo_FullName"]) == ("4", "Mosul")
    assert mosul["ActionGeo_CountryCode"] == "IRQ" and mosul["ActionGeo_FeatureID"].isdigit()
    assert float(mosul["ActionGeo_Lat"]) == pytest.approx(36.3, abs=0.1)
    assert (japan["ActionGeo_Type"], japan["ActionGeo_CountryCode"]) == ("1", "JPN")
    assert japan["ActionGeo_FeatureID"] == ""
