-- What each side of a steward decision looked like (a hash of the fields the matcher compares) when the steward
-- decided, so a cannot-link is reopened, visibly, only when one of its records changed in a compared field.
ALTER TABLE match_decision ADD COLUMN left_fingerprint text;
ALTER TABLE match_decision ADD COLUMN right_fingerprint text;
