"""The live area: the public boards on the big screen and on phones, streamed over WebSockets
(docs/live-protocol.md). It hears of changes through the store's numbered changes and the
channels of web/channels.py, never by importing another area."""
