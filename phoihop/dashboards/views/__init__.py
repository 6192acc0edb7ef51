"""Pages of the dashboards app: one dashboard per kind of user, the map, and the list behind every figure."""
