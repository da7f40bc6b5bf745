CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`actor_kind` text NOT NULL,
	`actor_user_id` text,
	`actor_api_key_id` text,
	`action` text NOT NULL,
	`object_type` text,
	`object_id` text,
	`summary` text,
	`ip_hash` text,
	`user_agent` text,
	`request_id` text,
	`created_at` integer NOT NULL,
	CONSTRAINT "audit_log_actor_kind_ck" CHECK("audit_log"."actor_kind" in ('member','api_key','system'))
);
--> statement-breakpoint
CREATE INDEX `audit_log_ws_time_idx` ON `audit_log` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_ws_action_idx` ON `audit_log` (`workspace_id`,`action`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_ws_actor_idx` ON `audit_log` (`workspace_id`,`actor_user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_ws_object_idx` ON `audit_log` (`workspace_id`,`object_type`,`object_id`);