"""The nominating units' and the experts' pages of a selection by nomination: a unit's form
through its signed link (/nominate/{token}) and the panel's ballot (/deliberation/{key})."""
