"""Ratings, rating actions, target prices and the issuing institution, one statement per note.

`extract_ratings(notes, lexicon)` returns schemas.RATINGS rows. Rating and action words come from
`lexicon/ratings.yaml`, brokers and media outlets from `lexicon/institutions.csv`.

- Text after a disclaimer / rating-definition heading (投资评级说明, 免责声明, …) is cut off, and any
  sentence that reads as a definition (买入：相对同期基准指数…) is skipped: those words define a
  scale, they are not the note's view.
- A note gives one rating (the first statement; its action is the first one stated with an action)
  and zero, one or two target prices (a range 8.5-9.0元 gives two rows). A digest whose lines each open
  with a company and its code ("- **某某(603317.SH)**：…") gives one such statement per company.
- A rating word alone as the last sentence of a line ("…12.5x FY26E P/E. Buy.") is a rating.
- The institution is the note's publisher when it is a broker, else a broker named in the title
  (【X证券】, 研报速递｜X证券：), in the rating sentence, or anywhere in the text.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import polars as pl

from notestar import schemas
from notestar.extract.sentences import original_offset, unwrap_hard_breaks
from notestar.lexicon import LEXICON_DIR

try:
    from notestar.extract import EXTRACTOR_VERSION
except ImportError:  # pragma: no cover
    EXTRACTOR_VERSION = "0.1.0"

MAX_HITS_PER_PATTERN = 50  # a note states its rating a few times; more is a digest or noise
_Q_OPEN = "[“\"「『‘']?"
_Q_CLOSE = "[”\"」』’']?"
_NUM = r"[0-9]+(?:\.[0-9]+)?"
_BROKER_SUFFIX = re.compile(
    r"^[\u4e00-\u9fffA-Za-z.&\s]{2,14}?(证券|国际|资本|香港|海外|期货|Securities|Research|Capital|International|Markets)$"
)
_EN_DESK_TAIL = re.compile(r"\s+(?:Global\s+|Equity\s+|Investment\s+)?Research$")
_ZH_DESK = re.compile(
    r"^(?P<broker>.{2,14}?(?:证券|国际|资本|期货))[\u4e00-\u9fff]{0,8}(?:研究团队|团队|研究小组|小组|研究组)$")
_ORG_TAIL = re.compile(r"(股份有限公司|有限责任公司|有限公司|经济研究所|研究所|研究院|研究部|研究中心)$")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Rx:
    rating_zh: dict
    rating_en: dict
    action_zh: dict
    action_en: dict
    act_rating: re.Pattern  # 维持“增持”评级 / 首次覆盖，给予买入评级
    change: re.Pattern  # 评级由“持有”上调至“增持”
    act_first: re.Pattern  # 下调评级至“中性”
    labelled: re.Pattern  # 投资评级：增持（维持）
    bare: re.Pattern  # “买入”评级 / 买入评级
    en_act: re.Pattern
    en_bare: re.Pattern
    en_alone: re.Pattern
    target: re.Pattern
    target_en: re.Pattern
    disclaimer: re.Pattern
    definition: re.Pattern
    # quick gates: every English rating pattern needs an English rating word (case as written), target_en its
    # key words; scanning a Chinese body with the full case-insensitive patterns cost ~0.6 ms per note
    en_word: re.Pattern
    en_target_word: re.Pattern


@lru_cache(maxsize=4)
def _compile(cfg_items: tuple) -> _Rx:
    cfg = dict(cfg_items)
    rz, re_, az, ae = (dict(cfg.get(k) or {}) for k in ("ratings_zh", "ratings_en", "actions_zh", "actions_en"))
    R = _alt(rz)
    A = _alt(az)
    act_rating = re.compile(
        rf"(?P<act>{A})[，,\s]*(?:[^，。,；;\n“”\"]{{0,24}}?)[，,\s]*(?:给予)?\s*{_Q_OPEN}(?P<r>{R}){_Q_CLOSE}\s*(?:的)?(?:投资)?评级"
    )
    change = re.compile(
        rf"评级由\s*{_Q_OPEN}(?P<from>{R}){_Q_CLOSE}\s*(?P<act>{A})\s*(?:至|为)?\s*{_Q_OPEN}(?P<r>{R}){_Q_CLOSE}"
    )
    act_first = re.compile(
        rf"(?P<act>{A})\s*(?:公司|其)?\s*(?:投资)?评级\s*(?:至|为|到)\s*{_Q_OPEN}(?P<r>{R}){_Q_CLOSE}"
    )
    labelled = re.compile(
        rf"(?:投资)?评级\s*(?:[:：]|为|是|\t| -)\s*{_Q_OPEN}(?P<r>{R}){_Q_CLOSE}\s*(?:[（(]\s*(?P<act>{A})\s*[)）])?"
    )
    bare = re.compile(rf"{_Q_OPEN}(?P<r>{R}){_Q_CLOSE}\s*(?:投资)?评级")
    RE = _alt(re_)
    AE = _alt(ae)
    en_act = re.compile(
        rf"(?i:(?P<act>{AE}))\b[^.\n;]{{0,40}}?(?:rating\s+(?:of|at)\s+|with\s+(?:an?\s+)?)?[\"“']?(?P<r>{RE})[\"”']?\b"
    )
    en_bare = re.compile(
        rf"(?:[\"“'](?P<r1>{RE})[\"”']|\b(?P<r2>{RE})\b)\s+(?i:rating)|(?i:rating)\s*(?:of|:|is)?\s*[\"“']?(?P<r3>{RE})\b"
    )
    # "…implying 12.5x FY26E P/E. Buy.": the rating word alone as the last sentence of a line
    en_alone = re.compile(rf"(?m)(?:^|(?<=[.;!]\s))[ \t]*(?P<r>{RE})\.?[ \t]*$")
    cur_pre = r"(?P<pre>HK\$|US\$|RMB|HKD|USD|CNY|港币|港元|人民币|\$|￥|¥)"
    cur_post = r"(?P<cur>港元|港币|美元|元人民币|人民币|元|HKD|USD|CNY|RMB)"
    rng = rf"(?P<a>{_NUM})(?:\s*(?:-|–|—|~|～|至|到)\s*(?P<b>{_NUM}))?"
    target = re.compile(
        r"目标(?:价格?|价位|股价)\s*(?:由[^至。；;\n]{0,20}?至|"
        r"(?:(?:上调|下调|调整|提升|提高|上修|下修|下降)\s*)?(?:" + _NUM + r"\s*%\s*)?"
        r"(?:调整为|调整至|上调至|下调至|维持在|维持|为|至|到|是|:|：)?)\s*"
        + cur_pre + r"?\s*" + rng + r"\s*" + cur_post + "?"
    )
    target_en = re.compile(
        r"(?i:target\s+price|price\s+target|\bTP\b)[^0-9$\n.]{0,30}?"
        + cur_pre + r"?\s*" + rng + r"\s*" + cur_post + "?"
    )
    heads = _alt(cfg.get("disclaimer_headings") or [])
    disclaimer = re.compile(rf"(?m)^[ \t]*(?:#+[ \t]*|\*\*|<b>)?[ \t]*(?:{heads})[^\n]{{0,16}}$")
    definition = re.compile(_alt(cfg.get("definition_markers") or ["\x00"]), re.IGNORECASE)
    en_word = re.compile(RE)
    en_target_word = re.compile(r"[Tt][Aa][Rr][Gg][Ee][Tt]|[Pp][Rr][Ii][Cc][Ee]|[Tt][Pp]")
    return _Rx(rz, re_, az, ae, act_rating, change, act_first, labelled, bare, en_act, en_bare, en_alone, target,
               target_en, disclaimer, definition, en_word, en_target_word)


def _rx(lexicon) -> _Rx:
    cfg = lexicon.ratings or {}
    items = tuple((k, tuple(v.items()) if isinstance(v, dict) else tuple(v)) for k, v in sorted(cfg.items()))
    return _compile(items)


@lru_cache(maxsize=1)
def _institutions() -> tuple[dict, set]:
    """spelling -> canonical name for brokers; the set of media outlet spellings."""
    brokers, media = {}, set()
    path = LEXICON_DIR / "institutions.csv"
    if not path.exists():
        return brokers, media
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = [row["name"], *[a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]]
            if row.get("kind") == "media":
                media.update(names)
            else:
                for n in names:
                    brokers[n] = row["name"]
    return brokers, media


def _broker_name(candidate: str | None) -> str | None:
    if not candidate:
        return None
    name = _ORG_TAIL.sub("", candidate.strip())
    brokers, media = _institutions()
    if not name or name in media or candidate.strip() in media:
        return None
    if name in brokers:
        return brokers[name]
    if candidate.strip() in brokers:
        return brokers[candidate.strip()]
    # "Citi Research", "Nomura Global Research": the broker's lexicon alias with a research-desk tail
    short = _EN_DESK_TAIL.sub("", name)
    if short != name and short in brokers:
        return brokers[short]
    desk = _ZH_DESK.match(name)
    if desk:  # "某某证券计算机团队": the broker, then its sector team
        return _broker_name(desk["broker"])
    return name if _BROKER_SUFFIX.match(name) else None


_TITLE_BROKER = [
    re.compile(r"【([^】]{2,14})】"),
    re.compile(r"[｜|]\s*([^：:｜|\s]{2,14})\s*[:：]"),
    re.compile(r"^\s*(?:#+\s*)?([^：:\s]{2,14})\s*[:：]"),
]
# a WeChat article's byline: "原创 某某研究所 2025年10月30日 21:06 上海"
_WECHAT_BYLINE = re.compile(r"(?m)^[ \t]*(?:原创|原創)[ \t]+([^\s]{2,14})[ \t]+(?:20[0-9]{2}年|20[0-9]{2}-)")
_TEXT_BROKER = re.compile(
    r"([\u4e00-\u9fff]{2,6}(?:证券|国际|香港|海外))(?:股份有限公司|有限公司|研究所|研究院|经济研究所)?"
)


def _institution(note: dict, body: str, sentence: str) -> str | None:
    got = _broker_name(note.get("publisher"))
    if got:
        return got
    title = note.get("title") or ""
    first_lines = "\n".join([title, *body.split("\n")[:8]])
    for rx in _TITLE_BROKER:
        for m in rx.finditer(first_lines):
            got = _broker_name(m.group(1))
            if got:
                return got
    for m in _TEXT_BROKER.finditer(sentence):
        got = _broker_name(m.group(1))
        if got:
            return got
    brokers, _ = _institutions()
    best = None
    for spelling, name in brokers.items():
        i = body.find(spelling)
        # the longest spelling at the first place: "国泰君安国际" is not "国泰君安"
        if i >= 0 and (best is None or i < best[0] or (i == best[0] and len(spelling) > best[2])):
            best = (i, name, len(spelling))
    if best:
        return best[1]
    for m in re.finditer(r"([\u4e00-\u9fff]{2,6}(?:证券|国际))(?:股份有限公司|研究所)", body):
        got = _broker_name(m.group(1))
        if got:
            return got
    # a WeChat article that names no broker (a digest relays one): the account that writes it rates
    m = _WECHAT_BYLINE.search(first_lines)
    return m[1] if m else None


_STOPS = ("。", "；", ";", "\n", " - ", "！", "？", ". ")
_BROKER_COUNT = re.compile(r"[0-9０-９]+\s*家(?:机构|券商|研究机构)?(?:给予|予以|维持|认为)?(?:其)?\s*[“\"「]?$")
_CITATION = re.compile(r"\s*(?:\[[0-9]{1,3}\])+")


_WINDOW = 300  # a sentence is looked for this far either side (keeps huge notes linear)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or bullet of a one-line bullet list) around text[start:end]."""
    lo, hi = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
    s = max((i + len(c) for c in _STOPS if (i := text.rfind(c, lo, start)) >= 0), default=lo)
    ends = [i for c in _STOPS if (i := text.find(c, end, hi)) >= 0]
    return s, (min(ends) if ends else hi)


