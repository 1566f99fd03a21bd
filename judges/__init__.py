"""Judges' tablets and the chief judge's console (routes, services, templates).

Empty until the server and tablet issues: the sheet rules they will use are already in
scoring/sheets.py and their persistence in scoring/store/.
"""
