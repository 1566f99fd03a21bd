"""Live updates: the channels that tell open screens something changed, and (with the live
scoreboard issue) the WebSocket protocol and display pages.

Producers (the judges' and chief judge's routes) announce a change on a channel after their
transaction commits; screens subscribe over a WebSocket. live/ never imports judges/.
"""
