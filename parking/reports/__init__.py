"""Reports: daily rollups of traffic and money per lot, kept by a worker and read by the report queries."""