def _clean_evidence(sentence: str) -> str:
    return _CITATION.sub("", sentence).strip(" -\t")


def _note_date(note: dict) -> date | None:
    p = note.get("published_at")
    if isinstance(p, datetime):
        return p.date()
    return p if isinstance(p, date) else None


def _body(text: str, rx: _Rx) -> str:
    """The note text up to its first disclaimer heading (same offsets as the note)."""
    m = rx.disclaimer.search(text)
    return text[: m.start()] if m else text


def _rating_hits(body: str, rx: _Rx) -> list[dict]:
    hits = []
    zh, en = "评级" in body, rx.en_word.search(body) is not None  # every zh pattern holds 评级
    for kind, pattern, words, actions in (
        ("zh.change", rx.change, rx.rating_zh, rx.action_zh),
        ("zh.act_first", rx.act_first, rx.rating_zh, rx.action_zh),
        ("zh.action", rx.act_rating, rx.rating_zh, rx.action_zh),
        ("zh.labelled", rx.labelled, rx.rating_zh, rx.action_zh),
        ("zh.bare", rx.bare, rx.rating_zh, rx.action_zh),
        ("en.action", rx.en_act, rx.rating_en, {k.lower(): v for k, v in rx.action_en.items()}),
        ("en.bare", rx.en_bare, rx.rating_en, {}),
        ("en.alone", rx.en_alone, rx.rating_en, {}),
    ):
        if not (en if kind.startswith("en") else zh):
            continue
        for n, m in enumerate(pattern.finditer(body)):
            if n >= MAX_HITS_PER_PATTERN:
                break
            group = next(g for g in ("r", "r1", "r2", "r3") if g in pattern.groupindex and m.group(g))
            word = m.group(group)
            act_word = m.group("act") if "act" in pattern.groupindex else None
            action = actions.get(act_word.lower() if kind.startswith("en") else act_word, "unknown") \
                if act_word else "unknown"
            s, e = _sentence_bounds(body, m.start(group), m.end(group))
            sentence = body[s:e]
            if rx.definition.search(sentence) or re.match(rf"\s*{re.escape(word)}\s*[:：]", sentence):
                continue
            if _BROKER_COUNT.search(body, max(0, m.start(group) - 16), m.start(group)):
                continue  # "其中9家给予买入评级": how many brokers rate it so, not this note's rating
            hits.append({"pos": m.start(group), "end": m.end(group), "word": word, "code": words[word],
                         "action": action, "rule": kind, "sentence": _clean_evidence(sentence)})
    hits.sort(key=lambda h: h["pos"])
    # one hit per rating word position (the patterns overlap): keep the one with an action
    out: dict[int, dict] = {}
    for h in hits:
        prev = out.get(h["pos"])
        if prev is None or (prev["action"] == "unknown" and h["action"] != "unknown"):
            out[h["pos"]] = h
    return sorted(out.values(), key=lambda h: h["pos"])


