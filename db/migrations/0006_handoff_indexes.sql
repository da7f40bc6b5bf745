ALTER TABLE `deals` ADD `source` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `deals` SET `source` = coalesce(nullif((SELECT `source` FROM `leads` WHERE `leads`.`id` = `deals`.`lead_id`), ''), json_extract(`attribution`, '$.source'), '');--> statement-breakpoint
CREATE INDEX `deals_ws_handoff_idx` ON `deals` (`workspace_id`,`source_funnel_id`,`source`,`currency`,`created_at`,`closed_at`,`stage_id`,`value_minor`);--> statement-breakpoint
CREATE INDEX `leads_ws_handoff_idx` ON `leads` (`workspace_id`,`source_funnel_id`,`source`,`created_at`,`qualified_at`);