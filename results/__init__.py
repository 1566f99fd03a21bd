"""Results: standings with tie-breaks, the overall of a competition, and (later) awards,
publication and exports. Imports scoring/; scoring/ never imports this package."""
