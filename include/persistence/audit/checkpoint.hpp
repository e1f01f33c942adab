// Signed checkpoints of the Merkle log and the Ed25519 keys that sign them (libsodium).
//
// Checkpoint bytes, version 1 (the signed message; docs/audit.md). Integers big-endian:
//   17  "persistence-ckpt\x01"   domain tag and format version
//   16  log_id                   random id of the log, fixed at CREATE EXTENSION
//   i64 size                     number of leaves (chain entries) covered
//   32  root                     RFC 6962 root of those leaves
//   32  prev_hash                checkpoint_hash of the previous checkpoint (zero: first)
//   i64 time                     µs since the Unix epoch, UTC
//   32  key_id                   SHA-256 of the signing public key
// checkpoint_hash = SHA-256(checkpoint bytes ‖ signature).
//
// Key rotation message (signed by the old and by the new key):
//   19  "persistence-rotate\x01" ‖ 16 log_id ‖ 32 old public key ‖ 32 new public key
//
// Key file (created 0600 on first use; never readable through SQL):
//   "persistence-ed25519-v1\n" ‖ 64 hex digits of the 32-byte seed ‖ "\n"
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "persistence/core/error.hpp"
#include "persistence/hash/sha256.hpp"

namespace persistence::audit {

using hash::Digest;
using LogId = std::array<uint8_t, 16>;
using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

struct Checkpoint {
    LogId log_id{};
    int64_t size = 0;
    Digest root{};
    Digest prev_hash{};
    int64_t time = 0;  // µs since the Unix epoch
    Digest key_id{};
};

std::string checkpoint_bytes(const Checkpoint& c);
Digest checkpoint_hash(const Checkpoint& c, const Signature& signature);

std::string rotation_bytes(const LogId& log_id, const PublicKey& old_key, const PublicKey& new_key);

// SHA-256 of the public key: how checkpoints and the keys table name a key.
Digest key_id(const PublicKey& key);

// An Ed25519 key pair. The secret never leaves this object except through key_file_text.
class SigningKey {
   public:
    // A fresh random key (libsodium's CSPRNG).
    static SigningKey generate();
    // Parses the key file format above; 22023-class errors name what is wrong.
    static core::Result<SigningKey> from_file_text(std::string_view text);
    // The key pair of a 32-byte seed (RFC 8032 §5.1.5: the seed is the private key).
    static SigningKey from_seed(const std::array<uint8_t, 32>& seed);
    std::string key_file_text() const;

    const PublicKey& public_key() const { return public_; }
    Signature sign(std::string_view message) const;

    SigningKey(const SigningKey&) = default;
    SigningKey& operator=(const SigningKey&) = default;
    ~SigningKey();  // wipes the secret (sodium_memzero)

   private:
    // Result<T> value-initialises its T on the error path.
    friend class core::Result<SigningKey>;
    SigningKey() = default;
    std::array<uint8_t, 32> seed_{};
    std::array<uint8_t, 64> secret_{};
    PublicKey public_{};
};

bool verify_signature(const PublicKey& key, std::string_view message, const Signature& signature);

// A key rotation is valid when both keys signed rotation_bytes(log_id, old_key, new_key):
// the old key hands over, the new key accepts.
bool verify_rotation(const LogId& log_id, const PublicKey& old_key, const PublicKey& new_key,
                     const Signature& by_old, const Signature& by_new);

}  // namespace persistence::audit
