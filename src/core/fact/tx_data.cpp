// parse_tx_data: the structure of persistence.transact's tx_data (tx_data.hpp). Values are
// copied as they are; their types are the planner's business.
#include "persistence/fact/tx_data.hpp"

#include "common.hpp"
#include "persistence/edn/inst.hpp"
#include "persistence/edn/printer.hpp"
#include "persistence/edn/symbol.hpp"

namespace persistence::fact {

namespace {

namespace sqlstate = core::sqlstate;
using detail::printed;

constexpr const char* ops_hint =
    "Each element of tx_data is [:db/add e a v], [:db/retract e a v?], [:db/cas e a old new], "
    "[:db/retractEntity e] (each with an optional trailing {:valid-from t :valid-to t}) or an "
    "entity map {:db/id e, :a v ...}.";

std::string op_path(size_t op) {
    std::string p = "tx_data[";
    p += std::to_string(op);
    p += ']';
    return p;
}

// Where an error is: "tx_data[3]", "tx_data[3][2]" or "tx_data[3] :person/name". Kept as
// numbers until an error needs the text, so a good transaction builds no paths here.
struct Where {
    explicit Where(size_t op_index, int element_index = -1, std::string_view key_text = {})
        : op(op_index), element(element_index), key(key_text) {}
    size_t op;
    int element;           // index inside a vector operation, or -1
    std::string_view key;  // entity-map key text, without ':', or empty
    std::string text() const {
        std::string p = op_path(op);
        if (element >= 0) {
            p += '[';
            p += std::to_string(element);
            p += ']';
        }
        if (!key.empty()) {
            p += " :";
            p.append(key.data(), key.size());
        }
        return p;
    }
};

std::string_view strip_colon(std::string_view s) {
    if (!s.empty() && s[0] == ':') s.remove_prefix(1);
    return s;
}

// The namespaces db and db.* belong to the system (the schema is itself data).
bool reserved_keyword(std::string_view text) {
    size_t slash = text.find('/');
    if (slash == std::string_view::npos || text == "/") return false;
    std::string_view ns = text.substr(0, slash);
    return ns == "db" || ns.substr(0, 3) == "db.";
}

class Parser {
   public:
    explicit Parser(const ParseOptions& options) : opt_(options) {}

    core::Result<std::vector<TxOp>> run(edn::ValueRef tx_data) {
        if (tx_data.tag() != edn::Tag::vector)
            return core::Error(sqlstate::invalid_text_representation,
                               "tx_data must be a vector of operations, got " + detail::a_type(tx_data),
                               std::string("Wrap the operations in a vector. ") + ops_hint);
        uint32_t n = tx_data.count();
        std::vector<TxOp> ops;
        ops.reserve(n);
        for (uint32_t i = 0; i < n; ++i) {
            edn::ValueRef op = tx_data.item(i);
            bool ok;
            if (op.tag() == edn::Tag::vector)
                ok = vector_op(op, i, ops);
            else if (op.tag() == edn::Tag::map)
                ok = entity_map(op, i, ops);
            else
                ok = fail(sqlstate::invalid_text_representation, Where{i},
                          "an operation must be a vector or an entity map, got " + printed(op), ops_hint);
            if (!ok) return std::move(error_);
        }
        return ops;
    }

   private:
    bool fail(const char* code, const Where& where, const std::string& message, std::string hint) {
        error_ = core::Error(code, where.text() + ": " + message, std::move(hint));
        return false;
    }

    // The text of a name given as a keyword, or (JSON mode) a string with optional ':'.
    bool name_text(edn::ValueRef v, std::string_view& out) const {
        if (v.tag() == edn::Tag::keyword) {
            out = v.as_text();
            return true;
        }
        if (opt_.json && v.tag() == edn::Tag::string) {
            out = strip_colon(v.as_text());
            return true;
        }
        return false;
    }

    bool entity_id(edn::ValueRef v, const Where& path, std::string& out) {
        if (v.tag() == edn::Tag::uuid) {
            out.clear();
            edn::format_uuid(v.as_uuid(), out);
            return true;
        }
        if (v.tag() != edn::Tag::string)
            return fail(
                sqlstate::invalid_text_representation, path,
                "entity id must be a string or #uuid, got " + printed(v),
                "Entity ids are text, e.g. \"order-17\", or a #uuid (gen_random_uuid() for new entities).");
        std::string_view s = v.as_text();
        if (s.empty())
            return fail(sqlstate::invalid_text_representation, path, "entity id must not be empty",
                        "Use a stable non-empty id, e.g. a #uuid.");
        if (s[0] == ':' && !opt_.allow_system)
            return fail(
                sqlstate::invalid_parameter_value, path,
                "entity id " + detail::quoted(s) + " starts with ':', which is reserved for attributes",
                "Attribute entities are written by persistence.define_attribute; use another id.");
        out.assign(s.data(), s.size());
        return true;
    }

