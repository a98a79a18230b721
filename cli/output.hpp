// Printing for the CLI: one JSON document per command with --json, and the
// human-readable forms of records and results otherwise. The human forms show
// stored text through terminal_text (terminal_text.hpp): never raw.
#ifndef GRAPHSTORE_CLI_OUTPUT_HPP
#define GRAPHSTORE_CLI_OUTPUT_HPP

#include <functional>
#include <string>
#include <string_view>

#include "graphstore/store.hpp"
#include "graphstore/types.hpp"
#include "json_writer.hpp"

namespace graphstore::cli {

// Builds one JSON document with fn and prints it on stdout, then a newline.
void print_json(const std::function<void(JsonWriter&)>& fn);

// The entity's human name: its "name" or "title" property, else "". Raw:
// escape it before printing.
std::string display_name(const Entity& e);

// `id (Type) "Name"`: one entity on one line, escaped for a terminal.
std::string entity_label(const Entity& e);

// Every field of a record, one per line, escaped for a terminal; the tenant
// as tenant_label shows it.
void print_entity(const Entity& e);
void print_relation(const Relation& r);

// `-[TYPE id w=0.9]->` (or `<-[...]-`) seen from `from`: the arrow points the
// way the relation goes. Type and id are escaped for a terminal.
std::string relation_arrow(const Relation& r, std::string_view from);

// A duration for people: "850 ns", "12.3 µs", "4.56 ms", "1.23 s".
std::string format_ns(double ns);

}  // namespace graphstore::cli

#endif  // GRAPHSTORE_CLI_OUTPUT_HPP
