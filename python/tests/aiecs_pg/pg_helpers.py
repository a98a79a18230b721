"""Settings of a PostgresGraphStore on the ctest server (the pg_server fixture)."""


def settings(pg_server, schema):
    """PostgresGraphStore keywords for the test server's application role, in `schema`."""
    return dict(host=pg_server["host"], port=pg_server["port"], user=pg_server["user"],
                password=pg_server["password"], database=pg_server["database"], schema=schema,
                min_pool_size=1, max_pool_size=4)
