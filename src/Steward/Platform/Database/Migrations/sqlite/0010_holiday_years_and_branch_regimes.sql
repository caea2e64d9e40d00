-- Holiday years of calendars and regulatory regimes of branches (issue 10; docs/decisions/0016-branch-regulatory-regimes.md).

-- The years whose holidays and make-up working days a calendar holds completely. A deadline counted into a year
-- missing here says so in its explanation, and administrators are reminded before such a year begins.
CREATE TABLE sla_calendar_years (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    calendar_id  INTEGER NOT NULL REFERENCES sla_calendars (id) ON DELETE CASCADE,
    year         INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_sla_calendar_years_calendar_id_year ON sla_calendar_years (calendar_id, year);
-- Calendars from before: each year in which a calendar has a holiday or a make-up working day counts as loaded.
INSERT INTO sla_calendar_years (calendar_id, year)
SELECT DISTINCT calendar_id, CAST(substr(date, 1, 4) AS INTEGER) FROM sla_calendar_days;

-- One reminder per calendar and missing year; the unique key makes it once across nodes.
CREATE TABLE sla_holiday_reminders (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    calendar_id  INTEGER NOT NULL REFERENCES sla_calendars (id) ON DELETE CASCADE,
    year         INTEGER NOT NULL,
    raised_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_sla_holiday_reminders_calendar_id_year ON sla_holiday_reminders (calendar_id, year);

-- A branch's own regulatory regime for complaints; NULL = the institution's (sla_settings.regulatory_standard_id).
ALTER TABLE branches ADD COLUMN regulatory_standard_id INTEGER NULL REFERENCES sla_standards (id) ON DELETE RESTRICT;
CREATE INDEX ix_branches_regulatory_standard_id ON branches (regulatory_standard_id);