def _table_hits(body: str, rx: _Rx) -> list[dict]:
    """Markdown rating tables: | 机构 | … | 评级调整 | 最新评级 | …"""
    hits, header = [], None
    pos = 0
    for line in body.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not line.strip().startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            if any("评级" in c for c in cells):
                header = cells
            continue
        if len(cells) != len(header) or all(re.fullmatch(r":?-+:?", c) for c in cells):
            continue
        row = dict(zip(header, cells, strict=True))
        rating_col = next((h for h in header if "评级" in h and ("最新" in h or h in ("评级", "投资评级"))), None)
        action_col = next((h for h in header if "评级" in h and any(w in h for w in ("调整", "变动", "变化"))), None)
        inst_col = next((h for h in header if h in ("机构", "研究机构", "券商", "机构名称")), None)
        word = row.get(rating_col or "", "").strip("“”\"")
        if word not in rx.rating_zh:
            continue
        act = row.get(action_col or "", "")
        cell_at = line.find(word)
        hits.append({"pos": start + max(cell_at, 0), "end": start + max(cell_at, 0) + len(word), "word": word,
                     "code": rx.rating_zh[word], "action": rx.action_zh.get(act, "unknown"),
                     "rule": "zh.table", "sentence": _clean_evidence(line),
                     "institution": _broker_name(row.get(inst_col or "")) if inst_col else None})
    return hits


