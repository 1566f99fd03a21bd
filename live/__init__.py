"""The live area: the public boards on the big screen and on phones, streamed over WebSockets
(the live scoreboard issue builds it here). It will hear of changes through the store and the
channels of web/channels.py, never by importing another area. Empty today: the only live feed
so far is the chief judge's console, in the judges' area."""
