"""mtjbook.pages.page: where a page finds its character data (character_dir)."""

from __future__ import annotations

from pathlib import Path

from mtjbook.pages import page

ROOT = Path(__file__).resolve().parents[3]


def test_character_dir_finds_the_staged_package_and_else_the_test_copy(monkeypatch, tmp_path):
    monkeypatch.delenv(page.HANZI_ENV, raising=False)
    staged = ROOT / "_build" / "npm" / "node_modules" / "hanzi-writer-data"
    d, label = page.character_dir("师")
    if (staged / "师.json").is_file():  # after `make assets`
        assert (Path(d), label) == (staged, "the pinned npm package (make assets)")
    else:
        assert Path(d) == ROOT / "tests" / "data" / "hanzi" and "test copy" in label
    # a character the package does not hold falls back to the repository's test copy, which
    # exists (the folder is the repository's, not one inside mtjbook/)
    d, label = page.character_dir("\U0002ffff")
    assert Path(d) == ROOT / "tests" / "data" / "hanzi" and Path(d).is_dir()
    assert (Path(d) / "师.json").is_file()
    # the parameter, then the environment variable, win
    (tmp_path / "师.json").write_text("{}", encoding="utf-8")
    assert page.character_dir("师", str(tmp_path)) == (str(tmp_path), "the parameter hanzi_dir")
    monkeypatch.setenv(page.HANZI_ENV, str(tmp_path))
    assert page.character_dir("师")[0] == str(tmp_path)
