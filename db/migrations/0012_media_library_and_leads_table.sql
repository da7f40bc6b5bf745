CREATE TABLE `media` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`content_type` text NOT NULL,
	`byte_size` integer NOT NULL,
	`width` integer,
	`height` integer,
	`alt` text,
	`original_name` text NOT NULL,
	`sha256` text NOT NULL,
	`storage_key` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "media_kind_ck" CHECK("media"."kind" in ('image','file'))
);
--> statement-breakpoint
CREATE INDEX `media_ws_created_idx` ON `media` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `media_ws_kind_created_idx` ON `media` (`workspace_id`,`kind`,`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `leads` ADD `furthest_stage` integer;--> statement-breakpoint
ALTER TABLE `leads` ADD `last_activity_at` integer;--> statement-breakpoint
CREATE INDEX `leads_ws_created_id_idx` ON `leads` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `leads_ws_activity_idx` ON `leads` (`workspace_id`,coalesce(`last_activity_at`, `created_at`),`id`);--> statement-breakpoint
CREATE INDEX `leads_ws_score_idx` ON `leads` (`workspace_id`,`score`,`id`);--> statement-breakpoint
CREATE INDEX `leads_ws_filter_idx` ON `leads` (`workspace_id`,`source_funnel_id`,`furthest_stage`,`source`,`qualified_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `events_visitor_time_idx` ON `events` (`visitor_id`,`occurred_at`);--> statement-breakpoint
UPDATE `leads` SET `furthest_stage` = `s`.`stage` FROM (
  SELECT `v`.`lead_id`, max(`vs`.`furthest_stage`) AS `stage` FROM `visitor_stages` `vs` JOIN `visitors` `v` ON `v`.`id` = `vs`.`visitor_id`
  WHERE `v`.`lead_id` IS NOT NULL GROUP BY `v`.`lead_id`
) AS `s` WHERE `leads`.`id` = `s`.`lead_id`;--> statement-breakpoint
UPDATE `leads` SET `last_activity_at` = `a`.`at` FROM (
  SELECT `lead_id`, max(`last_seen_at`) AS `at` FROM `visitors` WHERE `lead_id` IS NOT NULL GROUP BY `lead_id`
) AS `a` WHERE `leads`.`id` = `a`.`lead_id`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `leads_search` USING fts5(`email`, `name`, `company`, content='leads', content_rowid='rowid', tokenize='trigram');--> statement-breakpoint
CREATE TRIGGER `leads_search_insert` AFTER INSERT ON `leads` BEGIN
  INSERT INTO `leads_search` (rowid, `email`, `name`, `company`) VALUES (new.rowid, new.`email`, new.`name`, new.`company`);
END;--> statement-breakpoint
CREATE TRIGGER `leads_search_delete` AFTER DELETE ON `leads` BEGIN
  INSERT INTO `leads_search` (`leads_search`, rowid, `email`, `name`, `company`) VALUES ('delete', old.rowid, old.`email`, old.`name`, old.`company`);
END;--> statement-breakpoint
CREATE TRIGGER `leads_search_update` AFTER UPDATE OF `email`, `name`, `company` ON `leads` BEGIN
  INSERT INTO `leads_search` (`leads_search`, rowid, `email`, `name`, `company`) VALUES ('delete', old.rowid, old.`email`, old.`name`, old.`company`);
  INSERT INTO `leads_search` (rowid, `email`, `name`, `company`) VALUES (new.rowid, new.`email`, new.`name`, new.`company`);
END;--> statement-breakpoint
INSERT INTO `leads_search` (`leads_search`) VALUES ('rebuild');
