// SHA-256 through OpenSSL 3. OpenSSL's one-shot SHA256()/EVP_Digest fetch the algorithm
// on every call and are ~3.7× slower for small inputs (DESIGN.md §11): sha256() uses the
// low-level SHA256_Init/Update/Final with a context on the stack (the fastest path for
// short messages), and a Sha256 object owns an EVP context with the EVP_MD fetched once
// per process.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace persistence::hash {

using Digest = std::array<uint8_t, 32>;

// Throws std::bad_alloc if OpenSSL cannot allocate (a bug-class failure, STYLE.md §1).
Digest sha256(const void* data, size_t n);

// Incremental hashing (for Merkle nodes and datoms); reusable after finish().
class Sha256 {
   public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(const void* data, size_t n);
    Digest finish();

   private:
    void* ctx_;  // EVP_MD_CTX*
};

std::string to_hex(const Digest& d);

}  // namespace persistence::hash
