// The hello plugin: HelloStore exported as backend "hello".
#include "hello_store.hpp"

GS_DEFINE_PLUGIN(hello::HelloStore, "hello", "Hello (std::map) store", "1.0.0", 0, GS_THREADING_SERIAL)
