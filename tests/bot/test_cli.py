"""The `newsdigest` command line, run as a user runs it."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest.mock import patch

import pytest

from bot.cli import main
from storage import article_count, open_db
from tests.newssite import NewsSite

ROOT = Path(__file__).resolve().parents[2]
GOOD = (
    "Harbour ferry returns after storm repairs\n"
    "The harbour ferry resumed service on Friday after three weeks of repairs.\n"
    '"We are glad to have it back," said Captain Lena Holm, who runs the crossing.\n'
    "Tickets cost the same as before, the operator said.\n"
)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "cli.db"))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")


def run(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run `newsdigest ARGS` in this process, as the console script does."""
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        patch.object(sys, "stdin", io.StringIO(stdin)),
    ):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse errors
            code = int(exit_.code or 0)
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def test_add_list_show_search_remove(tmp_path: Path) -> None:
    (tmp_path / "ferry.txt").write_text(GOOD, encoding="utf-8")
    added = run(tmp_path, "add", "ferry.txt")
    assert added.returncode == 0, added.stderr
    assert added.stdout == "1\tHarbour ferry returns after storm repairs\n"
    assert added.stderr.strip().endswith("1 added, 0 already there, 0 failed")
    again = run(tmp_path, "add", "ferry.txt")
    assert again.stdout == "1\tHarbour ferry returns after storm repairs\t(already there)\n"
    listed = run(tmp_path, "list", "--limit", "5")
    assert listed.stdout.startswith("1\t") and "Harbour ferry" in listed.stdout
    shown = run(tmp_path, "show", "1")
    assert shown.stdout.startswith("#1 Harbour ferry returns after storm repairs")
    assert "Summary:" in shown.stdout and "Tickets cost the same" in shown.stdout
    found = run(tmp_path, "search", "ferry", "repairs")
    assert found.stdout == "1\tHarbour ferry returns after storm repairs\n"
    removed = run(tmp_path, "remove", "1")
    assert removed.stdout == "removed #1\n"
    missing = run(tmp_path, "show", "1")
    assert missing.returncode == 1 and missing.stderr == "newsdigest: no article #1\n"


