"""Ingest: decoding, splitting multi-note files, metadata, and bad inputs going to quarantine."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from notestar.ingest import ingest_folder
from notestar.ingest.decode import decode_note_bytes
from notestar.ingest.errors import BadInput
from notestar.ingest.split import split_notes

MULTI = """搜索文档
云图科技(688777.SH)：三季度营收同比增长18%
证券日报· 2025-10-30 18:05
- 2025年第三季度实现营业收入12.5亿元，同比增长18.2% [1]
- 归母净利润1.3亿元 [2]
云图科技20251020
2025-10-21 09:30
* 管理层表示全年收入增速有望保持在15%以上[1]
"""

REPORT = """

2025 年 03 月 28 日

## 蓝海数据 (301234. SZ)

—年报点评：利润率持续改善

投资评级： 买入（维持）

资料来源：公司公告，东方证券研究所预测
"""


def test_split_multi_note_file_into_notes_with_metadata():
    notes = split_notes(MULTI)
    assert [n.title for n in notes] == ["云图科技(688777.SH)：三季度营收同比增长18%", "云图科技20251020"]
    assert notes[0].publisher == "证券日报"
    assert notes[0].published_at == datetime(2025, 10, 30, 18, 5)
    assert notes[1].publisher is None and notes[1].published_at == datetime(2025, 10, 21, 9, 30)
    assert notes[1].kind == "minutes"
    # debris before the first title belongs to no note; each note starts at its title
    assert notes[0].text.startswith("云图科技(688777.SH)") and "搜索文档" not in notes[0].text
    assert "管理层表示" in notes[1].text and "管理层表示" not in notes[0].text


def test_single_report_note_takes_date_title_and_broker_from_the_text():
    (note,) = split_notes(REPORT)
    assert note.published_at == datetime(2025, 3, 28)
    assert note.title == "蓝海数据 (301234. SZ) 年报点评：利润率持续改善"
    assert note.publisher == "东方证券"
    assert note.kind == "broker_report"


def test_english_note_language_and_date():
    text = "Harbor Cloud (HBC) 3Q25 results\nReuters· 2025-11-12 08:00\nRevenue rose 12% year-over-year."
    (note,) = split_notes(text)
    assert note.language == "en" and note.publisher == "Reuters"


@pytest.mark.parametrize("byline, day", [("Northgate Research | 7 April 2026", datetime(2026, 4, 7)),
                                         ("Northgate Research | April 7, 2026", datetime(2026, 4, 7)),
                                         ("Northgate Research, 21 Sept. 2025", datetime(2025, 9, 21))])
def test_english_byline_dates_day_or_month_first(byline, day):
    text = f"Tidewater Logistics (0388.HK)\nFY25 results: margins hold\n{byline}\n\nRevenue rose 9% YoY to HK$4.2bn."
    (note,) = split_notes(text)
    assert note.published_at == day


def test_decode_utf8_gb18030_and_rejections():
    assert decode_note_bytes("营收增长".encode())[1] == "utf-8"
    assert decode_note_bytes("营收增长".encode("gb18030")) == ("营收增长", "gb18030")
    for data, check in [(b"", "ingest.empty"), (b"\x89PNG\r\n\x1a\n\x00\x00", "ingest.binary"),
                        ("营收".encode() + b"\xff\xfe\xc3\x28", "ingest.undecodable")]:
        with pytest.raises(BadInput) as err:
            decode_note_bytes(data)
        assert err.value.check_name == check


def test_ingest_folder_quarantines_bad_files_and_keeps_good_ones(tmp_path: Path):
    (tmp_path / "good.txt").write_text(MULTI, encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(REPORT.encode("gb18030"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "broken.md").write_bytes("营收".encode() + b"\xff\xfe\xc3\x28" + "亿元".encode())
    (tmp_path / "zz_copy.txt").write_text(MULTI, encoding="utf-8")
    (tmp_path / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "huge.txt").write_text("无数字的评论。" * 2000, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    result = ingest_folder(tmp_path, max_text_bytes=20_000)

    assert result.files_seen == 8
    assert sorted(result.notes["source_file"].to_list()) == ["gbk.txt", "good.txt", "good.txt"]
    assert result.encodings["gbk.txt"] == "gb18030"
    checks = dict(zip(result.quarantine["source_file"], result.quarantine["check_name"], strict=True))
    assert checks == {
        "empty.txt": "ingest.empty", "image.txt": "ingest.binary", "broken.md": "ingest.undecodable",
        "zz_copy.txt": "ingest.duplicate", "sheet.xlsx": "ingest.unsupported_type", "huge.txt": "ingest.too_large",
    }
    assert all(result.quarantine["reason"].str.len_chars() > 10)
    # the landing folder is read-only to notestar
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_note_ids_are_content_hashes(tmp_path: Path):
    (tmp_path / "a.txt").write_text(MULTI, encoding="utf-8")
    first = ingest_folder(tmp_path).notes["note_id"].to_list()
    (tmp_path / "b.txt").write_text("x", encoding="utf-8")
    again = ingest_folder(tmp_path).notes.filter(source_file="a.txt")["note_id"].to_list()
    assert first == again and len(set(first)) == 2 and all(len(n) == 64 for n in first)


def test_parallel_read_equals_serial(tmp_path, monkeypatch):
    """A large landing folder is read on a process pool, in order: the same notes and rejects as one process."""
    from notestar.ingest import folder

    landing = tmp_path / "landing"
    shutil.copytree(Path(__file__).resolve().parent / "data" / "heldout4" / "notes", landing)
    (landing / "empty.txt").write_bytes(b"")
    (landing / "table.xlsx").write_bytes(b"PK\x03\x04")
    serial = folder.ingest_folder(landing, workers=1)
    monkeypatch.setattr(folder, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(folder, "FILES_PER_TASK", 3)
    parallel = folder.ingest_folder(landing, workers=2)
    assert serial.notes.height == 14 and parallel.notes.equals(serial.notes)
    assert parallel.quarantine.equals(serial.quarantine)
    assert set(parallel.quarantine["check_name"]) == {"ingest.empty", "ingest.unsupported_type"}
