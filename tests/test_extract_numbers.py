"""Numbers with scale, currency and ratio units, normalised, with XBRL decimals as written."""

from __future__ import annotations

import pytest

from notestar.extract.numbers import NumberGrammar
from notestar.lexicon import load_lexicon


@pytest.fixture(scope="module")
def grammar() -> NumberGrammar:
    return NumberGrammar(load_lexicon().units)


def parse(grammar: NumberGrammar, text: str):
    m = grammar.regex.fullmatch(text)
    assert m, text
    return grammar.parse(m)


@pytest.mark.parametrize("text,value,unit,decimals", [
    ("7.34亿元", 734000000.0, "CNY", -6),
    ("840万元", 8400000.0, "CNY", -4),
    ("1,200万元", 12000000.0, "CNY", -4),
    ("271.51百万美元", 271510000.0, "USD", -4),
    ("2.04亿港元", 204000000.0, "HKD", -6),
    ("3.1亿港币", 310000000.0, "HKD", -7),
    ("人民币12.5亿元", 1250000000.0, "CNY", -7),
    ("58.47%", 58.47, "%", 2),
    ("0.7个百分点", 0.7, "pp", 1),
    ("1.2pct", 1.2, "pp", 1),
    ("10.4倍", 10.4, "x", 1),
    ("18.89x", 18.89, "x", 2),
    ("-19.67亿元", -1967000000.0, "CNY", -6),
    ("16.80美元", 16.8, "USD", 2),
    ("HK$10.03", 10.03, "HKD", 2),
    ("RMB2.48 billion", 2480000000.0, "CNY", -7),
    ("US$350 million", 350000000.0, "USD", -6),
    ("5.97亿股", 597000000.0, "shares", -6),
    ("2000万", 20000000.0, "CNY", -4),
    ("上亿", 100000000.0, "CNY", -8),
])
def test_values_units_and_decimals(grammar, text, value, unit, decimals):
    a = parse(grammar, text)
    assert a.value == value and a.unit == unit and a.decimals == decimals


def test_no_float_noise(grammar):
    assert parse(grammar, "24.78亿元").value == 2478000000.0
    assert parse(grammar, "0.29亿元").value == 29000000.0


def test_bare_number_has_no_unit(grammar):
    a = parse(grammar, "2025")
    assert a.unit is None and a.kind == "bare"


def test_scales_come_from_units_yaml():
    units = {"scales": {"亿": 1e8, "兆": 1e12}, "currencies": {"元": "CNY"}, "ratio_units": {"%": "%"},
             "count_units": {}}
    g = NumberGrammar(units)
    m = g.regex.fullmatch("2兆元")
    assert m and g.parse(m).value == 2e12
