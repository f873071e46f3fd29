"""The directory's views, one module per part: search, listing, moderation and assets."""
