"""District and school oversight: class-day rollups and the dashboards that read them."""
