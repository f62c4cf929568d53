"""`python -m bot`: start the bot (or, without a token, the console chat)."""

from bot.cli import main

raise SystemExit(main(["run"]))
