// Core headers first: the pg/ headers below include postgres.h (STYLE.md §3).
#include "persistence/edn/format.hpp"
#include "persistence/fact/model.hpp"
#include "persistence/spec/spec.hpp"

#include <string>

#include "pg/boundary.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/fact/attributes.hpp"
#include "pg/fact/values.hpp"
#include "pg/spec/binding.hpp"
#include "pg/spec/registry.hpp"

namespace persistence::pg {

void check_attribute_specs(const std::vector<fact::NewDatom>& datoms) {
    spec::Options options;
    bool options_made = false;
    for (const fact::NewDatom& d : datoms) {
        if (!d.is_assert) continue;
        fact::Attribute attr = lookup_attribute(d.a);
        if (attr.spec.empty()) continue;
        if (!options_made) options = spec_options(false), options_made = true;
        spec::SpecPtr s = spec_by_name(attr.spec);
        // A value new to the store travels with the datom; a known one is read back
        // (companion re-assertions of older pieces are checked too).
        const uint8_t* bytes = nullptr;
        if (!d.value.empty()) {
            bytes = reinterpret_cast<const uint8_t*>(d.value.data());
        } else {
            Datum stored = call_pg([&] { return value_lookup(d.vhash.data()); });
            if (stored == 0) continue;
            bytes = call_pg([&] { return edn_view(stored).data(); });
        }
        edn::ValueRef v(bytes);
        auto ok = spec::valid(*s, v, options);
        if (!ok.ok()) raise(ok.error());
        if (ok.value()) continue;
        auto text = spec::explain_for_llm(*s, v, options);
        if (!text.ok()) raise(text.error());
        raise(core::Error("23514",
                          "tx_data: the value of " + d.a + " for entity \"" + d.e + "\" does not conform to spec \"" +
                              attr.spec + "\"",
                          "Fix the value as DETAIL says and transact again; nothing of this transaction was written.",
                          text.value()));
    }
}

}  // namespace persistence::pg
