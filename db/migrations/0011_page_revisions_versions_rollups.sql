-- Page drafts get a revision (no lost updates between two editors), versions say why they exist
-- (publish, restore, relink), and page views and conversions get a per-page daily rollup, kept by
-- ingest and filled here from the events already stored. The rollup is upserted by its key on every
-- batch, so it has no rowid (as visitors, migration 0010; drizzle cannot declare it, schema.ts says so).
CREATE TABLE `page_daily_rollups` (
	`workspace_id` text NOT NULL,
	`funnel_id` text NOT NULL,
	`page_id` text NOT NULL,
	`day` text NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`conversions` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`funnel_id`, `day`, `page_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`funnel_id`) REFERENCES `funnels`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
ALTER TABLE `funnel_pages` ADD `revision` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `funnel_pages` ADD `draft_updated_by` text REFERENCES users(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `page_versions` ADD `reason` text DEFAULT 'publish' NOT NULL;--> statement-breakpoint
ALTER TABLE `page_versions` ADD `restored_from` integer;--> statement-breakpoint
INSERT INTO `page_daily_rollups` (`workspace_id`, `funnel_id`, `page_id`, `day`, `views`, `conversions`)
	SELECT e.`workspace_id`, e.`funnel_id`, e.`page_id`, strftime('%Y-%m-%d', e.`occurred_at` / 1000, 'unixepoch') AS `day`,
		sum(e.`type` = 'page_view'), sum(e.`type` IN ('form_submit', 'lead_magnet_download', 'chat_email'))
	FROM `events` e JOIN `funnels` f ON f.`id` = e.`funnel_id` AND f.`workspace_id` = e.`workspace_id`
	WHERE e.`page_id` IS NOT NULL AND e.`type` IN ('page_view', 'form_submit', 'lead_magnet_download', 'chat_email')
	GROUP BY e.`funnel_id`, `day`, e.`page_id`;
