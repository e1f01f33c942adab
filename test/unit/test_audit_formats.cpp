// The audit chain's byte formats pinned by golden hex (an independent python3 struct/hashlib
// rendering of the layouts in chain.hpp and checkpoint.hpp), and the Ed25519 keys.
#include <catch2/catch.hpp>

#include <string>

#include "audit_helpers.hpp"
#include "helpers.hpp"
#include "persistence/audit/chain.hpp"
#include "persistence/audit/checkpoint.hpp"

using namespace audit_test;
using edn_test::from_hex;
using edn_test::to_hex;

namespace {

Digest sha(const std::string& s) { return hash::sha256(s.data(), s.size()); }

audit::LogId test_log_id() {
    audit::LogId id;
    for (uint8_t i = 0; i < 16; ++i) id[i] = i;
    return id;
}

}  // namespace

TEST_CASE("audit formats: entry metadata and entry hash") {
    // python3: bytes([1]) + struct.pack('>qqiqI', 1, 42, 1, 1700000000000000, 3) + bytes(32)
    audit::EntryMeta m;
    m.seq = 1;
    m.tx = 42;
    m.branch_id = 1;
    m.tx_time = 1700000000000000;
    m.datom_count = 3;
    std::string bytes;
    audit::entry_meta_bytes(m, bytes);
    CHECK(bytes.size() == 65);
    CHECK(to_hex(bytes) ==
          "010000000000000001000000000000002a0000000100060a24181e400000000003"
          "0000000000000000000000000000000000000000000000000000000000000000");
    // Appends, never replaces.
    audit::entry_meta_bytes(m, bytes);
    CHECK(bytes.size() == 130);
    Digest root = sha("root");
    // sha256(bytes(32) + meta + sha256(b'root'))
    CHECK(hex(audit::entry_hash(audit::zero_digest, m, root)) ==
          "6e66db36fdac0897ccb9cce83cd7acd5d3c368f2d7d7911b3d5bf3ca7c7bbba1");

    // Negative and extreme fields are written as their two's-complement bit patterns.
    audit::EntryMeta n;
    n.seq = 7;
    n.tx = 9000000000;
    n.branch_id = -2;
    n.tx_time = -1;
    n.datom_count = 4294967295u;
    n.branch_prev = sha("branch");
    bytes.clear();
    audit::entry_meta_bytes(n, bytes);
    CHECK(to_hex(bytes) ==
          "0100000000000000070000000218711a00fffffffefffffffffffffffffffffffff3"
          "8c764c8aa00b6578f4254a4dc6d9b50f88fa926e270ea7859bd1b707cd8662");
    CHECK(hex(audit::entry_hash(sha("prev"), n, root)) ==
          "28cf7e5edb795ac5b2cc67ebaea21306ec6fdfa1f6afe6c187f093728e3800a2");
    // Every input is bound: prev, any metadata field, the root.
    Digest h = audit::entry_hash(sha("prev"), n, root);
    CHECK(audit::entry_hash(sha("prev2"), n, root) != h);
    CHECK(audit::entry_hash(sha("prev"), n, sha("root2")) != h);
    audit::EntryMeta n2 = n;
    n2.datom_count = 3;
    CHECK(audit::entry_hash(sha("prev"), n2, root) != h);
}

