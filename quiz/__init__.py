"""The quiz master's area (/api/quiz): recording a quiz round's answers and reading its
running scores. Imports the web toolkit, the core and the store; never another area."""
