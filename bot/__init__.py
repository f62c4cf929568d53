"""The Telegram edge and the composition root.

Builds the `Application`, holds the thin handlers, the console chat, rendering
to Telegram HTML, the digest jobs and the `newsdigest` command line. Nothing
else in the project imports `bot`.
"""
