"""Open Referral UK 3.0 (HSDS-UK-3.0) serialisation of the directory's records."""
