"""Code every Switchboard deployable uses: settings, schema, bus, database, auth, observability."""