def _targets(body: str, rx: _Rx) -> list[dict]:
    out = []
    for pattern in (rx.target, rx.target_en):
        if pattern is rx.target_en and rx.en_target_word.search(body) is None:
            continue
        for n, m in enumerate(pattern.finditer(body)):
            if n >= MAX_HITS_PER_PATTERN:
                break
            cur = m.group("pre") or m.group("cur")
            currency = {"港元": "HKD", "港币": "HKD", "HK$": "HKD", "HKD": "HKD", "美元": "USD", "US$": "USD",
                        "USD": "USD", "$": "USD", "元": "CNY", "元人民币": "CNY", "人民币": "CNY", "RMB": "CNY",
                        "CNY": "CNY", "￥": "CNY", "¥": "CNY"}.get(cur or "")
            values = [float(m.group("a"))] + ([float(m.group("b"))] if m.group("b") else [])
            s, e = _sentence_bounds(body, m.start(), m.end())
            if rx.definition.search(body[s:e]):
                continue
            out.append({"values": values, "currency": currency, "pos": m.start("a"), "end": m.end(),
                        "sentence": _clean_evidence(body[s:e])})
    out.sort(key=lambda t: t["pos"])
    return out


# Full-width ASCII (１２.５％, ＨＫ＄) to half-width, one character for one so offsets stay valid.
_HALFWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


