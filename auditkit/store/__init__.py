"""The audit file: opening it safely, migrations, every durable write and its journal.

The store layer is the only code that imports ``sqlite3`` (tests/test_layers.py checks it).
"""

import sqlite3

# The database's own error, for last-resort handlers outside the store (the CLI's main).
DatabaseError = sqlite3.Error
