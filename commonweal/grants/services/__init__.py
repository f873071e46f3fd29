"""Every write in the grants app, one module per part: funds, canvas, panels, awards, open data."""
