"""GraphQL for merchants and their parking coupons."""
