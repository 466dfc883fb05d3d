-- Each search segment keeps its papers' category filter terms, so that a search asks them of memory (core/papers/search-index/doc-table.ts).
ALTER TABLE `search_segments` ADD `filters` blob DEFAULT x'' NOT NULL;--> statement-breakpoint
ALTER TABLE `search_segments` ADD `filter_terms` text DEFAULT '[]' NOT NULL;