    bool attribute(edn::ValueRef v, const Where& path, std::string& out) {
        std::string_view text;
        if (!name_text(v, text) || !edn::valid_keyword(text))
            return fail(sqlstate::invalid_text_representation, path,
                        "attribute must be a keyword, got " + printed(v),
                        opt_.json ? "Name attributes as \"ns/name\" strings, e.g. \"person/email\"."
                                  : "Name attributes with namespaced keywords, e.g. :person/email.");
        return attribute_text(text, path, out);
    }

    bool attribute_text(std::string_view text, const Where& path, std::string& out) {
        if (reserved_keyword(text) && !opt_.allow_system)
            return fail(sqlstate::invalid_parameter_value, path,
                        "attribute :" + std::string(text) + " is in a reserved namespace",
                        "The namespaces db and db.* belong to persistence; use your own namespace.");
        out.reserve(text.size() + 1);
        out.assign(1, ':');
        out.append(text.data(), text.size());
        return true;
    }

    bool instant(edn::ValueRef v, const Where& path, const char* what, Micros& out) {
        edn::Inst t;
        if (v.tag() == edn::Tag::inst) {
            t = v.as_inst();
        } else if (opt_.json && v.tag() == edn::Tag::string) {
            core::Status s = edn::parse_rfc3339(v.as_text(), t);
            if (!s)
                return fail(s.error().code.c_str(), path, what + (": " + s.error().message),
                            s.error().hint.empty() ? "Write times in RFC 3339, e.g. \"2026-04-14T00:00:00Z\"."
                                                   : s.error().hint);
        } else {
            return fail(sqlstate::invalid_text_representation, path,
                        std::string(what) +
                            (opt_.json ? " must be an RFC 3339 string, got " : " must be an #inst, got ") +
                            printed(v),
                        opt_.json ? "Write times like \"2026-04-14T00:00:00Z\"."
                                  : "Write times like #inst \"2026-04-14T00:00:00Z\".");
        }
        if (!detail::inst_to_micros(t, out))
            return fail(sqlstate::datetime_field_overflow, path,
                        std::string(what) + " " + printed(v) + " is finer than a microsecond",
                        "Valid times are stored with microsecond precision (timestamptz); round the instant "
                        "to whole microseconds yourself.");
        return true;
    }

    bool check_interval(const TxOp& op, const Where& path) {
        if (op.valid_from && op.valid_to && *op.valid_from >= *op.valid_to)
            return fail(sqlstate::invalid_parameter_value, path,
                        "valid-from " + detail::format_micros(*op.valid_from) + " is not before valid-to " +
                            detail::format_micros(*op.valid_to),
                        "Valid intervals are half-open [valid-from, valid-to) and must not be empty.");
        return true;
    }

    // {:valid-from t :valid-to t}
    bool options(edn::ValueRef v, const Where& path, TxOp& op) {
        if (v.tag() != edn::Tag::map)
            return fail(
                sqlstate::invalid_text_representation, path, "options must be a map, got " + printed(v),
                "The optional last element is a map such as {:valid-from #inst \"2026-04-14T00:00:00Z\"}.");
        for (uint32_t i = 0; i < v.count(); ++i) {
            edn::ValueRef key = v.map_key(i);
            std::string_view k;
            bool named = name_text(key, k);
            if (named && k == "valid-from") {
                op.valid_from.emplace();
                if (!instant(v.map_val(i), path, ":valid-from", *op.valid_from)) return false;
            } else if (named && k == "valid-to") {
                op.valid_to.emplace();
                if (!instant(v.map_val(i), path, ":valid-to", *op.valid_to)) return false;
            } else {
                return fail(sqlstate::invalid_text_representation, path, "unknown option " + printed(key),
                            "The options are :valid-from and :valid-to.");
            }
        }
        return check_interval(op, path);
    }

    static void copy_value(edn::ValueRef v, std::string& out) {
        out.assign(reinterpret_cast<const char*>(v.data()), v.size());
    }

    bool arity(bool ok, size_t index, const char* name, const char* shape, uint32_t got) {
        if (ok) return true;
        return fail(sqlstate::invalid_text_representation, Where{index},
                    std::string(name) + " takes " + shape + ", got " + std::to_string(got) + " elements",
                    std::string("Write ") + shape + "; the options map is optional.");
    }

