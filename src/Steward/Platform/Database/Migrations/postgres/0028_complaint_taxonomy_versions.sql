-- Issue 13: editable complaint taxonomies. A new version copies the codes of the one before it; a retired code stays in the
-- version (complaints coded with it keep its name) but is refused for new coding and recoding.
ALTER TABLE complaint_codes ADD COLUMN retired boolean NOT NULL DEFAULT false;
