// libFuzzer target for binary datoms (datom_recv): decode() must never crash, and
// whatever it accepts must re-encode to the same bytes and print to text that reads back
// to exactly the same datom.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "persistence/datom/codec.hpp"

namespace datom = persistence::datom;
namespace edn = persistence::edn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    edn::Limits limits;
    limits.max_depth = 64;
    limits.max_size = 1 << 20;
    auto r = datom::decode(data, size, limits);
    if (!r.ok()) {
        const std::string& code = r.error().code;
        if (code != "22P03" && code != "22021" && code != "54000") abort();
        return 0;
    }
    const datom::DatomView& d = r.value();
    if (datom::compare(d, d) != 0 || !datom::equal(d, d) || !datom::check(d).ok()) abort();
    std::string bytes;
    datom::encode(d, bytes);
    if (bytes.size() != size || bytes.compare(0, size, reinterpret_cast<const char*>(data), size) != 0)
        abort();
    std::string text;
    datom::print(d, text);
    auto again = datom::parse(text, limits);
    if (!again.ok()) abort();
    std::string reencoded;
    datom::encode(again.value().view(), reencoded);
    if (reencoded != bytes) abort();
    (void)datom::content_hash(d);
    return 0;
}
