-- The dashboard's TOFU / MOFU / BOFU sections count people: visitors by the day they arrived, their
-- furthest stage and their source. Read from visitor_stages that is a scan of every visitor of the
-- period (hundreds of ms at 100k visitors a month); this rollup, kept by ingest, is a few cells a day.
-- WITHOUT ROWID (which drizzle cannot declare, schema.ts says so): ingest upserts by the primary
-- key, so the row lives in that one tree instead of a table plus its key index.
CREATE TABLE `people_rollups` (
	`workspace_id` text NOT NULL,
	`funnel_id` text NOT NULL,
	`day` text NOT NULL,
	`furthest_stage` integer NOT NULL,
	`source` text DEFAULT '' NOT NULL,
	`visitors` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`funnel_id`, `day`, `furthest_stage`, `source`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`funnel_id`) REFERENCES `funnels`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
-- Backfill from the visitors already tracked: exactly the rows the sections counted before (an
-- arrival, a furthest stage reached), each in its arrival's UTC day.
INSERT INTO `people_rollups` (`workspace_id`, `funnel_id`, `day`, `furthest_stage`, `source`, `visitors`)
	SELECT `workspace_id`, `funnel_id`, date(`awareness_at` / 1000.0, 'unixepoch'), `furthest_stage`, `source`, count(*)
	FROM `visitor_stages`
	WHERE `awareness_at` IS NOT NULL AND `furthest_stage` >= 0
	GROUP BY `funnel_id`, date(`awareness_at` / 1000.0, 'unixepoch'), `furthest_stage`, `source`, `workspace_id`;
