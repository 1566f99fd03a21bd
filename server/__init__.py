"""The assembly: the one place the web app (server/app.py) and the `scoring` command line
(server/cli.py, with the demo in server/demo.py) are wired together from the areas, the web
toolkit, results, the store and the core. Deployment settings are read here
(server/settings.py). Nothing imports this package."""
