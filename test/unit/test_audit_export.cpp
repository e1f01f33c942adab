// The export format: writing a synthetic chain, verifying it offline, corrupting single
// lines, and strict parsing with line numbers.
#include <catch2/catch.hpp>

#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "audit_fixture.hpp"
#include "persistence/audit/export.hpp"

using namespace audit_test;
namespace reasons = audit::reasons;

namespace {

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

audit::VerifyReport verify_text(const std::string& text, const std::optional<audit::PublicKey>& key = {}) {
    std::istringstream in(text);
    auto r = audit::verify_export(in, key);
    if (!r) FAIL("parse error: " << r.error().message);
    return r.value();
}

persistence::core::Error parse_error(const std::string& text) {
    std::istringstream in(text);
    auto r = audit::parse_export(in);
    INFO("export:\n" << text);
    REQUIRE_FALSE(r.ok());
    return r.error();
}

// The index of the first line starting with prefix.
size_t find_line(const std::vector<std::string>& lines, const std::string& prefix) {
    for (size_t i = 0; i < lines.size(); ++i)
        if (lines[i].rfind(prefix, 0) == 0) return i;
    FAIL("no line starting with " << prefix);
    return 0;
}

std::string hex_of(const std::string& s) { return edn_test::to_hex(s); }

#define CHECK_REPORT(report, expected_tx, reason_prefix)            \
    do {                                                            \
        auto r_ = (report);                                         \
        INFO("reason: " << r_.reason);                              \
        CHECK_FALSE(r_.ok);                                         \
        CHECK(r_.first_bad_tx == (expected_tx));                    \
        CHECK(r_.reason.rfind(std::string(reason_prefix), 0) == 0); \
    } while (0)

}  // namespace

TEST_CASE("audit export: a synthetic chain round trips and verifies") {
    Fixture f;
    std::string text = f.export_text();
    audit::VerifyReport r = verify_text(text);
    INFO(r.reason);
    CHECK(r.ok);
    CHECK(r.checked == 12);
    CHECK(r.first_bad_tx == 0);

    // Lines in any order after the header give the same verdict.
    std::vector<std::string> lines = split_lines(text);
    std::mt19937 rng(42);
    std::shuffle(lines.begin() + 1, lines.end(), rng);
    CHECK(verify_text(join_lines(lines)).ok);

    // Parsing and writing back is canonical: a second round gives the same bytes.
    std::istringstream in(text);
    auto parsed = audit::parse_export(in);
    REQUIRE(parsed.ok());
    std::string once;
    audit::write_export(parsed.value(), once);
    std::istringstream in2(once);
    auto again = audit::parse_export(in2);
    REQUIRE(again.ok());
    std::string twice;
    audit::write_export(again.value(), twice);
    CHECK(once == twice);
    CHECK(split_lines(once).size() == split_lines(text).size());
    CHECK(audit::verify_export_data(again.value(), f.key.public_key()).ok);
}

TEST_CASE("audit export: the trusted key") {
    Fixture f;
    CHECK(verify_text(f.export_text(), f.key.public_key()).ok);
    audit::SigningKey other = audit::SigningKey::from_seed(seed_of(9));
    CHECK_REPORT(verify_text(f.export_text(), other.public_key()), 112, reasons::trusted_key_swapped);

    // Someone with write access swaps the keys table and re-signs every checkpoint.
    f.keys = {{audit::key_id(other.public_key()), other.public_key()}};
    f.resign_from(0, other);
    CHECK(verify_text(f.export_text()).ok);  // consistent in itself
    CHECK_REPORT(verify_text(f.export_text(), f.key.public_key()), 112, reasons::trusted_key_swapped);

    // No checkpoint at all cannot vouch for the key.
    f.checkpoints.clear();
    CHECK(verify_text(f.export_text()).ok);
    CHECK_REPORT(verify_text(f.export_text(), f.key.public_key()), 0, reasons::no_checkpoint_for_key);

    CHECK(audit::parse_public_key_hex(hash::to_hex(audit::key_id(f.key.public_key()))).has_value());
    CHECK(audit::parse_public_key_hex("AB" + std::string(62, 'c')).has_value());
    CHECK_FALSE(audit::parse_public_key_hex(std::string(63, 'c')).has_value());
    CHECK_FALSE(audit::parse_public_key_hex(std::string(63, 'c') + "g").has_value());
}

