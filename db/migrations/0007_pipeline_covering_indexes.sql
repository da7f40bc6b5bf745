DROP INDEX `deal_stage_history_pipeline_idx`;--> statement-breakpoint
CREATE INDEX `deal_stage_history_pipeline_idx` ON `deal_stage_history` (`pipeline_id`,`moved_at`,`from_stage_id`,`ms_in_from_stage`);--> statement-breakpoint
DROP INDEX `deals_pipeline_stage_idx`;--> statement-breakpoint
CREATE INDEX `deals_pipeline_stage_idx` ON `deals` (`pipeline_id`,`stage_id`,`position`,`id`,`currency`,`lost_reason`,`value_minor`,`stage_entered_at`,`expected_close_at`,`closed_at`,`created_at`,`workspace_id`);