CREATE TABLE `lead_erasures` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`erased_by` text,
	`erased_at` integer NOT NULL,
	`counts` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`erased_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `lead_erasures_ws_idx` ON `lead_erasures` (`workspace_id`,`erased_at`);--> statement-breakpoint
ALTER TABLE `consent_records` ADD `wording_sha256` text;--> statement-breakpoint
ALTER TABLE `leads` ADD `erased_at` integer;