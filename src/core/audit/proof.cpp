#include "persistence/audit/proof.hpp"

#include <cstring>

#include "persistence/audit/merkle_log.hpp"
#include "persistence/hash/merkle.hpp"

#include "bytes.hpp"

namespace persistence::audit {

namespace {

void put_hex(std::string& out, const uint8_t* p, size_t n) {
    out += '"';
    bytes::append_hex(out, p, n);
    out += '"';
}
template <size_t N>
void put_hex(std::string& out, const std::array<uint8_t, N>& a) {
    put_hex(out, a.data(), N);
}

void put_checkpoint(std::string& out, const SignedCheckpoint& c) {
    out += "{:size " + std::to_string(c.checkpoint.size) + " :root ";
    put_hex(out, c.checkpoint.root);
    out += " :prev-hash ";
    put_hex(out, c.checkpoint.prev_hash);
    out += " :time " + std::to_string(c.checkpoint.time) + " :key-id ";
    put_hex(out, c.checkpoint.key_id);
    out += " :signature ";
    put_hex(out, c.signature);
    out += "}";
}

core::Error bad(const std::string& what) {
    return core::Error(core::sqlstate::invalid_parameter_value, "malformed proof: " + what,
                       "Pass a proof exactly as persistence.audit_proof() or consistency_proof() returned it.");
}

// The value of keyword :name in map m.
std::optional<edn::ValueRef> get(edn::ValueRef m, std::string_view name) {
    if (m.tag() != edn::Tag::map) return std::nullopt;
    for (uint32_t i = 0; i < m.count(); ++i) {
        edn::ValueRef k = m.map_key(i);
        if (k.tag() == edn::Tag::keyword && k.as_text() == name) return m.map_val(i);
    }
    return std::nullopt;
}

// A parser that remembers its first error, so each field is one line.
struct Reader {
    std::optional<core::Error> error;

