"""The drop-in behaviour suite of ../aiecs_stores, on PostgresGraphStore."""
from test_compat import test_foreign_model_objects_are_accepted_by_attribute, test_stats_keys_per_backend  # noqa: F401
from test_concurrency import *  # noqa: F401,F403
from test_graph import *  # noqa: F401,F403
from test_search_query import *  # noqa: F401,F403
from test_tenants import *  # noqa: F401,F403
from test_tier1 import (test_add_and_get_entity_round_trip, test_duplicate_entity_raises_value_error,  # noqa: F401
                        test_missing_endpoint_raises_value_error, test_missing_entity_and_relation_are_none,
                        test_numpy_embedding_in_and_out, test_relation_round_trip_and_duplicates,
                        test_state_flags_follow_initialize_and_close, test_tenant_id_is_stamped_from_context)
from test_transactions import *  # noqa: F401,F403
from test_writes import *  # noqa: F401,F403
