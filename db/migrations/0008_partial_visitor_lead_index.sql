DROP INDEX `visitors_lead_idx`;--> statement-breakpoint
CREATE INDEX `visitors_lead_idx` ON `visitors` (`lead_id`) WHERE "visitors"."lead_id" is not null;