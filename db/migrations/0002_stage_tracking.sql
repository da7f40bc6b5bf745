CREATE TABLE `stage_duration_rollups` (
	`workspace_id` text NOT NULL,
	`funnel_id` text NOT NULL,
	`day` text NOT NULL,
	`stage` text NOT NULL,
	`bucket` integer NOT NULL,
	`visitors` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`funnel_id`, `day`, `stage`, `bucket`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`funnel_id`) REFERENCES `funnels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `visitor_stages` ADD `touch_at` integer;--> statement-breakpoint
ALTER TABLE `visitor_stages` ADD `first_purchase_at` integer;