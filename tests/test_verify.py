"""`verify` reads every entry of every pack, including reports merged as corroboration."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Invoke


def test_a_corroborating_report_is_verified_in_its_own_words(
    invoke: Invoke, tmp_path: Path
) -> None:
    # The same reading as the seed's little-giants figure, so the registry merges it
    # into the seed's observation; its own stated text says something else.
    pack = {
        "format": 1,
        "source": {
            "id": "wire-2026-01-22",
            "publisher": "示例通讯社",
            "publisher_en": "Example Wire (fictional)",
            "title": "示例报道",
            "title_en": "Example report (fictional)",
            "date": "2026-01-22",
            "event": "国新办新闻发布会",
            "event_en": "SCIO press conference (fictional report)",
            "attribution": "A fictional report for a test.",
        },
        "facts": [
            {
                "id": "sme.little-giants",
                "topic": "sme",
                "kind": "figure",
                "label": "Little giants",
                "label_zh": "小巨人企业",
                "value": 17600,
                "unit": "enterprises",
                "qualifier": "exact",
                "period": "2025",
                "stated": "1.67万家",
            }
        ],
    }
    path = tmp_path / "wire.json"
    path.write_text(json.dumps(pack, ensure_ascii=False), encoding="utf-8")
    shown = json.loads(
        invoke("show", "sme.little-giants@2025", "--json", "--data", str(path)).stdout
    )
    assert shown[0]["corroborated_by"] == ["wire-2026-01-22"]  # merged, as intended
    result = invoke("verify", "--data", str(path))
    assert result.exit_code == 2
    assert "sme.little-giants@2025: value 17600 but '1.67万家' says 16700" in result.stderr
