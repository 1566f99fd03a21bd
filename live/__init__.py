"""The live scoreboard: WebSocket protocol, channels and display pages.

Empty until the live scoreboard issue. It will learn of new marks from a channel message
published after a transaction commits, never by importing judges/.
"""
