"""The live area: the public boards on the big screen, on phones and on the quiz screen,
streamed over WebSockets (docs/live-protocol.md). The hub hears of changes through the store's
numbered changes and the channels of web/channels.py, never by importing another area; the
pages (pages.py) are frames that board.js paints and keeps in step."""
