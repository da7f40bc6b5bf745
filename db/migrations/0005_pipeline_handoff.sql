CREATE TABLE `automation_runs` (
	`key` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`deal_id` text,
	`ran_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `automation_runs_ws_idx` ON `automation_runs` (`workspace_id`,`ran_at`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_status_code` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`endpoint_id`) REFERENCES `webhook_endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_endpoint_idx` ON `webhook_deliveries` (`endpoint_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`url` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`secret` text NOT NULL,
	`events` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_ws_idx` ON `webhook_endpoints` (`workspace_id`);--> statement-breakpoint
ALTER TABLE `deal_stage_history` ADD `pipeline_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `deal_stage_history` SET `pipeline_id` = (SELECT `pipeline_id` FROM `deals` WHERE `deals`.`id` = `deal_stage_history`.`deal_id`);--> statement-breakpoint
ALTER TABLE `deal_stage_history` ADD `ms_in_from_stage` integer;--> statement-breakpoint
CREATE INDEX `deal_stage_history_pipeline_idx` ON `deal_stage_history` (`pipeline_id`,`moved_at`);--> statement-breakpoint
ALTER TABLE `leads` ADD `source` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `leads` SET `source` = coalesce(json_extract(`first_touch`, '$.source'), '');--> statement-breakpoint
ALTER TABLE `leads` ADD `qualified_at` integer;--> statement-breakpoint
CREATE INDEX `leads_ws_qualified_idx` ON `leads` (`workspace_id`,`qualified_at`);--> statement-breakpoint
ALTER TABLE `pipelines` ADD `automations` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `qualification_rules` ADD `assign_cursor` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `visitor_stages` ADD `event_mask` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `deals_ws_created_idx` ON `deals` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `deals_open_lead_uq` ON `deals` (`pipeline_id`,`lead_id`) WHERE "deals"."closed_at" is null and "deals"."lead_id" is not null;