"""The paper's claims: what a claim is (spec), the claims and their rules (table), recording a computed value (record), the claims table and its CI check (report)."""
