"""`python -m bot`: start the bot (or, without a token, the console chat)."""

from bot.cli import main

# Guarded, so that importing it (as multiprocessing may, for a worker) starts nothing.
if __name__ == "__main__":
    raise SystemExit(main(["run"]))
