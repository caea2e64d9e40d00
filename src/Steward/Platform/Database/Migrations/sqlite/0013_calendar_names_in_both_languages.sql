-- Calendars and their holidays named in both languages, and the shipped standards' notes in the reader's language (issue 10, item 8): name is the Chinese name, name_en the
-- English one. A calendar needs both (like branches and teams); a holiday may have either, readers then see the other.

ALTER TABLE sla_calendars ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE sla_calendar_days ADD COLUMN name_en TEXT NULL;

-- The shipped demo calendars had both languages typed into one name.
UPDATE sla_calendars SET name = '上海营业日历', name_en = 'Shanghai business calendar' WHERE name = '上海营业日历 Shanghai';
UPDATE sla_calendars SET name = '伦敦营业日历', name_en = 'London business calendar' WHERE name = 'London business calendar 伦敦营业日历';
-- Any other calendar: its one name serves both languages until an administrator types the English one.
UPDATE sla_calendars SET name_en = name WHERE name_en = '';

-- A holiday name without Chinese characters is the English name.
UPDATE sla_calendar_days SET name_en = name, name = NULL WHERE name IS NOT NULL AND NOT (name GLOB '*[一-龥]*');
-- The PRC preset's Chinese names get their English names (PrcHolidayPreset).
UPDATE sla_calendar_days SET name_en = CASE name
    WHEN '元旦' THEN 'New Year''s Day' WHEN '春节' THEN 'Spring Festival' WHEN '清明节' THEN 'Qingming Festival'
    WHEN '劳动节' THEN 'Labour Day' WHEN '端午节' THEN 'Dragon Boat Festival' WHEN '中秋节' THEN 'Mid-Autumn Festival'
    WHEN '国庆节' THEN 'National Day' WHEN '调休上班' THEN 'make-up working day' END
WHERE name_en IS NULL AND name IN ('元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节', '调休上班');

-- Shipped standards: their notes become string-table keys (sla.note.*), shown in the reader's language; the PRC
-- preset's rules text names its pause reason in words instead of by its stored name.
UPDATE sla_standard_versions SET change_note = 'sla.note.shippedPreset' WHERE change_note = 'Shipped preset 系统预置';
UPDATE sla_rules SET note = 'sla.note.prcComplaintExtension' WHERE note = '15 日；复杂 30 日；特别复杂再延 30 日（最长 60 日）';
UPDATE sla_standard_versions SET rules_zh = replace(rules_zh, '（暂停原因 ExternalAppraisal）', '（暂停原因“外部鉴定、检测”）'),
    rules_en = replace(rules_en, '(pause reason ExternalAppraisal)', '(pause reason “External appraisal / testing”)');
