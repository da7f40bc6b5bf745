CREATE TABLE `deleted_funnels` (
	`funnel_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`deleted_at` integer NOT NULL
);
