"""Funds and small grants: ideas canvases, gallery, fair panels, sponsors, awards and 360Giving open data."""