TEST_CASE("audit export: one corrupted line is reported like the server would") {
    Fixture f;
    std::vector<std::string> lines = split_lines(f.export_text());
    SECTION("a datom's attribute changed") {
        // The first datom line of tx 105: "datom 105 <e> <a> ...".
        size_t i = find_line(lines, "datom 105 ");
        std::string a = hex_of(f.datom_of(105).a), forged = hex_of(":attr/nX");
        lines[i].replace(lines[i].find(a), a.size(), forged);
        CHECK_REPORT(verify_text(join_lines(lines)), 105, reasons::datom_modified);
    }
    SECTION("a datom line deleted") {
        lines.erase(lines.begin() + long(find_line(lines, "datom 102 ")));
        CHECK_REPORT(verify_text(join_lines(lines)), 102, reasons::datom_deleted);
    }
    SECTION("a transaction line deleted") {
        lines.erase(lines.begin() + long(find_line(lines, "tx 109 ")));
        CHECK_REPORT(verify_text(join_lines(lines)), 109, reasons::transaction_missing);
    }
    SECTION("an entry line deleted") {
        lines.erase(lines.begin() + long(find_line(lines, "entry 5 ")));
        CHECK_REPORT(verify_text(join_lines(lines)), 106, reasons::entry_missing);
    }
    SECTION("the tail cut off, with the checkpoints kept") {
        for (const char* p : {"entry 12 ", "entry 11 ", "tx 111 ", "tx 112 "})
            lines.erase(lines.begin() + long(find_line(lines, p)));
        auto r = verify_text(join_lines(lines));
        CHECK_REPORT(r, 0, "checkpoint of size 12 is newer than the log of 10 entries");
        CHECK(r.checked == 10);
    }
    SECTION("a shared value payload rewritten spoils every transaction using it") {
        std::string shared = "shared value";
        Digest h = hash::sha256(shared.data(), shared.size());
        size_t i = find_line(lines, "value " + hex(h));
        lines[i] = "value " + hex(h) + " " + hex_of("forged value");
        CHECK_REPORT(verify_text(join_lines(lines)), 103, reasons::value_mismatch);
    }
    SECTION("an erased payload keeps the proof") {
        std::string shared = "shared value";
        Digest h = hash::sha256(shared.data(), shared.size());
        lines[find_line(lines, "value " + hex(h))] = "value " + hex(h) + " -";
        CHECK(verify_text(join_lines(lines)).ok);
    }
    SECTION("the pending line removed: the waiting transaction looks inserted") {
        lines.erase(lines.begin() + long(find_line(lines, "pending ")));
        CHECK_REPORT(verify_text(join_lines(lines)), 113, reasons::unsealed_unknown);
    }
    SECTION("datoms of a transaction that has no row and no entry") {
        lines.push_back(lines[find_line(lines, "datom 101 ")]);
        lines.back().replace(6, 3, "190");
        CHECK_REPORT(verify_text(join_lines(lines)), 190, reasons::unsealed_unknown);
    }
    SECTION("a second entry with a seq already taken") {
        lines.push_back(lines[find_line(lines, "entry 3 ")]);
        CHECK_REPORT(verify_text(join_lines(lines)), 103, reasons::entries_reordered);
    }
    SECTION("a checkpoint signature changed") {
        size_t i = find_line(lines, "checkpoint 8 ");
        char& c = lines[i][lines[i].size() - 1];
        c = c == '0' ? '1' : '0';
        CHECK_REPORT(verify_text(join_lines(lines)), 108, reasons::checkpoint_bad_signature);
    }
    SECTION("the log id changed") {
        lines[find_line(lines, "log ")] = "log " + std::string(32, '0');
        CHECK_REPORT(verify_text(join_lines(lines)), 104, reasons::checkpoint_bad_signature);
    }
}

TEST_CASE("audit export: malformed lines are errors naming the line") {
    Fixture f;
    const std::vector<std::string> good = split_lines(f.export_text());
    struct Case {
        std::string from, to;  // replace the first line starting with `from` by `to`
        std::string message;
    };
    std::string h64(64, 'a');
    const Case cases[] = {
        {"tx 101 ", "tx 101 1 1700000000001000 2", "a \"tx\" line has 5 fields, this one has 4"},
        {"tx 101 ", "tx 101 1 1700000000001000 2 " + h64 + " ", "a \"tx\" line has 5 fields, this one has 6"},
        {"tx 101 ", "tx 0101 1 1700000000001000 2 " + h64, "field tx is malformed"},
        {"tx 101 ", "tx 101 1 1700000000001000 -2 " + h64, "field datom_count is malformed"},
        {"tx 101 ", "tx 101 1 1700000000001000 4294967296 " + h64, "field datom_count is malformed"},
        {"tx 101 ", "tx 101 1 9223372036854775808 2 " + h64, "field tx_time is malformed"},
        {"tx 101 ", "tx 101 1 -0 2 " + h64, "field tx_time is malformed"},
        {"tx 101 ", "tx 101 1 +5 2 " + h64, "field tx_time is malformed"},
        {"tx 101 ", "tx 101 2147483648 5 2 " + h64, "field branch_id is malformed"},
        {"tx 101 ", "tx 101 1 5 2 " + std::string(64, 'A'), "field merkle_root is malformed"},
        {"tx 101 ", "tx 101 1 5 2 " + std::string(62, 'a'), "field merkle_root is malformed"},
        {"tx 101 ", "tx  101 1 5 2 " + h64, "a \"tx\" line has 5 fields, this one has 6"},
        {"tx 101 ", "tx 101 1 5 2 " + h64 + "\r", "CRLF"},
        {"tx 101 ", "", "empty line"},
        {"tx 101 ", "transaction 101", "unknown record \"transaction\""},
        {"tx 101 ", "persistence-export 1", "a second header line"},
        {"datom 101 ", "datom 101 abc 3a " + h64 + " 1 - 1 " + h64, "field e is malformed"},
        {"datom 101 ", "datom 101 61 3a " + h64 + " 1 - 2 " + h64, "field op"},
        {"datom 101 ", "datom 101 61 3a " + h64 + " 1 never 1 " + h64, "field valid_to"},
        {"entry 1 ", "entry 1 101 1 " + h64 + " " + h64 + " " + h64 + " " + h64 + " abc",
         "field subtree_roots"},
        {"checkpoint 4 ", "checkpoint 4 " + h64 + " " + h64 + " 5 " + h64 + " " + h64, "field signature"},
        {"checkpoint 4 ", "checkpoint -4 " + h64 + " " + h64 + " 5 " + h64 + " " + h64 + h64, "field size"},
        {"value ", "value " + h64 + " xyz", "field canonical bytes"},
        {"log ", "log " + std::string(30, '0'), "field log_id"},
        {"log ", "log", "a \"log\" line has 1 fields, this one has 0"},
        {"key ", "key " + h64, "a \"key\" line has 2 fields"},
        {"branch 2 ", "branch 2 1", "a \"branch\" line has 3 fields"},
        {"pending ", "pending x", "field tx is malformed"},
    };
    for (const Case& c : cases) {
        std::vector<std::string> lines = good;
        size_t i = find_line(lines, c.from);
        lines[i] = c.to;
        INFO("line " << i + 1 << ": " << c.to);
        persistence::core::Error e = parse_error(join_lines(lines));
        CHECK(e.code == "22P02");
        CHECK_THAT(e.message, Catch::StartsWith("export line " + std::to_string(i + 1) + ": "));
        CHECK_THAT(e.message, Catch::Contains(c.message));
        CHECK_FALSE(e.hint.empty());
    }
}

