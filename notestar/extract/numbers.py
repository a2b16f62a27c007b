"""Numbers with their scale, currency and ratio unit, built from `units.yaml`.

`NumberGrammar(units)` compiles one regex for "a number as written" (人民币12.3亿元, 356.20百万美元,
41.25%, 0.6个百分点, 12.5倍, HK$7.85, RMB3.14 billion) and `parse()` turns a match into a value in whole
units plus the XBRL decimals of the value as written (13.57亿 -> -6, 41.25% -> 2, 760万 -> -4).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class Amount:
    value: float  # signed, normalised (whole currency units, % points, multiples, shares)
    unit: str | None  # CNY | USD | HKD | % | pp | x | shares | None (bare number)
    kind: str  # amount | ratio | multiple | shares | bare
    decimals: int
    explicit_sign: bool
    scaled: bool  # a scale word (亿, 万, million) was written
    scale: float = 1.0
    ccy_written: bool = False  # a currency word was written (not the CNY default of a bare scale)


class NumberGrammar:
    def __init__(self, units: dict):
        self.scales = {str(k): float(v) for k, v in (units.get("scales") or {}).items()}
        self.currencies = {str(k): str(v) for k, v in (units.get("currencies") or {}).items()}
        self.ratio_units = {str(k): str(v) for k, v in (units.get("ratio_units") or {}).items()}
        self.count_units = {str(k): str(v) for k, v in (units.get("count_units") or {}).items()}
        self.ratio_scales = {str(k): float(v) for k, v in (units.get("ratio_scales") or {}).items()}
        ccy_scales = {str(k): float(v) for k, v in (units.get("currency_scales") or {}).items()}
        # 港仙 / 美分: a currency and a scale in one word (26.5港仙 = 0.265 HKD)
        self.subunits = {str(k): (str(v["currency"]), float(v["scale"]))
                         for k, v in (units.get("currency_subunits") or {}).items()}
        # 分 / 仙: a cent only right after a currency written before the figure ("人民币8.50分")
        self.written_subunits = {str(k): float(v) for k, v in (units.get("written_currency_subunits") or {}).items()}
        cjk_scales = [s for s in self.scales if not s.isascii()]
        en_scales = [s for s in self.scales if s.isascii()]
        # written before the figure: RMB, US$, 人民币, 港币 / 港元 / 美元 ("港币5.6亿元": HKD, 元 is the unit word)
        pre_ccy = [c for c in self.currencies
                   if c.isascii() and c.isupper() or "$" in c or (not c.isascii() and not c.startswith("元"))]
        post_ccy = [c for c in self.currencies if "$" not in c]  # HK$ / US$ / $ are written before the figure
        post_ccy += list(self.subunits)
        ratio = list(self.ratio_units)
        # "RMB812m": a short scale only after a currency written before the figure
        short = (rf"|(?(pre_ccy)(?:{_alt(ccy_scales)})(?![A-Za-z])|(?!))") if ccy_scales else ""
        self.scales.update({k: v for k, v in ccy_scales.items() if k not in self.scales})
        ratio_ascii = [r for r in ratio if r.isascii() and r.isalpha()]
        ratio_other = [r for r in ratio if r not in ratio_ascii]
        # count units that are not bare 股 with a scale (万股 = 万 + 股)
        shares = [c for c in self.count_units if not any(c.startswith(s) and len(c) > len(s) for s in cjk_scales)]
        # "-RMB88mn": a minus before a Latin currency code, not inside a range ("HK$3.1-HK$3.6")
        lead = [c for c in pre_ccy if c.isascii()]
        lead_sign = rf"(?:(?<![\w.%$])(?P<lead_sign>[-−])(?=(?:{_alt(lead)})\d))?" if lead else ""
        self.pattern = (
            rf"{lead_sign}(?:(?P<pre_ccy>{_alt(pre_ccy)})\s?)?"
            r"(?P<sign>[-−+])?"
            rf"(?:(?P<num>{_NUM})|(?P<implicit>上|过|破)(?=亿))"
            rf"(?:\s?(?P<scale>{_alt(cjk_scales)}|(?:\s?(?:{_alt(en_scales)})\b){short}))?"
            rf"(?:\s?(?P<ccy>{_alt(post_ccy)}))?"
            + (rf"(?:(?P<sub>{_alt(self.written_subunits)})(?(pre_ccy)|(?!))(?![别钟期之部红配]))?"
               if self.written_subunits else "") +
            rf"(?:\s?(?P<ratio>{_alt(ratio_other)}|(?:{_alt(ratio_ascii)})(?![A-Za-z])))?"
            rf"(?:(?P<shares>{_alt(shares)}))?"
        )
        self.regex = re.compile(self.pattern)
        # an accountant's negative in running prose: "(3.2)亿元", "(1,234)万元", "(3.2)%", "RMB(3.2) billion"
        # (a unit right after, or a currency written before it)
        after = _alt(cjk_scales + [c for c in post_ccy if not c.isascii()] + ratio_other)
        ccy3 = "|".join(re.escape(c) for c in pre_ccy if len(c) == 3 and c.isascii())  # fixed-width look-behind
        before = rf"(?<={ccy3})|(?<=(?:{ccy3}) )" if ccy3 else "(?!)"
        self.bracketed = re.compile(rf"[(（]({_NUM})[)）](?=(?:{after})|\s?(?:{_alt(en_scales)})\b)"
                                    rf"|(?:{before})[(（]({_NUM})[)）]")

    def bracket_negatives(self, text: str) -> str:
        """"(3.2)亿元" -> "-3.2 亿元": same length (offsets hold), read then as a signed figure."""
        if "(" not in text and "（" not in text:
            return text
        return self.bracketed.sub(lambda m: "-" + (m.group(1) or m.group(2)) + " ", text)

    def parse(self, m: re.Match) -> Amount | None:
        g = m.groupdict()
        text = (g.get("num") or "1").replace(",", "")  # 上亿 / 破亿: one 亿
        try:
            base = float(text)
        except ValueError:
            return None
        frac = len(text.split(".")[1]) if "." in text else 0
        scale_word = (g.get("scale") or "").strip()
        scale = self.scales.get(scale_word, self.scales.get(scale_word.lower(), 1.0)) if scale_word else 1.0
        ccy_word = g.get("ccy") or g.get("pre_ccy")
        if g.get("pre_ccy") and g.get("ccy") == "元":
            ccy_word = g["pre_ccy"]  # "港币5.6亿元", "美元3亿元": the currency named first; 元 is the unit word
        unit = None
        kind = "bare"
        if g.get("ratio"):
            unit = self.ratio_units[g["ratio"]]
            kind = {"%": "ratio", "pp": "ratio", "x": "multiple"}.get(unit, "ratio")
            if g["ratio"] in self.ratio_scales:  # 80bp -> 0.8 pp
                rs = self.ratio_scales[g["ratio"]]
                base = float(f"{base * rs:.10g}")
                frac -= round(math.log10(rs))
        elif g.get("shares"):
            unit, kind = "shares", "shares"
        elif (ccy_word in self.subunits or g.get("sub")) and not scale_word:
            unit, sub = (self.currencies[ccy_word], self.written_subunits[g["sub"]]) if g.get("sub") else \
                self.subunits[ccy_word]
            kind = "amount"
            # scaled stays False: a per-share figure in cents is still a per-share figure
            value = float(f"{base * sub:.10g}")
            value = -value if g.get("sign") in ("-", "−") else value
            return Amount(value, unit, kind, frac - round(math.log10(sub)), g.get("sign") is not None, False, sub,
                          True)
        elif ccy_word in self.subunits:
            return None  # "3万港仙": not written in the genre
        elif ccy_word:
            unit, kind = self.currencies[ccy_word], "amount"
        elif scale_word:
            unit, kind = "CNY", "amount"  # 3000万 with no currency named: CNY (rule 1)
        sign = g.get("sign") or g.get("lead_sign")
        value = base * scale
        if sign in ("-", "−"):
            value = -value
        value = float(f"{value:.10g}")  # no float noise: 13.57 * 1e8 -> 1357000000.0
        decimals = frac - (round(math.log10(scale)) if scale > 0 else 0)
        return Amount(value, unit, kind, decimals, sign is not None, bool(scale_word), scale, bool(ccy_word))


def merge_range_ends(a: Amount, b: Amount) -> tuple[Amount, Amount] | None:
    """The two ends of a range written once with a currency before and a scale after ("US$440-455 million",
    "人民币12-15亿元"): the first end takes the scale, the second the currency. None when they do not split so."""
    if not (a.kind == "amount" and a.ccy_written and not a.scaled and b.scaled and b.kind == "amount"
            and (not b.ccy_written or b.unit == a.unit)):
        return None
    frac = a.decimals
    first = Amount(float(f"{a.value * b.scale:.10g}"), a.unit, "amount", frac - round(math.log10(b.scale)),
                   a.explicit_sign, True, b.scale, True)
    second = Amount(abs(b.value), a.unit, "amount", b.decimals, False, True, b.scale, True)
    return first, second
