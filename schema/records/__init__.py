"""Read-only GraphQL for records: sessions, lane events, gate commands, alarms, payments, merchants, faults."""