# a digest line about one company: "- **瑞禾食品(603317.SH)**：…", "2. 某某(688390)：…"
_LINE_COMPANY = re.compile(r"[ \t]*(?:[-*•][ \t]*)?(?:[0-9]{1,2}[.、)）][ \t]*)?(?:\*\*)?"
                           r"(?P<name>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9\-]{1,11})[ \t]?[(（]"
                           r"(?P<code>[0-9A-Za-z.:]{2,12})[)）](?:\*\*)?[ \t]*[:：]")


_HEADER_COMPANY = re.compile(r"[ \t]*(?:[-*•][ \t]*)?(?:[0-9]{1,2}[.、)）][ \t]*)?(?:\*\*)?"
                             r"(?P<name>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9\-]{1,11})[ \t]?[(（]"
                             r"(?P<code>[0-9A-Za-z.:]{2,12})[)）](?:\*\*)?[ \t:：]*")


def _line_company(body: str, pos: int) -> tuple[str, str] | None:
    """(name, ticker) of the company the line holding pos opens with, if it opens with one, or of a header line
    right above it that holds only the company ("某某科技（300001.SZ）" over its paragraph in a 晨会纪要)."""
    from notestar.extract.companies import canonical_ticker

    line_start = body.rfind("\n", 0, pos) + 1
    m = _LINE_COMPANY.match(body, line_start)
    if m is None and line_start > 0:
        m = _HEADER_COMPANY.fullmatch(body, body.rfind("\n", 0, line_start - 1) + 1, line_start - 1)
    if m is None:
        return None
    ticker = canonical_ticker(m["code"])
    return (m["name"], ticker) if ticker else None


def _paragraph_companies(body: str) -> dict[str, tuple[str, str]]:
    """name → (name, ticker) of the companies lines open with ("某某新能（300002.SZ）：…")."""
    out = {}
    pos = 0
    for line in body.split("\n"):
        c = _line_company(body, pos) if _LINE_COMPANY.match(line) else None
        if c is not None:
            out.setdefault(c[0], c)
        pos += len(line) + 1
    return out


def _clause_company(body: str, pos: int, named: dict) -> tuple[str, str] | None:
    """The company named in the clause before pos (back to the last ，；。), the last one if several."""
    start = max(body.rfind(ch, 0, pos) for ch in ("，", "；", "。", ",", ";", "\n")) + 1
    clause = body[start:pos]
    found = [(clause.rfind(n), c) for n, c in named.items() if n in clause]
    return max(found)[1] if found else None


def _same_company(key: tuple | None, subject: tuple) -> tuple | None:
    return subject if key is not None and key[0] == subject[0] else key


