"""The online drills' audience area (网上练兵): contestants' papers and practice levels behind their
signed links (pages and JSON API), each unit's participation page, and a published preliminary's
public board. The organiser's side is in organiser/online_*.py."""
