"""The enforce path: one CloudTrail event in, one decision, at most one tag write and alert out."""
