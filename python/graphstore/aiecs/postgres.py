"""PostgresGraphStore: the reference's PostgreSQL store over graphstore's postgres plugin.

Connection settings: each of host, port, user, password and database not
given comes from DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME (defaults
localhost, 5432, postgres, "", aiecs); with DB_CONNECTION_MODE=cloud and
POSTGRES_URL set, that URL is the connection string and the arguments given
override its parts. After initialize(), ``store.pool`` is an asyncpg-shaped
pool (graphstore.aiecs.pg_pool) on the same database, where the reference's
table names are views over graphstore's tables.
"""
import logging
import os

import graphstore as gs

from ._backed import GraphstoreBackedStore
from ._convert import tenant_of
from .tenant import TenantIsolationMode

logger = logging.getLogger(__name__)

# asyncpg.create_pool keywords the reference passed through, as plugin options.
_MAPPED = {
    "ssl": "ssl",
    "dsn": "dsn",
    "command_timeout": "statement_timeout",
    "timeout": "connect_timeout",
}
# The plugin's own options, accepted as keywords too.
_PLUGIN = ("sslmode", "sslrootcert", "sslcert", "sslkey", "acquire_timeout", "schema", "statement_timeout",
           "connect_timeout", "application_name", "read_replicas", "read_consistency")


def connection_settings(host, port, user, password, database, environ=None):
    """The plugin's connection options from the arguments, then DB_* (and POSTGRES_URL in cloud mode)."""
    env = os.environ if environ is None else environ
    options = {}
    if env.get("DB_CONNECTION_MODE", "").lower() == "cloud" and env.get("POSTGRES_URL"):
        options["dsn"] = env["POSTGRES_URL"]
        given = {"host": host, "port": port, "user": user, "password": password, "database": database}
        options.update({k: v for k, v in given.items() if v})
        return options
    options["host"] = host or env.get("DB_HOST", "localhost")
    options["port"] = int(port or env.get("DB_PORT", 5432))
    options["user"] = user or env.get("DB_USER", "postgres")
    options["password"] = password if password else env.get("DB_PASSWORD", "")
    options["database"] = database or env.get("DB_NAME", "aiecs")
    return options


def extra_options(kwargs):
    """Plugin options from the constructor's extra keywords; TypeError names one that has no meaning here."""
    options = {}
    for key, value in kwargs.items():
        if key in _MAPPED:
            options[_MAPPED[key]] = value
        elif key in _PLUGIN:
            options[key] = value
        elif key == "server_settings" and isinstance(value, dict):
            if "application_name" in value:
                options["application_name"] = value["application_name"]
        else:
            raise TypeError(
                f"PostgresGraphStore: keyword '{key}' is not supported (accepted: "
                f"{', '.join(sorted((*_MAPPED, *_PLUGIN, 'server_settings')))})")
    return options


class PostgresGraphStore(GraphstoreBackedStore):
    """The reference's PostgresGraphStore on graphstore's PostgreSQL schema.

    add_entity and add_relation raise ValueError on a duplicate (the
    reference upserted). enable_rls turns on the plugin's row-level
    security. Both isolation modes isolate tenants by a tenant column (the
    plugin keeps one schema per store). pool: a graphstore.aiecs.pg_pool.Pool
    to use as ``store.pool`` (not closed by close()); database_manager: an
    object whose connection_pool is one.
    """

    _missing_endpoint = "{} entity '{}' does not exist"
    _update_missing = "{} with ID '{}' not found"
    _delete_missing = "{} with ID '{}' not found"
    _default_find_paths_depth = 3

    def __init__(self, host=None, port=None, user=None, password=None, database=None, min_pool_size=5,
                 max_pool_size=20, enable_pgvector=False, isolation_mode=TenantIsolationMode.SHARED_SCHEMA,
                 enable_rls=False, pool=None, database_manager=None, **kwargs):
        self._connection = connection_settings(host, port, user, password, database)
        self.host = self._connection.get("host")
        self.port = self._connection.get("port")
        self.user = self._connection.get("user")
        self.password = self._connection.get("password")
        self.database = self._connection.get("database")
        self.min_pool_size = min_pool_size
        self.max_pool_size = max_pool_size
        self.enable_pgvector = enable_pgvector
        self.isolation_mode = isolation_mode
        self.enable_rls = enable_rls
        self._extra = extra_options(kwargs)
        if pool is None and database_manager is not None:
            pool = getattr(database_manager, "connection_pool", None)
        self.pool = pool
        self._owns_pool = pool is None
        self._is_initialized = False

    def _backend(self):
        options = dict(self._connection)
        options.update(min_pool_size=self.min_pool_size, max_pool_size=self.max_pool_size)
        if self.enable_pgvector:
            options["enable_pgvector"] = True
        if self.enable_rls:
            options["row_level_security"] = True
        options.update(self._extra)
        return "postgres", options

    async def initialize(self):
        """Connects, creates graphstore's schema if missing, and opens store.pool (idempotent).

        With enable_pgvector on a server without the pgvector extension the
        store opens without it and enable_pgvector becomes False, with a
        warning, as the reference did.
        """
        try:
            await self._open()
        except gs.UnsupportedError as error:
            if not self.enable_pgvector:
                raise
            logger.warning("pgvector is not available (%s); continuing without it", error.message)
            self.enable_pgvector = False
            await self._open()
        if self.pool is None:
            self.pool = await self._open_pool()
        self._is_initialized = True

    async def _open_pool(self):
        """The asyncpg-shaped pool of store.pool, on the store's database and schema (None without graphstore._pg)."""
        try:
            from .pg_pool import Pool
        except ImportError:
            return None
        c = self._connection
        extra = {"schema": self._extra.get("schema", "public")}
        for key in ("dsn", "ssl", "connect_timeout"):
            value = c.get(key, self._extra.get(key))
            if value is not None:
                extra[key] = value
        return await Pool.create(c.get("host"), c.get("port"), c.get("user"), c.get("password"),
                                 c.get("database"), min_size=1, max_size=self.max_pool_size, **extra)

    async def close(self):
        """Closes the store and the pool it opened (a pool given to the constructor stays open)."""
        self._is_initialized = False
        pool = self.pool
        if self._owns_pool and pool is not None:
            self.pool = None
            await pool.close()
        await self._close_store()

    async def get_stats(self, context=None):
        """{entity_count, relation_count, entity_types, relation_types, backend, pool_size, isolation_mode, tenant_id, enable_rls}."""
        entities, relations, by_entity_type, by_relation_type = await self._counts(context)
        pool_size = f"0/{self.max_pool_size}"
        if self.pool is not None and hasattr(self.pool, "get_size"):
            pool_size = f"{self.pool.get_size()}/{self.pool.get_max_size()}"
        return {
            "entity_count": entities,
            "relation_count": relations,
            "entity_types": by_entity_type,
            "relation_types": by_relation_type,
            "backend": "postgresql",
            "pool_size": pool_size,
            "isolation_mode": getattr(self.isolation_mode, "value", self.isolation_mode),
            "tenant_id": tenant_of(context) or None,
            "enable_rls": self.enable_rls,
        }
