"""Fourth held-out yardstick: 13 files (14 notes) hand-labelled blind in tests/data/heldout4 — the gold was
written before the extractor was run on them or its code was read.

Genres beyond the earlier sets: a bank's 三季报快评 (年化ROE, a close dated by month and day only), an insurer
with a 2x4 Markdown table, a 半年报点评 with a 2024A–2027E forecast table in 百万元, 调研纪要 in 问/答 form, a news
write-up with bracketed negatives in running text and plain 扣非净利润, an HK annual results note in
traditional characters (下半年 of the year just closed), an English broker note (TP "from" its old value,
"20x FY26E P/E"), a multi-note digest with 由X上升至Y pairs, a 券商, a loss-making biotech, an industry
news precision trap and a balance-sheet note (由年初的X降至Y).
Gold: tests/data/heldout4/gold_facts.csv and gold_ratings.csv; judgment calls in tests/data/heldout4/README.md.

The floors sit just under the scores reached on 2026-11-22 with extractor 0.7.0 (precision 1.000, recall
1.000 on 264 gold facts; the blind run with the code as of that morning scored 0.984 / 0.932).
"""

from __future__ import annotations

from pathlib import Path

from heldout_scoring import YardstickTests, facts_of


class TestHeldout4(YardstickTests):
    FOLDER = Path(__file__).resolve().parent / "data" / "heldout4"
    N_FILES, N_GOLD = 13, 264

    def test_bank_ratios_without_a_code_give_no_fact(self, extracted):
        got = facts_of(extracted, "n01_bank_flash_minjiang.txt")
        assert ("roe", "level", "2025Q1-Q3", "actual", 11.85) in got  # 年化ROE is ROE
        assert ("share_price_close", "level", "2025-10-27", "actual", 6.95) in got  # the day the close names
        # 净息差, 不良率, 拨备覆盖率, 资本充足率, 贷款, 存款 have no code
        assert {m for m, *_ in got} == {"revenue", "net_profit_attributable", "roe", "book_value_per_share", "pb",
                                        "share_price_close", "target_price", "total_assets"}

    def test_old_target_price_is_a_prior_estimate(self, extracted):
        got = facts_of(extracted, "n07_en_broker_jaderiver.txt")
        targets = sorted(g for g in got if g[0] == "target_price")
        assert targets == [("target_price", "level", "2025-08-20", "estimate", 38.5),
                           ("target_price", "level", "2025-08-20", "prior_estimate", 35.0)]