    edn::ValueRef field(edn::ValueRef m, std::string_view name) {
        auto v = get(m, name);
        if (!v) {
            fail("missing :" + std::string(name));
            return m;
        }
        return *v;
    }
    void fail(const std::string& what) {
        if (!error) error = bad(what);
    }
    int64_t integer(edn::ValueRef m, std::string_view name) {
        edn::ValueRef v = field(m, name);
        if (error) return 0;
        if (v.tag() != edn::Tag::integer) {
            fail(":" + std::string(name) + " must be an integer");
            return 0;
        }
        return v.as_int();
    }
    template <size_t N>
    std::array<uint8_t, N> bytes(edn::ValueRef v, std::string_view name) {
        std::array<uint8_t, N> out{};
        if (v.tag() != edn::Tag::string || v.as_text().size() != 2 * N) {
            fail(":" + std::string(name) + " must be a string of " + std::to_string(2 * N) + " hex digits");
            return out;
        }
        if (!bytes::decode_hex(v.as_text(), out.data(), N)) fail(":" + std::string(name) + " is not lower-case hex");
        return out;
    }
    template <size_t N>
    std::array<uint8_t, N> bytes_field(edn::ValueRef m, std::string_view name) {
        edn::ValueRef v = field(m, name);
        return error ? std::array<uint8_t, N>{} : bytes<N>(v, name);
    }
    std::vector<Digest> digests(edn::ValueRef m, std::string_view name) {
        std::vector<Digest> out;
        edn::ValueRef v = field(m, name);
        if (error) return out;
        if (v.tag() != edn::Tag::vector) {
            fail(":" + std::string(name) + " must be a vector of hashes");
            return out;
        }
        if (v.count() > 64) {
            fail(":" + std::string(name) + " is longer than any proof of a 2^64-leaf log");
            return out;
        }
        for (uint32_t i = 0; i < v.count(); ++i) out.push_back(bytes<32>(v.item(i), name));
        return out;
    }
    SignedCheckpoint checkpoint(edn::ValueRef c, const LogId& log_id) {
        SignedCheckpoint s;
        s.checkpoint.log_id = log_id;
        s.checkpoint.size = integer(c, "size");
        s.checkpoint.root = bytes_field<32>(c, "root");
        s.checkpoint.prev_hash = bytes_field<32>(c, "prev-hash");
        s.checkpoint.time = integer(c, "time");
        s.checkpoint.key_id = bytes_field<32>(c, "key-id");
        s.signature = bytes_field<64>(c, "signature");
        return s;
    }
};

std::optional<std::string> check_checkpoint(const SignedCheckpoint& c, const PublicKey* key, uint64_t size,
                                            const Digest& root) {
    if (uint64_t(c.checkpoint.size) != size) return "the checkpoint is of another tree size";
    if (c.checkpoint.root != root) return "the checkpoint's root differs from the proof's root";
    if (key != nullptr) {
        if (key_id(*key) != c.checkpoint.key_id) return "the checkpoint was signed by another key";
        if (!verify_signature(*key, checkpoint_bytes(c.checkpoint), c.signature))
            return "the checkpoint's signature is invalid";
    }
    return std::nullopt;
}

}  // namespace

std::string to_edn(const InclusionProof& p) {
    std::string out = "{:proof/type :inclusion :log-id ";
    put_hex(out, p.log_id);
    out += " :tx " + std::to_string(p.entry.tx) + " :seq " + std::to_string(p.entry.seq) + " :tree-size " +
           std::to_string(p.tree_size) + " :entry {:prev-hash ";
    put_hex(out, p.prev_hash);
    out += " :branch-id " + std::to_string(p.entry.branch_id) + " :tx-time " + std::to_string(p.entry.tx_time) +
           " :datom-count " + std::to_string(p.entry.datom_count) + " :branch-prev ";
    put_hex(out, p.entry.branch_prev);
    out += " :merkle-root ";
    put_hex(out, p.merkle_root);
    out += "} :entry-hash ";
    put_hex(out, p.entry_hash);
    out += " :path [";
    for (size_t i = 0; i < p.path.size(); ++i) {
        if (i) out += ' ';
        put_hex(out, p.path[i]);
    }
    out += "] :root ";
    put_hex(out, p.root);
    out += " :checkpoint ";
    put_checkpoint(out, p.checkpoint);
    out += "}";
    return out;
}

std::string to_edn(const ConsistencyProof& p) {
    std::string out = "{:proof/type :consistency :log-id ";
    put_hex(out, p.log_id);
    out += " :old-size " + std::to_string(p.old_size) + " :new-size " + std::to_string(p.new_size) + " :old-root ";
    put_hex(out, p.old_root);
    out += " :new-root ";
    put_hex(out, p.new_root);
    out += " :proof [";
    for (size_t i = 0; i < p.proof.size(); ++i) {
        if (i) out += ' ';
        put_hex(out, p.proof[i]);
    }
    out += "]";
    if (p.old_checkpoint) {
        out += " :old-checkpoint ";
        put_checkpoint(out, *p.old_checkpoint);
    }
    if (p.new_checkpoint) {
        out += " :new-checkpoint ";
        put_checkpoint(out, *p.new_checkpoint);
    }
    out += "}";
    return out;
}

core::Result<ParsedProof> parse_proof(edn::ValueRef v) {
    if (v.tag() != edn::Tag::map) return bad("a proof is an EDN map");
    Reader r;
    ParsedProof out;
    edn::ValueRef type = r.field(v, "proof/type");
    if (r.error) return *r.error;
    if (type.tag() != edn::Tag::keyword || (type.as_text() != "inclusion" && type.as_text() != "consistency"))
        return bad(":proof/type must be :inclusion or :consistency");
    LogId log_id = r.bytes_field<16>(v, "log-id");
    if (type.as_text() == "inclusion") {
        InclusionProof p;
        p.log_id = log_id;
        p.entry.tx = r.integer(v, "tx");
        p.entry.seq = r.integer(v, "seq");
        int64_t size = r.integer(v, "tree-size");
        edn::ValueRef e = r.field(v, "entry");
        if (!r.error) {
            p.prev_hash = r.bytes_field<32>(e, "prev-hash");
            p.entry.branch_id = int32_t(r.integer(e, "branch-id"));
            p.entry.tx_time = r.integer(e, "tx-time");
            int64_t count = r.integer(e, "datom-count");
            if (count < 0 || count > int64_t(UINT32_MAX)) r.fail(":datom-count is out of range");
            p.entry.datom_count = uint32_t(count);
            p.entry.branch_prev = r.bytes_field<32>(e, "branch-prev");
            p.merkle_root = r.bytes_field<32>(e, "merkle-root");
        }
        p.entry_hash = r.bytes_field<32>(v, "entry-hash");
        p.path = r.digests(v, "path");
        p.root = r.bytes_field<32>(v, "root");
        edn::ValueRef c = r.field(v, "checkpoint");
        if (!r.error) p.checkpoint = r.checkpoint(c, log_id);
        if (!r.error && (size < 1 || p.entry.seq < 1 || p.entry.seq > size))
            r.fail(":seq must be between 1 and :tree-size");
        if (r.error) return *r.error;
        p.tree_size = uint64_t(size);
        out.inclusion = std::move(p);
    } else {
        ConsistencyProof p;
        p.log_id = log_id;
        int64_t m = r.integer(v, "old-size"), n = r.integer(v, "new-size");
        p.old_root = r.bytes_field<32>(v, "old-root");
        p.new_root = r.bytes_field<32>(v, "new-root");
        p.proof = r.digests(v, "proof");
        if (auto c = get(v, "old-checkpoint")) p.old_checkpoint = r.checkpoint(*c, log_id);
        if (auto c = get(v, "new-checkpoint")) p.new_checkpoint = r.checkpoint(*c, log_id);
        if (!r.error && (m < 1 || m > n)) r.fail(":old-size must be between 1 and :new-size");
        if (r.error) return *r.error;
        p.old_size = uint64_t(m);
        p.new_size = uint64_t(n);
        out.consistency = std::move(p);
    }
    return out;
}

std::optional<std::string> check_proof(const InclusionProof& p, const PublicKey* key) {
    if (entry_hash(p.prev_hash, p.entry, p.merkle_root) != p.entry_hash)
        return "the entry's fields do not hash to :entry-hash";
    Digest leaf = hash::merkle_leaf_hash(p.entry_hash.data(), p.entry_hash.size());
    if (!verify_inclusion(leaf, uint64_t(p.entry.seq - 1), p.tree_size, p.path, p.root))
        return "the audit path does not lead to :root";
    return check_checkpoint(p.checkpoint, key, p.tree_size, p.root);
}

std::optional<std::string> check_proof(const ConsistencyProof& p, const PublicKey* old_key,
                                       const PublicKey* new_key) {
    if (!verify_consistency(p.old_size, p.new_size, p.old_root, p.new_root, p.proof))
        return "the proof does not show :new-root extends :old-root";
    if (p.old_checkpoint)
        if (auto e = check_checkpoint(*p.old_checkpoint, old_key, p.old_size, p.old_root)) return "old: " + *e;
    if (p.new_checkpoint)
        if (auto e = check_checkpoint(*p.new_checkpoint, new_key, p.new_size, p.new_root)) return "new: " + *e;
    return std::nullopt;
}

}  // namespace persistence::audit
