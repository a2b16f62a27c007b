"""Bytes -> text for note files: UTF-8 (with or without BOM), else GB18030, else a clear rejection."""

from __future__ import annotations

from .errors import BadInput

# Signatures of common binary formats that sometimes arrive named .txt.
BINARY_SIGNATURES = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x7fELF")


def looks_binary(data: bytes) -> bool:
    head = data[:4096]
    return head.startswith(BINARY_SIGNATURES) or b"\x00" in head


def _mostly_text(text: str) -> bool:
    """A wrong-codec decode produces rare symbols and control characters; real notes do not."""
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / len(sample) < 0.01


def decode_note_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). Raises BadInput(ingest.empty | ingest.binary | ingest.undecodable)."""
    if not data.strip():
        raise BadInput("ingest.empty", "the file is empty (0 bytes or only whitespace)")
    if looks_binary(data):
        raise BadInput("ingest.binary", "the file is binary (NUL bytes or a binary signature), not text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise BadInput(
            "ingest.undecodable",
            f"neither UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
            f"nor GB18030 ({exc.reason} at byte {exc.start})",
        ) from None
    if not _mostly_text(text):
        raise BadInput("ingest.undecodable", "decodes as GB18030 only into control/private-use characters")
    return text, "gb18030"
