-- The audit chain is keyed (issue 9; docs/decisions/0005-audit-hash-chain.md): each entry names the key that signed its
-- hash (HMAC-SHA256). Entries written before keep their plain SHA-256 hash and are marked 'legacy-sha256'.
ALTER TABLE audit_entries ADD COLUMN key_id TEXT NOT NULL DEFAULT 'legacy-sha256';
