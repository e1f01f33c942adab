// persistence-verify [--public-key HEX] EXPORT_FILE|-
//
// Checks a persistence.export_chain() file offline with the same core code as
// persistence.verify_chain() (docs/audit.md). Exit status: 0 verified, 1 a problem found,
// 2 usage, unreadable file or malformed export.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "persistence/audit/export.hpp"

namespace audit = persistence::audit;

namespace {

int usage(const char* why) {
    if (why) std::cerr << "persistence-verify: " << why << "\n";
    std::cerr << "usage: persistence-verify [--public-key HEX] EXPORT_FILE|-\n"
                 "  Verifies an export written by persistence.export_chain(); - reads standard input.\n"
                 "  --public-key HEX  the Ed25519 public key (64 hex digits) the newest checkpoint must be\n"
                 "                    signed by, obtained from a trusted place, not from the export.\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    // Exports are large and read line by line; C stdio sync would make std::cin crawl.
    std::ios::sync_with_stdio(false);
    std::optional<audit::PublicKey> key;
    const char* path = nullptr;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        std::string_view value;
        if (arg == "-h" || arg == "--help") {
            usage(nullptr);
            return 0;
        }
        if (arg == "--public-key") {
            if (i + 1 == argc) return usage("--public-key needs a value");
            value = argv[++i];
        } else if (arg.rfind("--public-key=", 0) == 0) {
            value = arg.substr(std::strlen("--public-key="));
        } else if (arg.size() > 1 && arg[0] == '-') {
            return usage(("unknown option " + std::string(arg)).c_str());
        } else {
            if (path) return usage("more than one export file given");
            path = argv[i];
            continue;
        }
        if (key) return usage("--public-key given twice");
        key = audit::parse_public_key_hex(value);
        if (!key) return usage("--public-key expects 64 hex digits (a 32-byte Ed25519 public key)");
    }
    if (!path) return usage("no export file given");

    std::ifstream file;
    std::istream* in = &std::cin;
    if (std::string_view(path) != "-") {
        file.open(path, std::ios::binary);
        if (!file) {
            std::cerr << "persistence-verify: cannot open " << path << ": " << std::strerror(errno) << "\n";
            return 2;
        }
        in = &file;
    }
    auto result = audit::verify_export(*in, key);
    if (in->bad()) {
        std::cerr << "persistence-verify: read error on " << path << "\n";
        return 2;
    }
    if (!result) {
        const auto& e = result.error();
        std::cerr << "persistence-verify: " << e.message << "\n";
        if (!e.hint.empty()) std::cerr << "hint: " << e.hint << "\n";
        return 2;
    }
    const audit::VerifyReport& r = result.value();
    if (r.ok) {
        std::cout << "ok: " << r.checked << " entries verified\n";
        return 0;
    }
    std::cout << "FAILED at tx " << r.first_bad_tx << ": " << r.reason << "\n";
    return 1;
}
