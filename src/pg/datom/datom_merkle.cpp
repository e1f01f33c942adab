// persistence.merkle_root(bytea[]): the RFC 6962 root of a list of 32-byte hashes, so a
// transaction's root can be recomputed from SQL.
#include <cstring>

#include "persistence/hash/merkle.hpp"
#include "pg/boundary.hpp"

extern "C" {
#include "catalog/pg_type_d.h"
#include "utils/array.h"
}

using namespace persistence;

// persistence.merkle_root(hashes bytea[]) → bytea
PERSISTENCE_FUNCTION(persistence_merkle_root) {
    ArrayType* arr = PG_GETARG_ARRAYTYPE_P(0);
    if (ARR_NDIM(arr) > 1)
        ereport(ERROR,
                (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                 errmsg("merkle_root expects a one-dimensional array, got %d dimensions", ARR_NDIM(arr)),
                 errhint("Pass the leaf hashes in order, e.g. array_agg(datom_hash(d) ORDER BY ...).")));
    Datum* elems = nullptr;
    bool* nulls = nullptr;
    int n = 0;
    deconstruct_array(arr, BYTEAOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
    int lbound = ARR_NDIM(arr) == 1 ? ARR_LBOUND(arr)[0] : 1;
    // Check every element before any hashing (plain PostgreSQL code, nothing to unwind).
    for (int i = 0; i < n; ++i) {
        if (nulls[i])
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                            errmsg("merkle_root: element [%d] is NULL", lbound + i),
                            errhint("Every leaf is a 32-byte hash.")));
        bytea* b = DatumGetByteaPP(elems[i]);
        if (VARSIZE_ANY_EXHDR(b) != 32)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("merkle_root: element [%d] is %d bytes long; a leaf is a 32-byte hash",
                                   lbound + i, int(VARSIZE_ANY_EXHDR(b))),
                            errhint("Pass SHA-256 digests such as datom_hash(d) or edn_hash(v).")));
        elems[i] = PointerGetDatum(b);
    }
    hash::MerkleRootBuilder tree;
    for (int i = 0; i < n; ++i) {
        const bytea* b = reinterpret_cast<const bytea*>(DatumGetPointer(elems[i]));  // detoasted above
        tree.add_leaf(VARDATA_ANY(b), 32);
    }
    hash::Digest root = tree.root();
    bytea* out = static_cast<bytea*>(pg::palloc_or_throw(VARHDRSZ + root.size()));
    SET_VARSIZE(out, VARHDRSZ + root.size());
    std::memcpy(VARDATA(out), root.data(), root.size());
    PG_RETURN_BYTEA_P(out);
}