def _statement(note: dict, rx: _Rx, body: str, removed, hits: list[dict], targets: list[dict],
               institution: str | None, company: tuple[str | None, str | None]) -> list[dict]:
    """The rating rows of one company: its first rating statement and first target price."""
    first = hits[0] if hits else None
    action = next((h["action"] for h in hits if h["action"] != "unknown" and h["code"] == (first or {}).get("code")),
                  "unknown")
    anchor = first or {"pos": targets[0]["pos"], "end": targets[0]["end"], "sentence": targets[0]["sentence"]}
    tp = targets[0] if targets else None
    base = {
        "note_id": note["note_id"],
        "source_file": note["source_file"],
        "company_name": company[0],
        "company_ticker": company[1],
        "institution": institution,
        "rating": first["code"] if first else None,
        "rating_zh": first["word"] if first and first["word"] in rx.rating_zh else None,
        "action": action if first else None,
        "currency": tp["currency"] if tp else None,
        "rating_date": _note_date(note),
        "evidence": anchor["sentence"] if not tp or tp["sentence"] == anchor["sentence"]
        else f"{anchor['sentence']} … {tp['sentence']}",
        "span_start": original_offset(removed, anchor["pos"]),
        "span_end": original_offset(removed, anchor["end"], end=True),
        "rule_id": "rating." + (first["rule"] if first else "target_only"),
        "extractor_version": EXTRACTOR_VERSION,
    }
    if not tp:
        return [{**base, "target_price": None}]
    return [{**base, "target_price": v} for v in tp["values"]]


def _note_ratings(note: dict, rx: _Rx) -> list[dict]:
    # hard-wrapped lines joined ("维持“\n增持”评级"); spans map back to the note's offsets at the end
    text, removed = unwrap_hard_breaks((note.get("text") or "").translate(_HALFWIDTH))
    body = _body(text, rx)
    hits = _rating_hits(body, rx) + _table_hits(body, rx)
    hits.sort(key=lambda h: h["pos"])
    targets = _targets(body, rx)
    if not hits and not targets:
        return []
    first = hits[0] if hits else None
    anchor = first or {"pos": targets[0]["pos"], "end": targets[0]["end"], "sentence": targets[0]["sentence"]}
    institution = next((h.get("institution") for h in hits if h.get("institution")), None) \
        or _institution(note, body, anchor["sentence"])
    subject = (note.get("company_name"), note.get("company_ticker"))
    line_of = {h["pos"]: _same_company(_line_company(body, h["pos"]), subject) for h in hits}
    if len({c for c in line_of.values() if c}) < 2 and len(hits) >= 2:
        # "维持A“买入”评级，维持B“增持”评级" in a note with a paragraph per company: each rating is that of the
        # company named in its own clause
        named = _paragraph_companies(body)
        if len(named) >= 2:
            by_clause = {h["pos"]: _clause_company(body, h["pos"], named) for h in hits}
            if len({c for c in by_clause.values() if c}) >= 2:
                line_of = {p: _same_company(c, subject) for p, c in by_clause.items()}
    if len({c for c in line_of.values() if c}) >= 2:
        # a digest with one line per company (晨会纪要): each line's rating and target are that company's
        groups: dict[tuple, tuple[list, list]] = {}
        for h in hits:
            groups.setdefault(line_of[h["pos"]] or subject, ([], []))[0].append(h)
        for t in targets:
            key = _same_company(_line_company(body, t["pos"]), subject) or subject
            if key in groups:
                groups[key][1].append(t)
        return [r for key, (hs, ts) in groups.items() for r in _statement(note, rx, body, removed, hs, ts,
                                                                          institution, key)]
    return _statement(note, rx, body, removed, hits, targets, institution, subject)


def extract_ratings(notes: pl.DataFrame, lexicon) -> pl.DataFrame:
    """Ratings / target prices of `notes` (schemas.NOTES + company_name/_ticker) as schemas.RATINGS."""
    if notes.is_empty():
        return schemas.empty(schemas.RATINGS)
    rx = _rx(lexicon)
    words = _alt([*rx.rating_zh, *rx.rating_en, "目标价", "target price", "price target"])
    cols = [c for c in ("note_id", "source_file", "company_name", "company_ticker", "publisher", "title",
                        "published_at", "text") if c in notes.columns]
    candidates = notes.select(cols).filter(pl.col("text").str.contains(words))
    rows = [r for note in candidates.iter_rows(named=True) for r in _note_ratings(note, rx)]
    if not rows:
        return schemas.empty(schemas.RATINGS)
    return schemas.conform(pl.DataFrame(rows, infer_schema_length=None), schemas.RATINGS)
