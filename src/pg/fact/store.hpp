// PgStore: the planner's view of the datom log (fact::StateSource) in one transact call.
#pragma once

#include "persistence/fact/model.hpp"
#include "persistence/fact/planner.hpp"

#include <string>
#include <unordered_set>
#include <vector>

#include "pg/fact/scan.hpp"

namespace persistence::pg {

// Converts the scan's current row into a StoredDatom (C++: call outside call_pg).
fact::StoredDatom stored_datom(const RawDatom& raw);

class PgStore final : public fact::StateSource {
   public:
    explicit PgStore(const BranchView& view);
    ~PgStore() override;
    PgStore(const PgStore&) = delete;
    PgStore& operator=(const PgStore&) = delete;

    fact::Attribute attribute(const std::string& ident) override;
    void lock(const std::vector<fact::LockRequest>& locks) override;
    void scan_ea(const std::string& e, const std::string& a, const fact::DatomSink& sink) override;
    void scan_e(const std::string& e, const fact::DatomSink& sink) override;
    void scan_av(const std::string& a, const fact::Digest& vhash, const fact::DatomSink& sink) override;
    bool entity_exists(const std::string& e) override;
    bool load_value(const fact::Digest& vhash, std::string& out) override;

    // Releases scans and snapshots (call on success; on error the abort cleans up).
    void close();

    // Did any scan of this transact see a datom of (e, a)? The planner reads every
    // (e, a) it writes after taking its lock, so "no" means the write opens the pair
    // (persistence.datoms.opens_ea).
    bool saw(const std::string& e, const std::string& a) const;

   private:
    DatomScan* scan_for(Oid index);
    void walk(DatomScan* s, ScanKey keys, int nkeys, const fact::DatomSink& sink);

    BranchView view_;
    Snapshot latest_ = nullptr;   // registered; retaken after each lock() call
    Snapshot check_ = nullptr;    // RR/SERIALIZABLE: the transaction snapshot
    bool locked_ = false;         // conflict checks apply only to reads after lock()
    DatomScan* eavt_ = nullptr;
    DatomScan* avet_ = nullptr;
    std::unordered_set<std::string> seen_;  // e '\0' a of every datom read
};

// Transaction-scoped advisory locks in persistence's own lock spaces (docs/fact.md):
// space 1 unique values, space 2 entities and attributes, space 3 new values. A
// transaction takes them in that order and each space's buckets in ascending order.
void take_fact_locks(int space, const std::vector<fact::LockRequest>& locks);

}  // namespace persistence::pg
