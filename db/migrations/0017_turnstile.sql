CREATE TABLE `turnstile_secrets` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`secret_key` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `turnstile_settings` (
	`funnel_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`site_key` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`funnel_id`) REFERENCES `funnels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `turnstile_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `turnstile_tokens_expiry_idx` ON `turnstile_tokens` (`expires_at`);