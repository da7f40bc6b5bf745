CREATE TABLE `activities` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`deal_id` text NOT NULL,
	`type` text NOT NULL,
	`subject` text NOT NULL,
	`due_at` integer NOT NULL,
	`has_time` integer DEFAULT true NOT NULL,
	`duration_minutes` integer,
	`assignee_id` text,
	`done_at` integer,
	`notes` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`due_notified_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`deal_id`) REFERENCES `deals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "activities_type_ck" CHECK("activities"."type" in ('call','email','meeting','task','deadline')),
	CONSTRAINT "activities_duration_ck" CHECK("activities"."duration_minutes" is null or "activities"."duration_minutes" between 1 and 1440)
);
--> statement-breakpoint
CREATE INDEX `activities_deal_due_idx` ON `activities` (`deal_id`,`due_at`,`id`);--> statement-breakpoint
CREATE INDEX `activities_ws_deal_open_idx` ON `activities` (`workspace_id`,`deal_id`,`due_at`,`id`) WHERE "activities"."done_at" is null;--> statement-breakpoint
CREATE INDEX `activities_ws_assignee_open_idx` ON `activities` (`workspace_id`,`assignee_id`,`due_at`,`id`) WHERE "activities"."done_at" is null;--> statement-breakpoint
CREATE INDEX `activities_ws_due_idx` ON `activities` (`workspace_id`,`due_at`,`id`);--> statement-breakpoint
CREATE INDEX `activities_due_unnotified_idx` ON `activities` (`due_at`) WHERE "activities"."done_at" is null and "activities"."due_notified_at" is null;--> statement-breakpoint
ALTER TABLE `deals` ADD `origin` text DEFAULT 'manual' NOT NULL;--> statement-breakpoint
-- Existing deals: the origin their first history row (the creation, from no stage) tells by who made it:
-- a qualification rule (`rule:<id>`), an automation (`automation:<name>`), an import, else a person.
UPDATE `deals` SET `origin` = CASE
    WHEN `h`.`moved_by` = 'import' THEN 'import'
    WHEN `h`.`moved_by` LIKE 'rule:%' THEN 'qualification'
    WHEN `h`.`moved_by` LIKE 'automation:%' THEN 'automation'
    ELSE 'manual'
  END
FROM (
  SELECT `deal_id`, `moved_by`, min(`moved_at`) FROM `deal_stage_history` WHERE `from_stage_id` IS NULL GROUP BY `deal_id`
) AS `h`
WHERE `h`.`deal_id` = `deals`.`id`;--> statement-breakpoint
-- A deal without that row (none should lack it) that came from a lead of a funnel was opened by a qualification rule.
UPDATE `deals` SET `origin` = 'qualification'
WHERE `lead_id` IS NOT NULL AND `source_funnel_id` IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM `deal_stage_history` `s` WHERE `s`.`deal_id` = `deals`.`id` AND `s`.`from_stage_id` IS NULL);
