// Offline verification of an export: the passes of verify_chain() over parsed lines.
#include <algorithm>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "bytes.hpp"
#include "persistence/audit/export.hpp"

namespace persistence::audit {

namespace {

// Index orders so that each pass reads the rows in the order it needs without copying them.
template <typename Less>
std::vector<size_t> order(size_t n, Less less) {
    std::vector<size_t> idx(n);
    std::iota(idx.begin(), idx.end(), size_t(0));
    std::stable_sort(idx.begin(), idx.end(), less);
    return idx;
}

// Pass 1: each transaction row with its datoms; datoms whose transaction has no row are
// left to the walk (their tx, if sealed, reports "transaction missing") and to the
// unsealed check. Returns the tx ids of such orphan datoms.
std::vector<int64_t> check_contents(const ExportData& d, ChainWalk& walk) {
    std::vector<size_t> datoms =
        order(d.datom_count(), [&](size_t x, size_t y) { return d.datom_tx(x) < d.datom_tx(y); });
    std::vector<size_t> txs =
        order(d.txs.size(), [&](size_t x, size_t y) { return d.txs[x].tx < d.txs[y].tx; });
    std::vector<int64_t> orphans;
    TxContentCheck check(TxRow{});
    size_t at = 0;
    for (size_t ti : txs) {
        const TxRow& t = d.txs[ti];
        for (; at < datoms.size() && d.datom_tx(datoms[at]) < t.tx; ++at) {
            int64_t o = d.datom_tx(datoms[at]);
            if (orphans.empty() || orphans.back() != o) orphans.push_back(o);
        }
        check.reset(t);
        for (; at < datoms.size() && d.datom_tx(datoms[at]) == t.tx; ++at) check.add(d.datom(datoms[at]));
        if (auto p = check.finish()) walk.content_problem(*p);
    }
    for (; at < datoms.size(); ++at) {
        int64_t o = d.datom_tx(datoms[at]);
        if (orphans.empty() || orphans.back() != o) orphans.push_back(o);
    }

    // A payload that no longer matches its hash spoils every transaction that uses it.
    // Registered after pass 1, so a transaction's own datom problem is reported first.
    std::vector<Digest> bad_values;
    for (size_t i = 0; i < d.value_count(); ++i) {
        auto b = d.value_bytes(i);
        if (b && !value_matches(d.value_hash(i), *b)) bad_values.push_back(d.value_hash(i));
    }
    if (!bad_values.empty()) {
        std::sort(bad_values.begin(), bad_values.end());
        for (size_t i : datoms) {
            DatomRow r = d.datom(i);
            if (std::binary_search(bad_values.begin(), bad_values.end(), r.value_hash))
                walk.content_problem(Problem{r.tx, 0, std::string(reasons::value_mismatch)});
        }
    }
    return orphans;
}

}  // namespace

VerifyReport verify_export_data(const ExportData& d, const std::optional<PublicKey>& trusted_key) {
    ChainWalk walk(d.log_id, d.keys, d.checkpoints, d.branches);
    std::vector<int64_t> orphans = check_contents(d, walk);

    std::unordered_map<int64_t, const TxRow*> tx_rows;
    tx_rows.reserve(d.txs.size());
    for (const TxRow& t : d.txs) tx_rows.emplace(t.tx, &t);
    std::vector<size_t> entries =
        order(d.entry_count(), [&](size_t x, size_t y) { return d.entry_seq(x) < d.entry_seq(y); });
    std::unordered_set<int64_t> sealed;
    sealed.reserve(entries.size());
    for (size_t i : entries) sealed.insert(d.entry(i).tx);
    for (size_t i : entries) {
        EntryRow e = d.entry(i);
        auto t = tx_rows.find(e.tx);
        if (!walk.add(e, t == tx_rows.end() ? nullptr : t->second)) break;
    }

    std::unordered_set<int64_t> pending(d.pending.begin(), d.pending.end());
    std::vector<int64_t> unsealed;
    auto consider = [&](int64_t tx) {
        if (!sealed.count(tx) && !pending.count(tx)) unsealed.push_back(tx);
    };
    for (const TxRow& t : d.txs) consider(t.tx);
    for (int64_t o : orphans) consider(o);
    std::optional<Problem> problem = walk.finish(unsealed);

    if (!problem && trusted_key) {
        // The newest checkpoint must be this key's: a swapped keys table re-signing a
        // rewritten log would otherwise verify.
        if (d.checkpoints.empty()) {
            if (d.entry_count() > 0) problem = Problem{0, 0, std::string(reasons::no_checkpoint_for_key)};
        } else {
            const CheckpointRow* newest = &d.checkpoints[0];
            for (const CheckpointRow& c : d.checkpoints) {
                const Checkpoint &a = c.checkpoint, &b = newest->checkpoint;
                if (a.size > b.size || (a.size == b.size && a.time >= b.time)) newest = &c;
            }
            const Checkpoint& c = newest->checkpoint;
            if (c.key_id != key_id(*trusted_key) ||
                !verify_signature(*trusted_key, checkpoint_bytes(c), newest->signature)) {
                int64_t tx = 0;  // the entry the checkpoint ends at
                for (size_t i = 0; i < d.entry_count() && tx == 0; ++i)
                    if (d.entry_seq(i) == c.size) tx = d.entry(i).tx;
                problem = Problem{tx, c.size, std::string(reasons::trusted_key_swapped)};
            }
        }
    }

    VerifyReport report;
    report.checked = walk.checked();
    if (problem) {
        report.ok = false;
        report.first_bad_tx = problem->tx;
        report.reason = problem->reason;
    }
    return report;
}

core::Result<VerifyReport> verify_export(std::istream& in, const std::optional<PublicKey>& trusted_key) {
    auto data = parse_export(in);
    if (!data) return data.error();
    return verify_export_data(data.value(), trusted_key);
}

std::optional<PublicKey> parse_public_key_hex(std::string_view hex) {
    if (hex.size() != 64) return std::nullopt;
    std::string lower(hex);
    for (char& c : lower)
        if (c >= 'A' && c <= 'F') c = char(c - 'A' + 'a');
    PublicKey k;
    if (!bytes::decode_hex(lower, k.data(), k.size())) return std::nullopt;
    return k;
}

}  // namespace persistence::audit
