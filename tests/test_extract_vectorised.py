"""The fast prose path gives the same answers as the plain one.

- `tokenize` (memoised periods and numbers, `lastgroup` dispatch) == the reference per-sentence tokenizer
  (the pre-optimisation algorithm, kept below as the oracle) on varied sentences;
- the memoised `resolve_period` keys relative spellings on the note date;
- the Polars pre-filter `needs_reading` drops only the trailing metric-free sentences of a paragraph, and
  the facts of a batch are identical with and without it.

Sentences are invented for these tests (not from the seed notes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import polars as pl
import pytest

import notestar.extract as ex
from notestar import schemas
from notestar.extract import periods
from notestar.extract.prose import _COUNT_RX, Tok, Vocabulary, _ellipsis_tokens, tokenize
from notestar.extract.sentences import split_sentences

SENTENCES = [
    "3Q25实现营收41.86亿元，同比增长12.9%，环比增长1.9%",
    "毛利率为25.8%，同比提升2.6个百分点，环比下降0.5个百分点",
    "2025年第二季度，公司归母净亏损1.25亿元，同比减亏18.4%；经调整经营亏损为3,420万元",
    "预计2025-2027年归母净利润分别为0.31/0.42/0.57亿元，对应PE 25/20/16倍",
    "全年收入指引为60-70亿元，原预测为58亿元",
    "营业收入从2024年的26.3亿元增长至2025年的31.2亿元",
    "Revenue grew 25% YoY to RMB3.2bn in 3Q25, while adjusted net loss narrowed to RMB140 million",
    "REVENUE of US$356.20 million, up 27.6% year-over-year; gross margin was 41.25%",
    "新增12个数据中心，机柜数量达到3,500个，上架率为71%",
    "分析师SAC编号S0880520080003，A100集群规模达1.2EFLOPS",
    "盘中一度上涨5.3%，成交额12.4亿港元，收涨3.1%",
    "销售、管理、研发费用分别为1.2亿元、2.3亿元、3.6亿元",
    "截至2025年9月30日止九个月，收入为88.5亿元，去年同期为70.2亿元",
    "截至2025年9月末，公司现金及等价物为150.3亿元",
    "目标价HK$7.85，维持买入评级，现价HK$6.12",
    "市场规模有望破亿，行业平均毛利率为35%",
    "云业务收入27.5亿元（同比+12%），占总收入比重为41.2%",
    "公有云收入为16.4亿元，行业云收入为9.6亿元，智算云收入同比增长83%",
    "本季度亏损扩大至0.5亿元，经营现金流净流出2.3亿元",
    "2025E/2026E/2027E EPS为0.52/0.68/0.85元",
    "上半年经营性现金流净流入15.6亿元，较上年同期增加4.2亿元",
    "FY2024 revenue was HK$12.3 billion, down 4.5% from a year earlier",
    "前三季度净利润率同比下降1.3pct至9.8%",
    "今年二季度毛利率环比改善2.1个百分点",
    "25Q3单季度扣非净利润2.1亿元，yoy+71%，qoq-8%",
    "公司计提了6.4亿元长期资产减值",
    "ROE为15.2%，ROA为6.1%，资产负债率为48.3%",
    "一季度营收14.6-15.3亿元",
    "The company expects revenue for 2026E of RMB5.1 billion, compared with RMB4.2 billion in 2025",
    "Ｑ3营收１２.5亿元",  # full-width (the sentence split normalises these; the tokenizer must still agree)
    "",
]
DATES = [dt.date(2025, 11, 3), dt.date(2025, 5, 28), dt.date(2026, 2, 10), None]


def reference_tokenize(vocab: Vocabulary, text: str, note_date: dt.date | None) -> list[Tok]:
    """The per-sentence tokenizer as first written: no memo, three group look-ups per match."""
    toks: list[Tok] = []
    ellipses = _ellipsis_tokens(vocab, text)
    for m in vocab.regex.finditer(text):
        if any(e.start <= m.start() < e.end for e in ellipses):
            continue
        if m.group("period") is not None:
            ps = periods._resolve(m.group("period"), periods._kind(m.group("period")), note_date)
            toks.append(Tok("period", m.start(), m.end(), m.group(0), periods=ps))
        elif m.group("numtok") is not None:
            nm = vocab.numbers.regex.fullmatch(m.group("numtok"))
            amount = vocab.numbers.parse(nm) if nm else None
            tail = text[m.end(): m.end() + 6]
            if amount is not None and amount.kind in ("bare", "amount") and not (amount.unit and not amount.scaled
                                                                                  and amount.kind == "amount"):
                counted = _COUNT_RX.match(tail) is not None
                if counted or re.match(r"[A-Za-z]", tail):
                    if not (amount.kind == "amount" and re.match(r"\s?[A-Za-z]", tail) is None and not counted):
                        amount = None
            after_metric = bool(toks) and toks[-1].end == m.start() and toks[-1].cls == "metric"
            after_metric = after_metric or (m.group(0)[:1] in "-–" and text[m.start() - 1:m.start()].isdigit())
            if (m.start() > 0 and re.match(r"[A-Za-z0-9.]", text[m.start() - 1]) and not m.group(0)[:1].isalpha()
                    and not after_metric):
                if text[m.start() - 1] not in "+-" and not text[max(0, m.start() - 3):m.start()].lower().endswith(
                        ("yoy", "qoq", "pe", "ps", "pb", "eps")):
                    amount = None
            toks.append(Tok("num", m.start(), m.end(), m.group(0), amount=amount))
        else:
            cls, payload = vocab.lookup(m.group("word"))
            toks.append(Tok("word", m.start(), m.end(), m.group(0), cls=cls, payload=payload))
    if ellipses:
        toks = sorted(toks + ellipses, key=lambda t: t.start)
    return toks


def as_tuples(toks: list[Tok]) -> list[tuple]:
    return [(t.kind, t.start, t.end, t.text, t.cls, repr(t.payload), tuple(t.periods), t.amount) for t in toks]


@pytest.fixture(scope="module")
def vocab(lexicon):
    return Vocabulary(lexicon, {"云帆科技": "云帆科技", "北辰数据": "北辰数据"})


def test_tokenize_equals_the_reference_tokenizer(vocab):
    kinds = set()
    for _ in range(2):  # the second round answers from the memos
        for date in DATES:
            for s in SENTENCES:
                got = tokenize(vocab, s, date)
                assert as_tuples(got) == as_tuples(reference_tokenize(vocab, s, date)), (s, date)
                kinds |= {t.kind if t.kind != "word" else t.cls for t in got}
    # the sentences exercise every kind of token the reader dispatches on
    assert {"period", "num", "metric", "metric_list", "segment", "yoy", "qoq", "up", "down", "narrow", "loss",
            "forecast", "prior", "prior_year", "intraday", "industry", "from", "to", "list"} <= kinds
    toks = tokenize(vocab, "3Q25实现营收41.86亿元", dt.date(2025, 11, 3))
    assert [t.text for t in toks] == ["3Q25", "营收", "41.86亿元"]
    assert toks[0].periods[0].label == "2025Q3" and toks[2].amount.value == 4186000000.0
    counted = tokenize(vocab, "新增12个数据中心", None)
    assert [t.amount for t in counted if t.kind == "num"] == [None]  # a count, never an amount


def test_period_memo_keys_relative_spellings_on_the_note_date():
    periods.clear_period_cache()
    for _ in range(2):
        assert [p.label for p in periods.resolve_period("三季度", dt.date(2025, 11, 3))] == ["2025Q3"]
        assert [p.label for p in periods.resolve_period("三季度", dt.date(2025, 5, 28))] == ["2024Q3"]
        assert [p.label for p in periods.resolve_period("9月末", dt.date(2025, 11, 3))] == ["2025-09-30"]
        assert [p.label for p in periods.resolve_period("9月末", dt.date(2025, 5, 28))] == ["2024-09-30"]
        assert periods.resolve_period("全年", None) == []
        assert [p.label for p in periods.resolve_period("2025Q3", None)] == ["2025Q3"]
        assert [p.label for p in periods.resolve_period("Q3 2025", dt.date(2024, 1, 1))] == ["2025Q3"]
    # callers get their own list
    a = periods.resolve_period("2025-2027年", None)
    a.clear()
    assert len(periods.resolve_period("2025-2027年", None)) == 3


def make_notes(*bodies: tuple[str, str, dt.datetime | None]) -> pl.DataFrame:
    rows = []
    for i, (title, body, date) in enumerate(bodies):
        text = f"{title}\n{body}"
        rows.append({
            "note_id": hashlib.sha256(text.encode()).hexdigest(), "file_hash": "h", "source_file": f"n{i}.txt",
            "source_path": f"n{i}.txt", "note_index": 0, "title": title, "publisher": None, "published_at": date,
            "kind": "news", "language": "zh", "text": text,
        })
    return schemas.conform(pl.DataFrame(rows), schemas.NOTES)


NOTES = make_notes(
    ("云帆科技(688001.SH)：3Q25点评",
     "2024年第三季度。营收为10.5亿元，同比增长8.1%；毛利率31.2%。股东户数为2.1万户，较6月末增加3%。\n"
     "预计2025-2027年归母净利润分别为1.1/1.4/1.8亿元。对应PE为30/24/19倍。\n"
     "公司2024年员工人数为1,200人。\n"
     "Revenue grew 25% YoY to RMB3.2bn in 3Q25. Headcount rose 12% to 1,340 in 2025.",
     dt.datetime(2025, 11, 3)),
    ("北辰数据(00123)：上半年业绩",
     "上半年。REVENUE was HK$3.14 billion, up 27.6% year-over-year\n"
     "2024年下半年，公司研发人员为860名；销售、管理费用分别为0.8亿元、1.1亿元",
     dt.datetime(2025, 8, 20)),
)


def test_needs_reading_drops_only_trailing_metric_free_sentences(lexicon):
    sentences = split_sentences(NOTES.select("note_id", "text"))
    kept = ex.needs_reading(sentences, lexicon)
    dropped = set(sentences["text"]) - set(kept["text"])
    assert dropped == {"云帆科技(688001.SH):3Q25点评", "北辰数据(00123):上半年业绩", "股东户数为2.1万户,较6月末增加3%",
                       "公司2024年员工人数为1,200人", " Headcount rose 12% to 1,340 in 2025."}
    # metric-free, but the next sentence of its paragraph names a metric and inherits its period
    assert {"2024年第三季度", "2024年下半年,公司研发人员为860名"} <= set(kept["text"])
    assert kept.columns == sentences.columns


def test_facts_are_identical_with_and_without_the_prefilter(lexicon, monkeypatch):
    fast = ex.extract_facts(NOTES, lexicon)
    monkeypatch.setattr(ex, "needs_reading", lambda sentences, _lexicon: sentences)
    plain = ex.extract_facts(NOTES, lexicon)
    assert fast.facts.equals(plain.facts)
    got = {(r["metric_code"], r["measure"], r["period_label"], r["value"])
           for r in fast.facts.filter(pl.col("rule_id").str.starts_with("prose")).iter_rows(named=True)}
    # the period of a metric-free sentence carries to the next one
    assert ("revenue", "level", "2024Q3", 1050000000.0) in got
    assert ("selling_expense", "level", "2024H2", 80000000.0) in got
    assert ("admin_expense", "level", "2024H2", 110000000.0) in got
