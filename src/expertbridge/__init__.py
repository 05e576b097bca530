"""expertbridge: a trilingual registry of science and technology experts for Moscow–Beijing matchmaking."""

__version__ = "0.1.0"
