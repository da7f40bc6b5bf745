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
CREATE INDEX `media_ws_kind_created_idx` ON `media` (`workspace_id`,`kind`,`created_at`,`id`);