TEST_CASE("audit export: whole-file errors") {
    Fixture f;
    const std::vector<std::string> good = split_lines(f.export_text());
    CHECK_THAT(parse_error("").message, Catch::Contains("empty export"));
    CHECK_THAT(parse_error("persistence-export 2\n").message,
               Catch::Contains("not a persistence export of version 1"));
    CHECK_THAT(parse_error("persistence-export 1 \n").message, Catch::StartsWith("export line 1: "));
    CHECK_THAT(parse_error("persistence-export 1\n").message, Catch::Contains("no \"log\" line"));

    // A second record of what a table keeps unique names both lines.
    struct Case {
        std::string prefix, message;
    };
    for (const Case& c : std::vector<Case>{{"log ", "a second \"log\" line"},
                                           {"tx 104 ", "duplicate tx 104"},
                                           {"key ", "duplicate key id"},
                                           {"branch 2 ", "duplicate branch 2"},
                                           {"value ", "duplicate value hash"},
                                           {"pending ", "duplicate pending tx 113"}}) {
        std::vector<std::string> lines = good;
        size_t first = find_line(lines, c.prefix);
        lines.push_back(lines[first]);
        persistence::core::Error e = parse_error(join_lines(lines));
        CHECK_THAT(e.message, Catch::StartsWith("export line " + std::to_string(lines.size()) + ": "));
        CHECK_THAT(e.message, Catch::Contains(c.message));
        if (c.prefix != "log ")
            CHECK_THAT(e.message, Catch::Contains("first on line " + std::to_string(first + 1)));
    }

    // The last line may lack its newline.
    std::string text = join_lines(good);
    text.pop_back();
    CHECK(verify_text(text).ok);
}

// Not run by default: `build/unit/unit_tests "[.seeds]"` rewrites the fuzz seeds
// (test/fuzz/corpus/export/) and a sample export for trying persistence-verify by hand.
TEST_CASE("audit export: write the fuzz seeds", "[.seeds]") {
    auto write = [](const std::string& path, const std::string& text) {
        FILE* out = std::fopen(path.c_str(), "wb");
        REQUIRE(out);
        std::fwrite(text.data(), 1, text.size(), out);
        std::fclose(out);
    };
    Fixture small(6, 2);
    small.checkpoint_every = 2;
    small.seal_all();
    write("test/fuzz/corpus/export/valid.txt", small.export_text());
    std::vector<std::string> lines = split_lines(small.export_text());
    lines.erase(lines.begin() + long(find_line(lines, "entry 3 ")));
    write("test/fuzz/corpus/export/entry_missing.txt", join_lines(lines));
    Fixture tiny(2, 1);
    tiny.pending.clear();
    tiny.seal_all();
    write("test/fuzz/corpus/export/tiny.txt", tiny.export_text());
    write("test/fuzz/corpus/export/malformed.txt", "persistence-export 1\nlog 00\ntx 1 1 1 0 -\n");
    Fixture f;
    write("build/sample-export.txt", f.export_text());
    const audit::PublicKey& k = f.key.public_key();
    write("build/sample-public-key.txt", edn_test::to_hex(std::string(k.begin(), k.end())) + "\n");
}
