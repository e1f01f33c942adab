// libFuzzer target for export files (persistence-verify's input): parse_export() must
// never crash and fail only with 22P02; whatever it accepts must verify without crashing
// and write back canonically (write(parse(write(x))) == write(x)) to the same verdict.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "persistence/audit/export.hpp"

namespace audit = persistence::audit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    auto parsed = audit::parse_export(in);
    if (!parsed.ok()) {
        if (parsed.error().code != "22P02") abort();
        return 0;
    }
    audit::VerifyReport report = audit::verify_export_data(parsed.value(), std::nullopt);
    if (report.ok && !report.reason.empty()) abort();

    std::string once;
    audit::write_export(parsed.value(), once);
    std::istringstream again_in(once);
    auto again = audit::parse_export(again_in);
    if (!again.ok()) abort();
    std::string twice;
    audit::write_export(again.value(), twice);
    if (twice != once) abort();
    audit::VerifyReport second = audit::verify_export_data(again.value(), std::nullopt);
    if (second.ok != report.ok || second.first_bad_tx != report.first_bad_tx ||
        second.reason != report.reason || second.checked != report.checked)
        abort();
    return 0;
}
