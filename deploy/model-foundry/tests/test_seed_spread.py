"""tools/seed_spread.py: a method's Dice over several noise seeds, and two packages compared on their per-case means."""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import seed_spread  # noqa: E402


def _run(folder: Path, dice: dict[str, float], method: str = "full-pipeline") -> str:
    cases = folder / "cases" / method
    cases.mkdir(parents=True)
    for case, value in dice.items():
        (cases / f"{case}.json").write_text(json.dumps({"caseId": case, "status": "ok", "dice": value}))
    return str(folder)


def test_seedSpread_twoPackagesOverSeeds_reportsEachRunTheSpreadAndThePairedDifference(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """One case that moves from 0.6 to 0.2 between seeds is the spread; the second package gains 0.1 on every case's
    mean over its seeds, so the interval is that gain exactly and every case is a win."""
    old = [_run(tmp_path / "old0", {"c1": 0.6, "c2": 0.0}), _run(tmp_path / "old1", {"c1": 0.2, "c2": 0.0})]
    new = [_run(tmp_path / "new0", {"c1": 0.5, "c2": 0.1}), _run(tmp_path / "new1", {"c1": 0.5, "c2": 0.1})]
    assert seed_spread.main([f"0.6.0={','.join(old)}", f"0.6.2={','.join(new)}"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == ("0.6.0: 2 run(s) over 2 cases; mean Dice per run 0.300 0.100; over runs 0.200; "
                        "spread per case mean 0.200, largest 0.400"), lines[0]
    assert lines[1].startswith("0.6.2: 2 run(s) over 2 cases; mean Dice per run 0.300 0.300; over runs 0.300"), lines[1]
    assert lines[2] == "0.6.2 − 0.6.0 (cases' means over runs): +0.100 [+0.100, +0.100] (2 / 0 / 0)", lines[2]


def test_seedSpread_caseMissingFromOneRunOrNoCases_usesCommonCasesOrFailsClearly(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    first = _run(tmp_path / "a", {"c1": 0.4, "c2": 0.9})
    second = _run(tmp_path / "b", {"c1": 0.2})  # c2 failed in this run: only c1 is compared
    assert seed_spread.main([f"p={first},{second}"]) == 0
    assert "over 1 cases; mean Dice per run 0.400 0.200" in capsys.readouterr().out
    (tmp_path / "empty").mkdir()
    assert seed_spread.main([f"p={tmp_path / 'empty'}"]) == 2
    assert seed_spread.main([f"p={first}", "--method", "aova"]) == 2  # no such method's cases
