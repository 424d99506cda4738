"""The audit file: opening it safely, migrations, every durable write and its journal."""
