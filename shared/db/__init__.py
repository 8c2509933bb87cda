"""Database models, engine/session factory and migrations, shared by embedded and distributed modes."""
