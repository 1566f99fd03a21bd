"""The call for entries' own audience area: units submit and revise their works through their
signed link (/works/unit/{token}), and experts review the works assigned to them away from the
venue (/review). Imports web, the core, the store and results; never another area."""
