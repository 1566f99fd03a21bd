"""The shared web toolkit: who is asking (web/auth.py) and how a judge's link or PIN is checked
(web/security.py), the database as each route receives it, one transaction per use case
(web/database.py), path parameters (web/params.py), problem bodies and refused pages for
every refusal (web/problem_bodies.py), the two languages (web/i18n.py), rendering a page and
the act-then-redirect pattern of forms (web/pages.py), the channels that tell open screens
something changed (web/channels.py), and the sign-in routes (web/signin_api.py).

It imports the core and the store, never an audience area (organiser, judges, quiz, public,
live): the areas build on it. It decides no rule of a competition.
"""
