"""Seeded synthetic demo data (experts, organizations, opportunities, events) for expertbridge."""
