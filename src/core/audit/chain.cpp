#include "persistence/audit/chain.hpp"

#include <cstring>

#include "bytes.hpp"

namespace persistence::audit {

namespace {

constexpr size_t meta_size = 1 + 8 + 8 + 4 + 8 + 4 + 32;

uint8_t* put_meta(uint8_t* p, const EntryMeta& m) {
    *p++ = entry_format_version;
    p = bytes::put_be(p, uint64_t(m.seq), 8);
    p = bytes::put_be(p, uint64_t(m.tx), 8);
    p = bytes::put_be(p, uint32_t(m.branch_id), 4);
    p = bytes::put_be(p, uint64_t(m.tx_time), 8);
    p = bytes::put_be(p, m.datom_count, 4);
    std::memcpy(p, m.branch_prev.data(), 32);
    return p + 32;
}

}  // namespace

void entry_meta_bytes(const EntryMeta& meta, std::string& out) {
    uint8_t buf[meta_size];
    put_meta(buf, meta);
    bytes::append_raw(out, buf, sizeof buf);
}

// The sealer and the verifier hash one entry per transaction: a stack buffer and
// sha256()'s stack context keep that free of allocations.
Digest entry_hash(const Digest& prev_hash, const EntryMeta& meta, const Digest& merkle_root) {
    uint8_t buf[32 + meta_size + 32];
    std::memcpy(buf, prev_hash.data(), 32);
    uint8_t* p = put_meta(buf + 32, meta);
    std::memcpy(p, merkle_root.data(), 32);
    return hash::sha256(buf, sizeof buf);
}

}  // namespace persistence::audit