TEST_CASE("audit formats: checkpoint bytes, hash and rotation message") {
    audit::Checkpoint c;
    c.log_id = test_log_id();
    c.size = 8;
    c.root = sha("root");
    c.prev_hash = sha("prev");
    c.time = 1700000000123456;
    c.key_id = sha("key");
    std::string b = audit::checkpoint_bytes(c);
    CHECK(b.size() == 145);
    CHECK(to_hex(b) ==
          "70657273697374656e63652d636b707401000102030405060708090a0b0c0d0e0f0000000000000008"
          "4813494d137e1631bba301d5acab6e7bb7aa74ce1185d456565ef51d737677b2"
          "84fd9bac333ad79154348296204fa7f8c537a96e08983e5f73b3f5aca8e8edf7"
          "00060a24182022402c70e12b7a0646f92279f427c7b38e7334d8e5389cff167a1dc30e73f826b683");
    audit::Signature sig;
    for (uint8_t i = 0; i < 64; ++i) sig[i] = i;
    CHECK(hex(audit::checkpoint_hash(c, sig)) ==
          "c803a17d2435b429fe9628e0d9464cd3c2628b42514079aea988671091081c40");

    audit::PublicKey old_key, new_key;
    old_key.fill(0xaa);
    new_key.fill(0xbb);
    std::string r = audit::rotation_bytes(c.log_id, old_key, new_key);
    CHECK(r.size() == 99);
    CHECK(to_hex(r) ==
          "70657273697374656e63652d726f7461746501000102030405060708090a0b0c0d0e0f"
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    CHECK(audit::key_id(old_key) == hash::sha256(old_key.data(), 32));
}

TEST_CASE("audit keys: RFC 8032 test 1 through a seed-derived key") {
    // RFC 8032 §7.1, TEST 1 (empty message).
    std::string seed = from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    std::array<uint8_t, 32> s;
    std::copy(seed.begin(), seed.end(), s.begin());
    audit::SigningKey k = audit::SigningKey::from_seed(s);
    CHECK(to_hex(std::string(k.public_key().begin(), k.public_key().end())) ==
          "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    audit::Signature sig = k.sign("");
    CHECK(to_hex(std::string(sig.begin(), sig.end())) ==
          "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd2"
          "5bf5f0595bbe24655141438e7a100b");
    CHECK(audit::verify_signature(k.public_key(), "", sig));

    // The key file round trip gives the same key.
    std::string text = k.key_file_text();
    CHECK(text ==
          "persistence-ed25519-v1\n9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\n");
    auto parsed = audit::SigningKey::from_file_text(text);
    REQUIRE(parsed.ok());
    CHECK(parsed.value().public_key() == k.public_key());
}

TEST_CASE("audit keys: sign, verify, tamper, rotate") {
    audit::SigningKey a = audit::SigningKey::generate();
    audit::SigningKey b = audit::SigningKey::generate();
    CHECK(a.public_key() != b.public_key());
    audit::Checkpoint c;
    c.log_id = test_log_id();
    c.size = 3;
    c.key_id = audit::key_id(a.public_key());
    std::string msg = audit::checkpoint_bytes(c);
    audit::Signature sig = a.sign(msg);
    CHECK(audit::verify_signature(a.public_key(), msg, sig));
    CHECK_FALSE(audit::verify_signature(b.public_key(), msg, sig));
    for (size_t i = 0; i < msg.size(); i += 7) {
        std::string bad = msg;
        bad[i] ^= 1;
        CHECK_FALSE(audit::verify_signature(a.public_key(), bad, sig));
    }
    audit::Signature bad_sig = sig;
    bad_sig[10] ^= 0x40;
    CHECK_FALSE(audit::verify_signature(a.public_key(), msg, bad_sig));

    std::string rot = audit::rotation_bytes(c.log_id, a.public_key(), b.public_key());
    audit::Signature by_old = a.sign(rot), by_new = b.sign(rot);
    CHECK(audit::verify_rotation(c.log_id, a.public_key(), b.public_key(), by_old, by_new));
    // Both signatures are needed, each by its own key, over this log and this direction.
    CHECK_FALSE(audit::verify_rotation(c.log_id, a.public_key(), b.public_key(), by_new, by_old));
    CHECK_FALSE(audit::verify_rotation(c.log_id, b.public_key(), a.public_key(), by_old, by_new));
    CHECK_FALSE(audit::verify_rotation(c.log_id, a.public_key(), b.public_key(), by_old, by_old));
    audit::LogId other = c.log_id;
    other[0] ^= 1;
    CHECK_FALSE(audit::verify_rotation(other, a.public_key(), b.public_key(), by_old, by_new));

    // Copies sign alike (each copy wipes its own secret when it goes).
    audit::SigningKey copy = a;
    CHECK(copy.sign(msg) == sig);  // Ed25519 signatures are deterministic
    audit::SigningKey assigned = b;
    assigned = a;
    CHECK(assigned.public_key() == a.public_key());
}

TEST_CASE("audit keys: key file errors name what is wrong") {
    const std::string good_seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    struct Case {
        std::string text, message_part;
    };
    const Case cases[] = {
        {"", "does not start with"},
        {"persistence-ed25519-v2\n" + good_seed + "\n", "does not start with"},
        {"persistence-ed25519-v1\n" + good_seed, "ends without a newline"},
        {"persistence-ed25519-v1\n" + good_seed + "\nextra", "data after the seed"},
        {"persistence-ed25519-v1\n" + good_seed + "\n\n", "data after the seed"},
        {"persistence-ed25519-v1\n" + good_seed.substr(2) + "\n", "has 62 characters"},
        {"persistence-ed25519-v1\n" + good_seed + "00\n", "has 66 characters"},
        {"persistence-ed25519-v1\n" + good_seed + "\r\n", "line ends with \\r\\n"},
        {"persistence-ed25519-v1\n" + std::string(63, 'a') + "g\n", "not lower-case hex"},
        {"persistence-ed25519-v1\n" + std::string(64, 'A') + "\n", "not lower-case hex"},
    };
    for (const Case& c : cases) {
        INFO("key file: " << c.text);
        auto r = audit::SigningKey::from_file_text(c.text);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "22023");
        CHECK_THAT(r.error().message, Catch::Contains(c.message_part));
        CHECK_FALSE(r.error().hint.empty());
    }
}
