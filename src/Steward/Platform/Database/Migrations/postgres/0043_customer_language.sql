-- The language a customer reads (zh-CN or en), so that what Steward writes to them — survey invitations, SLA extension
-- notices, complaint letters — is in one language, theirs. Null: not stated; the branch's regime decides (FCA English,
-- else Chinese).
ALTER TABLE customers ADD COLUMN preferred_language varchar(10) NULL;
