// libFuzzer target for transaction data: EDN text → read → parse_tx_data (EDN and JSON
// mode) → plan_transaction against a small in-memory schema with an empty log. Whatever
// the input, the result is either a well-formed list or an error with one of the
// documented SQLSTATEs and a hint; nothing crashes, leaks or trips the sanitizers.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "persistence/edn/reader.hpp"
#include "persistence/edn/validate.hpp"
#include "persistence/fact/planner.hpp"
#include "persistence/fact/tx_data.hpp"

namespace edn = persistence::edn;
namespace fact = persistence::fact;

namespace {

// Attributes named :<type>/x are defined with that type (:many.<type>/x cardinality many,
// :id.<type>/x and :uv.<type>/x unique identity / value); anything else is undefined.
class SchemaOnly : public fact::StateSource {
   public:
    fact::Attribute attribute(const std::string& ident) override {
        fact::Attribute a;
        a.ident = ident;
        std::string_view s(ident);
        size_t slash = s.find('/');
        if (s.size() < 2 || slash == std::string_view::npos) return a;
        std::string_view ns = s.substr(1, slash - 1);
        if (ns.substr(0, 5) == "many.")
            a.many = true, ns.remove_prefix(5);
        else if (ns.substr(0, 3) == "id.")
            a.unique = fact::Unique::identity, ns.remove_prefix(3);
        else if (ns.substr(0, 3) == "uv.")
            a.unique = fact::Unique::value, ns.remove_prefix(3);
        auto type = fact::parse_value_type(ns);
        if (!type) return fact::Attribute{ident};
        a.defined = true;
        a.type = *type;
        return a;
    }
    void lock(const std::vector<fact::LockRequest>& locks) override {
        for (size_t i = 1; i < locks.size(); ++i)
            if (!(locks[i - 1].key < locks[i].key)) abort();  // sorted, no duplicates
    }
    void scan_ea(const std::string&, const std::string&, const fact::DatomSink&) override {}
    void scan_e(const std::string&, const fact::DatomSink&) override {}
    void scan_av(const std::string&, const fact::Digest&, const fact::DatomSink&) override {}
    bool entity_exists(const std::string&) override { return false; }
};

bool one_of(const std::string& code, std::initializer_list<const char*> codes) {
    for (const char* c : codes)
        if (code == c) return true;
    return false;
}

void check_ops(const std::vector<fact::TxOp>& ops, const edn::Limits& limits) {
    for (const auto& op : ops) {
        if (op.e.empty() || op.path.rfind("tx_data[", 0) != 0) abort();
        if ((op.kind == fact::OpKind::retract_entity) != op.a.empty()) abort();
        if (!op.a.empty() && op.a[0] != ':') abort();
        if (op.valid_from && op.valid_to && *op.valid_from >= *op.valid_to) abort();
        for (const std::string* v : {&op.value, &op.old_value})
            if (!v->empty() &&
                !edn::validate(reinterpret_cast<const uint8_t*>(v->data()), v->size(), limits).ok())
                abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    edn::Limits limits;
    limits.max_depth = 64;
    limits.max_size = 1 << 20;
    auto r = edn::read(std::string_view(reinterpret_cast<const char*>(data), size), limits);
    if (!r.ok()) return 0;
    edn::ValueRef v(reinterpret_cast<const uint8_t*>(r.value().data()));
    for (bool json : {false, true}) {
        for (bool allow_system : {false, true}) {
            fact::ParseOptions po;
            po.json = json;
            po.allow_system = allow_system;
            auto ops = fact::parse_tx_data(v, po);
            if (!ops.ok()) {
                if (!one_of(ops.error().code, {"22P02", "22023", "22008"}) || ops.error().hint.empty())
                    abort();
                continue;
            }
            check_ops(ops.value(), limits);
            SchemaOnly store;
            fact::PlanOptions options;
            options.tx_time = 1776124800000000;  // 2026-04-14
            options.parse = po;
            options.limits = limits;
            options.strict_schema = size % 2 == 0;
            auto plan = fact::plan_transaction(v, options, store);
            if (!plan.ok()) {
                if (!one_of(plan.error().code,
                            {"22P02", "22023", "22008", "42704", "21000", "23505", "PX001", "54000"}) ||
                    plan.error().hint.empty())
                    abort();
                continue;
            }
            for (const auto& d : plan.value())
                if (!d.is_assert || d.value.empty() || d.valid.from >= d.valid.to) abort();  // empty log
        }
    }
    return 0;
}
