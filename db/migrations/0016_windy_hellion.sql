CREATE TABLE `lead_mails` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`email_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_id`) REFERENCES `leads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lead_mails_once_uq` ON `lead_mails` (`lead_id`,`kind`,`ref`);--> statement-breakpoint
CREATE INDEX `lead_mails_ws_idx` ON `lead_mails` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `member_notifications` (
	`workspace_id` text NOT NULL,
	`user_id` text NOT NULL,
	`new_lead` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `user_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `member_notifications_new_lead_idx` ON `member_notifications` (`workspace_id`,`new_lead`);--> statement-breakpoint
ALTER TABLE `leads` ADD `unsubscribed_at` integer;