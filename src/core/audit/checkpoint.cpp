#include "persistence/audit/checkpoint.hpp"

#include <sodium.h>

#include <atomic>
#include <cstring>
#include <stdexcept>

#include "bytes.hpp"

namespace persistence::audit {

namespace {

constexpr std::string_view checkpoint_tag{"persistence-ckpt\x01", 17};
constexpr std::string_view rotation_tag{"persistence-rotate\x01", 19};
constexpr std::string_view key_file_header = "persistence-ed25519-v1\n";

static_assert(crypto_sign_SEEDBYTES == 32 && crypto_sign_PUBLICKEYBYTES == 32);
static_assert(crypto_sign_SECRETKEYBYTES == 64 && crypto_sign_BYTES == 64);

// sodium_init() is idempotent and thread-safe; the flag only saves its lock on every
// signature. A plain atomic: no static object with a destructor (STYLE.md §1).
std::atomic<bool> sodium_ready{false};

void ensure_sodium() {
    if (sodium_ready.load(std::memory_order_acquire)) return;
    // Fails only when the CSPRNG cannot be initialised: not an expected failure.
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
    sodium_ready.store(true, std::memory_order_release);
}

core::Error key_file_error(std::string message) {
    return core::Error(
        core::sqlstate::invalid_parameter_value, std::move(message),
        "The key file holds the line persistence-ed25519-v1 and then one line of 64 lower-case "
        "hex digits (the 32-byte Ed25519 seed); restore it from a backup or rotate to a new key.");
}

}  // namespace

std::string checkpoint_bytes(const Checkpoint& c) {
    std::string out;
    out.reserve(checkpoint_tag.size() + 16 + 8 + 32 + 32 + 8 + 32);
    out.append(checkpoint_tag);
    bytes::append_raw(out, c.log_id.data(), c.log_id.size());
    bytes::append_be(out, uint64_t(c.size), 8);
    bytes::append_raw(out, c.root.data(), 32);
    bytes::append_raw(out, c.prev_hash.data(), 32);
    bytes::append_be(out, uint64_t(c.time), 8);
    bytes::append_raw(out, c.key_id.data(), 32);
    return out;
}

Digest checkpoint_hash(const Checkpoint& c, const Signature& signature) {
    std::string msg = checkpoint_bytes(c);
    bytes::append_raw(msg, signature.data(), signature.size());
    return hash::sha256(msg.data(), msg.size());
}

std::string rotation_bytes(const LogId& log_id, const PublicKey& old_key, const PublicKey& new_key) {
    std::string out;
    out.reserve(rotation_tag.size() + 16 + 32 + 32);
    out.append(rotation_tag);
    bytes::append_raw(out, log_id.data(), log_id.size());
    bytes::append_raw(out, old_key.data(), old_key.size());
    bytes::append_raw(out, new_key.data(), new_key.size());
    return out;
}

Digest key_id(const PublicKey& key) { return hash::sha256(key.data(), key.size()); }

SigningKey SigningKey::from_seed(const std::array<uint8_t, 32>& seed) {
    ensure_sodium();
    SigningKey k;
    k.seed_ = seed;
    crypto_sign_seed_keypair(k.public_.data(), k.secret_.data(), k.seed_.data());
    return k;
}

SigningKey SigningKey::generate() {
    ensure_sodium();
    std::array<uint8_t, 32> seed;
    randombytes_buf(seed.data(), seed.size());
    SigningKey k = from_seed(seed);
    sodium_memzero(seed.data(), seed.size());
    return k;
}

core::Result<SigningKey> SigningKey::from_file_text(std::string_view text) {
    if (text.substr(0, key_file_header.size()) != key_file_header)
        return key_file_error("signing key file does not start with the line \"persistence-ed25519-v1\"");
    std::string_view rest = text.substr(key_file_header.size());
    size_t eol = rest.find('\n');
    std::string_view digits = rest.substr(0, eol);
    if (eol == std::string_view::npos)
        return key_file_error("signing key file ends without a newline after the seed");
    if (eol + 1 != rest.size()) return key_file_error("signing key file has data after the seed line");
    if (!digits.empty() && digits.back() == '\r')
        return key_file_error("signing key file's seed line ends with \\r\\n; expected a plain \\n");
    if (digits.size() != 64)
        return key_file_error("signing key seed has " + std::to_string(digits.size()) +
                              " characters; expected 64 hex digits (32 bytes)");
    std::array<uint8_t, 32> seed;
    if (!bytes::decode_hex(digits, seed.data(), seed.size())) {
        sodium_memzero(seed.data(), seed.size());
        return key_file_error("signing key seed is not lower-case hex");
    }
    SigningKey k = from_seed(seed);
    sodium_memzero(seed.data(), seed.size());
    return k;
}

std::string SigningKey::key_file_text() const {
    std::string out(key_file_header);
    bytes::append_hex(out, seed_.data(), seed_.size());
    out.push_back('\n');
    return out;
}

Signature SigningKey::sign(std::string_view message) const {
    ensure_sodium();
    Signature sig;
    crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), secret_.data());
    return sig;
}

SigningKey::~SigningKey() {
    sodium_memzero(seed_.data(), seed_.size());
    sodium_memzero(secret_.data(), secret_.size());
}

bool verify_signature(const PublicKey& key, std::string_view message, const Signature& signature) {
    ensure_sodium();
    return crypto_sign_verify_detached(signature.data(),
                                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                       key.data()) == 0;
}

bool verify_rotation(const LogId& log_id, const PublicKey& old_key, const PublicKey& new_key,
                     const Signature& by_old, const Signature& by_new) {
    std::string msg = rotation_bytes(log_id, old_key, new_key);
    return verify_signature(old_key, msg, by_old) && verify_signature(new_key, msg, by_new);
}

}  // namespace persistence::audit
