#include "persistence/hash/sha256.hpp"

// The low-level SHA256_* functions are deprecated in OpenSSL 3 but still there, and they
// are the fastest path for the short messages this project hashes (a datom, a Merkle
// node): no provider dispatch, a context on the stack (DESIGN.md §11).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <atomic>
#include <new>

namespace persistence::hash {

namespace {

// Fetched once per process and never freed: a plain pointer, so no static destructor
// runs at backend exit. Two threads racing to fetch each get a valid EVP_MD; the loser
// frees its copy.
std::atomic<EVP_MD*> sha256_md{nullptr};

const EVP_MD* md() {
    EVP_MD* m = sha256_md.load(std::memory_order_acquire);
    if (m) return m;
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (!fetched) throw std::bad_alloc();
    EVP_MD* expected = nullptr;
    if (!sha256_md.compare_exchange_strong(expected, fetched, std::memory_order_acq_rel)) {
        EVP_MD_free(fetched);
        return expected;
    }
    return fetched;
}

void check(int ok) {
    if (ok != 1) throw std::bad_alloc();
}

}  // namespace

Digest sha256(const void* data, size_t n) {
    SHA256_CTX ctx;
    Digest d;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, data, n);
    SHA256_Final(d.data(), &ctx);
    return d;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_) throw std::bad_alloc();
    if (EVP_DigestInit_ex2(static_cast<EVP_MD_CTX*>(ctx_), md(), nullptr) != 1) {
        EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
        throw std::bad_alloc();
    }
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::update(const void* data, size_t n) {
    check(EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data, n));
}

Digest Sha256::finish() {
    auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
    Digest d;
    unsigned int len = 0;
    check(EVP_DigestFinal_ex(ctx, d.data(), &len));
    // Ready for the next message.
    check(EVP_DigestInit_ex2(ctx, md(), nullptr));
    return d;
}

std::string to_hex(const Digest& d) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(64, '0');
    for (size_t i = 0; i < d.size(); ++i) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    return out;
}

}  // namespace persistence::hash
