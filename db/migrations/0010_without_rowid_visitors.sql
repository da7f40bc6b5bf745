-- Ingest looks up and upserts visitors by id and visitor stages by (funnel, visitor) on every
-- batch. As rowid tables each lookup walks the primary-key index and then the table; without a
-- rowid the row lives in the primary-key tree itself: one tree to search and one fewer to write.
-- Drizzle cannot declare WITHOUT ROWID, so the tables are rebuilt here (schema.ts says so).
-- Nothing references either table, so dropping the old copy cascades nowhere.
CREATE TABLE `__new_visitors` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`lead_id` text,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`first_touch` text DEFAULT '{}' NOT NULL,
	`last_touch` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_visitors` (`id`, `workspace_id`, `lead_id`, `first_seen_at`, `last_seen_at`, `first_touch`, `last_touch`)
	SELECT `id`, `workspace_id`, `lead_id`, `first_seen_at`, `last_seen_at`, `first_touch`, `last_touch` FROM `visitors`;
--> statement-breakpoint
DROP TABLE `visitors`;
--> statement-breakpoint
ALTER TABLE `__new_visitors` RENAME TO `visitors`;
--> statement-breakpoint
CREATE INDEX `visitors_ws_idx` ON `visitors` (`workspace_id`);
--> statement-breakpoint
CREATE INDEX `visitors_lead_idx` ON `visitors` (`lead_id`) WHERE "visitors"."lead_id" is not null;
--> statement-breakpoint
CREATE TABLE `__new_visitor_stages` (
	`workspace_id` text NOT NULL,
	`funnel_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`furthest_stage` integer NOT NULL,
	`awareness_at` integer,
	`interest_at` integer,
	`evaluation_at` integer,
	`desire_at` integer,
	`sale_at` integer,
	`retention_at` integer,
	`source` text DEFAULT '' NOT NULL,
	`medium` text DEFAULT '' NOT NULL,
	`campaign` text DEFAULT '' NOT NULL,
	`touch_at` integer,
	`first_purchase_at` integer,
	`event_mask` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`funnel_id`, `visitor_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`funnel_id`) REFERENCES `funnels`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_visitor_stages` (`workspace_id`, `funnel_id`, `visitor_id`, `furthest_stage`, `awareness_at`, `interest_at`, `evaluation_at`, `desire_at`, `sale_at`, `retention_at`, `source`, `medium`, `campaign`, `touch_at`, `first_purchase_at`, `event_mask`)
	SELECT `workspace_id`, `funnel_id`, `visitor_id`, `furthest_stage`, `awareness_at`, `interest_at`, `evaluation_at`, `desire_at`, `sale_at`, `retention_at`, `source`, `medium`, `campaign`, `touch_at`, `first_purchase_at`, `event_mask` FROM `visitor_stages`;
--> statement-breakpoint
DROP TABLE `visitor_stages`;
--> statement-breakpoint
ALTER TABLE `__new_visitor_stages` RENAME TO `visitor_stages`;
--> statement-breakpoint
CREATE INDEX `visitor_stages_awareness_idx` ON `visitor_stages` (`funnel_id`,`awareness_at`);
