"""Assembly: the command line (and, later, the web app). Thin: parse, call the core, print."""
