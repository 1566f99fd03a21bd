"""The public's area: what anyone may read without signing in (health, the competitions' names,
a blind round's decoded codes once published); results pages join it with the results issue.
Only what is published reaches it. Imports the web toolkit, the core and the store; never
another area."""