    bool vector_op(edn::ValueRef v, size_t index, std::vector<TxOp>& ops) {
        uint32_t n = v.count();
        if (n == 0)
            return fail(sqlstate::invalid_text_representation, Where{index}, "empty operation", ops_hint);
        std::string_view name;
        edn::ValueRef head = v.item(0);
        if (!name_text(head, name))
            return fail(sqlstate::invalid_text_representation, Where{index, 0},
                        "operation name must be a keyword, got " + printed(head), ops_hint);
        TxOp op;
        uint32_t opts_at = 0;  // index of the options map, 0 if none
        if (name == "db/add") {
            if (!arity(n == 4 || n == 5, index, ":db/add", "[:db/add e a v {opts}]", n)) return false;
            op.kind = OpKind::add;
            copy_value(v.item(3), op.value);
            opts_at = n == 5 ? 4 : 0;
        } else if (name == "db/retract") {
            if (!arity(n >= 3 && n <= 5, index, ":db/retract", "[:db/retract e a v? {opts}]", n))
                return false;
            op.kind = OpKind::retract;
            // nil (or no value) retracts every value; to give options without a value, write nil.
            if (n >= 4 && !v.item(3).is_nil()) copy_value(v.item(3), op.value);
            opts_at = n == 5 ? 4 : 0;
        } else if (name == "db/cas") {
            if (!arity(n == 5 || n == 6, index, ":db/cas", "[:db/cas e a old new {opts}]", n)) return false;
            op.kind = OpKind::cas;
            copy_value(v.item(3), op.old_value);
            copy_value(v.item(4), op.value);
            opts_at = n == 6 ? 5 : 0;
        } else if (name == "db/retractEntity") {
            if (!arity(n == 2 || n == 3, index, ":db/retractEntity", "[:db/retractEntity e {opts}]", n))
                return false;
            op.kind = OpKind::retract_entity;
            opts_at = n == 3 ? 2 : 0;
        } else {
            return fail(sqlstate::invalid_text_representation, Where{index, 0},
                        "unknown operation " + printed(head),
                        "The operations are :db/add, :db/retract, :db/cas and :db/retractEntity.");
        }
        if (!entity_id(v.item(1), Where{index, 1}, op.e)) return false;
        if (op.kind != OpKind::retract_entity && !attribute(v.item(2), Where{index, 2}, op.a)) return false;
        if (opts_at && !options(v.item(opts_at), Where{index, int(opts_at)}, op)) return false;
        op.path = op_path(index);
        ops.push_back(std::move(op));
        return true;
    }

    bool entity_map(edn::ValueRef m, size_t index, std::vector<TxOp>& ops) {
        // Keys are in canonical order, so :db/id may follow the attributes: first pass.
        std::string e;
        std::optional<Micros> from, to;
        bool has_id = false;
        uint32_t n = m.count();
        for (uint32_t i = 0; i < n; ++i) {
            edn::ValueRef key = m.map_key(i);
            std::string_view k;
            if (!name_text(key, k) || !edn::valid_keyword(k))
                return fail(sqlstate::invalid_text_representation, Where{index},
                            "entity map keys must be attribute keywords, got " + printed(key),
                            "Write entity maps as {:db/id e, :ns/attr value ...}.");
            if (k == "db/id") {
                if (!entity_id(m.map_val(i), Where{index, -1, k}, e)) return false;
                has_id = true;
            } else if (k == "db/valid-from") {
                from.emplace();
                if (!instant(m.map_val(i), Where{index, -1, k}, ":db/valid-from", *from)) return false;
            } else if (k == "db/valid-to") {
                to.emplace();
                if (!instant(m.map_val(i), Where{index, -1, k}, ":db/valid-to", *to)) return false;
            }
        }
        if (!has_id)
            return fail(sqlstate::invalid_text_representation, Where{index}, "entity map has no :db/id",
                        "Every entity map names its entity: {:db/id e ...}; use gen_random_uuid() for a new "
                        "entity.");
        if (from && to && *from >= *to) {
            TxOp probe;
            probe.valid_from = from;
            probe.valid_to = to;
            return check_interval(probe, Where{index});
        }
        for (uint32_t i = 0; i < n; ++i) {
            std::string_view k;
            name_text(m.map_key(i), k);
            if (k == "db/id" || k == "db/valid-from" || k == "db/valid-to") continue;
            TxOp op;
            op.kind = OpKind::add;
            if (!attribute_text(k, Where{index, -1, k}, op.a)) return false;
            op.path = Where{index, -1, k}.text();
            op.e = e;
            copy_value(m.map_val(i), op.value);
            op.from_entity_map = true;
            op.valid_from = from;
            op.valid_to = to;
            ops.push_back(std::move(op));
        }
        return true;
    }

    const ParseOptions& opt_;
    core::Error error_;
};

}  // namespace

core::Result<std::vector<TxOp>> parse_tx_data(edn::ValueRef tx_data, const ParseOptions& options) {
    return Parser(options).run(tx_data);
}

}  // namespace persistence::fact