def test_bulk_add_goes_on_after_bad_sources_and_fails_overall(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 news\nThe caf\xe9 opened.".encode("latin-1"))
    result = run(
        tmp_path, "add", "empty.txt", "blob.txt", "good.txt", "nope.txt", "latin1.txt", "ftp://x/y"
    )
    assert result.returncode == 1
    assert "Harbour ferry" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("newsdigest: ")]
    assert len(errors) == 5
    assert result.stderr.strip().endswith("1 added, 0 already there, 5 failed")
    db = open_db(tmp_path / "cli.db")
    assert article_count(db) == 1
    db.close()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"   \n\t ",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        b"<html><script>alert(1)</script></html>",
    ],
)
def test_bad_inputs_leave_stored_data_unchanged(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    run(tmp_path, "add", "good.txt")
    before = (tmp_path / "cli.db").read_bytes()
    (tmp_path / "bad.html").write_bytes(content)
    result = run(tmp_path, "add", "bad.html")
    assert result.returncode == 1
    assert (
        len([x for x in result.stderr.splitlines() if x.startswith("newsdigest: bad.html")]) == 1
    )
    db = open_db(tmp_path / "cli.db")
    assert article_count(db) == 1
    assert db.execute("SELECT title FROM articles").fetchall() == [
        ("Harbour ferry returns after storm repairs",)
    ]
    db.close()
    assert before  # the database existed before the bad input


def test_fifty_megabytes_is_refused_with_one_line(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = run(tmp_path, "add", "big.txt")
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 2  # the error, then the summary line
    assert "MB" in result.stderr.splitlines()[0]


def test_add_from_stdin(tmp_path: Path) -> None:
    result = run(tmp_path, "add", "-", stdin=GOOD)
    assert result.stdout == "1\tHarbour ferry returns after storm repairs\n"


def test_summarize_prints_without_storing(tmp_path: Path) -> None:
    (tmp_path / "ferry.txt").write_text(GOOD, encoding="utf-8")
    plain = run(tmp_path, "summarize", "ferry.txt", "--sentences", "2")
    assert plain.returncode == 0
    assert plain.stdout.startswith("Harbour ferry returns after storm repairs\n\n• ")
    as_json = json.loads(run(tmp_path, "summarize", "ferry.txt", "--json").stdout)
    assert as_json["title"] == "Harbour ferry returns after storm repairs"
    assert 1 <= len(as_json["summary"]) <= 3
    assert all(set(q) >= {"text", "speaker", "cue"} for q in as_json["quotes"])
    assert not (tmp_path / "cli.db").exists() or article_count(open_db(tmp_path / "cli.db")) == 0


def test_summarize_shared_sample_has_key_quotes(tmp_path: Path, shared_sample: Path) -> None:
    result = json.loads(run(tmp_path, "summarize", str(shared_sample), "--json").stdout)
    assert result["title"] == "Putin hails ‘model’ Russia-China relations in Xi call"
    speakers = {q["speaker"] for q in result["quotes"]}
    assert "Xi Jinping" in speakers or "Vladimir Putin" in speakers
    assert all(q["text"] not in ("model", "dear friend") for q in result["quotes"])


def test_shared_sample_stored_without_footer(tmp_path: Path, shared_sample: Path) -> None:
    assert run(tmp_path, "add", str(shared_sample)).returncode == 0
    db = open_db(tmp_path / "cli.db")
    title, body = db.execute("SELECT title, body FROM articles").fetchone()
    everything = " ".join(str(v) for row in db.execute("SELECT * FROM articles") for v in row)
    db.close()
    assert title == "Putin hails ‘model’ Russia-China relations in Xi call"
    assert body.rstrip().endswith("aiming to shore up legitimacy for the ruling Communist Party.")
    assert "whole-process people’s democracy" in body.split("\n\n")[-1]
    for headline in ("Cure Flu With Theses Two Golden Foods", "Costco $20 Rule", "Britney Spears"):
        assert headline not in everything
    again = run(tmp_path, "add", str(shared_sample))
    assert again.stdout.startswith("1\t") and "(already there)" in again.stdout


def test_resummarize_and_bad_arguments(tmp_path: Path) -> None:
    (tmp_path / "ferry.txt").write_text(GOOD, encoding="utf-8")
    run(tmp_path, "add", "ferry.txt")
    db = open_db(tmp_path / "cli.db")
    db.execute("UPDATE articles SET summary_version = 'old'")
    db.close()
    assert run(tmp_path, "resummarize").stdout == "1 summaries recomputed\n"
    assert run(tmp_path, "resummarize").stdout == "0 summaries recomputed\n"
    bad = run(tmp_path, "show", "abc")
    assert bad.returncode == 2 and "invalid int value" in bad.stderr


def test_console_chat_from_stdin_seeds_samples_and_answers(tmp_path: Path) -> None:
    result = run(tmp_path, "chat", stdin="/latest 2\n/article 1\n/help\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Latest news\n")
    assert result.stdout.count("/article_") == 2
    assert "Key quotes" in result.stdout
    assert "Admin commands" in result.stdout  # the local user is the admin


def test_run_without_token_opens_the_console_chat(tmp_path: Path) -> None:
    result = run(tmp_path, "run", stdin="/latest 1\n")
    assert result.returncode == 0
    assert result.stdout.startswith("Latest news\n")


def test_bad_settings_name_the_key(tmp_path: Path) -> None:
    env = {**os.environ, "NEWSDIGEST_ADMIN_IDS": "12,abc", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("newsdigest: NEWSDIGEST_ADMIN_IDS must be")
    assert len(result.stderr.splitlines()) == 1


def test_python_m_bot_without_token_is_the_console_chat(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSDIGEST_DB": str(tmp_path / "m.db")}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        input="/latest 1\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Latest news\n") and "/article_" in result.stdout


def test_feed_add_list_poll_remove(tmp_path: Path, site: NewsSite) -> None:
    site.publish("/rss", range(1, 3))
    added = run(tmp_path, "feed", "add", site.url("/rss"))
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines() == [
        "following feed #1 Example News (2 items listed)",
        "feed #1 Example News: 2 new",
    ]
    [line] = run(tmp_path, "feed", "list").stdout.splitlines()
    assert line.startswith("1\tactive\tevery 15 min\t2 items\tlast success: 20")
    assert line.endswith(f"\t{site.url('/rss')}\tExample News")
    nothing_due = run(tmp_path, "feed", "poll")
    assert nothing_due.returncode == 0 and "no feed is due" in nothing_due.stderr
    site.publish("/rss", range(1, 4))
    polled = run(tmp_path, "feed", "poll", "--all")
    assert polled.stdout == "[1/1] feed #1 Example News: 1 new\n"
    removed = run(tmp_path, "feed", "remove", "1")
    assert removed.stdout == "stopped following feed #1; its articles stay\n"
    again = run(tmp_path, "feed", "remove", "1")
    assert (again.returncode, again.stderr) == (1, "newsdigest: no feed #1\n")
    assert "no feeds" in run(tmp_path, "feed", "list").stderr
    db = open_db(tmp_path / "cli.db")
    assert article_count(db) == 3
    db.close()


def test_feed_add_refuses_what_is_not_a_feed(tmp_path: Path, site: NewsSite) -> None:
    site.page("/story", "Just a page", ["A paragraph of news, officials said on Monday."])
    refused = run(tmp_path, "feed", "add", site.url("/story"))
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("newsdigest: ") and refused.stderr.count("\n") == 1
    assert "not an RSS or Atom feed" in refused.stderr
    site.publish("/rss", range(1, 2))
    bad_every = run(tmp_path, "feed", "add", site.url("/rss"), "--every", "0")
    assert (bad_every.returncode, bad_every.stderr) == (
        2,
        "newsdigest: --every must be 1 to 10080 minutes\n",
    )
    resumed = run(tmp_path, "feed", "resume", "7")
    assert (resumed.returncode, resumed.stderr) == (1, "newsdigest: no feed #7\n")


def test_console_chat_follows_a_feed_and_shows_links(tmp_path: Path, site: NewsSite) -> None:
    site.publish("/rss", range(1, 3))
    result = run(tmp_path, "chat", stdin=f"/feed add {site.url('/rss')}\n/latest 1\n")
    assert result.returncode == 0, result.stderr
    assert "Following feed #1 Example News, every 15 min." in result.stdout
    assert "feed #1 Example News: 2 new" in result.stdout  # polled before the next command
    assert f"Harbour story 2 <{site.url('/harbour/2')}>" in result.stdout
