// libFuzzer target for binary EDN (edn_recv): validate() must never crash, and whatever
// it accepts must print to text that reads back to exactly the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "persistence/edn/compare.hpp"
#include "persistence/edn/printer.hpp"
#include "persistence/edn/reader.hpp"
#include "persistence/edn/validate.hpp"

namespace edn = persistence::edn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    edn::Limits limits;
    limits.max_depth = 64;
    limits.max_size = 1 << 20;
    auto st = edn::validate(data, size, limits);
    if (!st.ok()) {
        const std::string& code = st.error().code;
        if (code != "22P03" && code != "22021" && code != "54000") abort();
        return 0;
    }
    edn::ValueRef v(data);
    if (v.size() != size || edn::compare(v, v) != 0) abort();
    std::string printed = edn::to_string(v);
    auto r = edn::read(printed, limits);
    if (!r.ok()) abort();
    if (r.value().size() != size ||
        r.value().compare(0, size, reinterpret_cast<const char*>(data), size) != 0)
        abort();
    return 0;
}
