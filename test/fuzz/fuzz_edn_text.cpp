// libFuzzer target for the EDN text reader: whatever read() accepts must validate, print
// to text that reads back to the same bytes, and compare equal to itself.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "persistence/edn/compare.hpp"
#include "persistence/edn/printer.hpp"
#include "persistence/edn/reader.hpp"
#include "persistence/edn/validate.hpp"

namespace edn = persistence::edn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    edn::Limits limits;
    limits.max_depth = 64;
    limits.max_size = 1 << 20;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = edn::read(text, limits);
    if (!r.ok()) {
        const std::string& code = r.error().code;
        if (code != "22P02" && code != "22021" && code != "22003" && code != "22008" && code != "54000")
            abort();
        return 0;
    }
    const std::string& bytes = r.value();
    const auto* b = reinterpret_cast<const uint8_t*>(bytes.data());
    if (!edn::validate(b, bytes.size(), limits).ok()) abort();
    edn::ValueRef v(b);
    if (v.size() != bytes.size()) abort();
    if (edn::compare(v, v) != 0 || !edn::equal(v, v)) abort();
    std::string printed = edn::to_string(v);
    auto again = edn::read(printed, limits);
    if (!again.ok() || again.value() != bytes) abort();
    if (edn::to_string(edn::ValueRef(reinterpret_cast<const uint8_t*>(again.value().data()))) != printed)
        abort();
    return 0;
}
