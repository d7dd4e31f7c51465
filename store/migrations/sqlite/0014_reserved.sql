-- Reserved for migration 0014 (branch plan); the lead replaces this no-op at merge.
SELECT 1;
