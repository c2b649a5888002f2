-- SalesDesk schema, version 16: activities in `activity list` order.
--
-- `activity list` shows the newest activities first (by when they were done, else due,
-- else logged) and stops at 200. Without an index in that order SQLite read and sorted
-- every activity to show 200: 0.27 s at the 100k-deal demo book's 200k activities,
-- growing with the book, not with what is shown (issue 17). With it, 6 ms.
CREATE INDEX activities_newest ON activities (coalesce(done_at, due_at, created_at) DESC, id DESC)
    WHERE deleted_at IS NULL;
