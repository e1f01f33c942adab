// The one way src/pg/ includes PostgreSQL: after every standard and core header
// (port.h redefines snprintf/qsort/strerror, c.h defines Min/Max, STYLE.md §3).
#pragma once

// The library is built with -fvisibility=hidden; PostgreSQL 15 leaves PGDLLEXPORT empty
// on ELF, so we define it to export exactly the symbols PG_FUNCTION_INFO_V1 and
// PG_MODULE_MAGIC declare (c.h keeps a definition made before it).
#define PGDLLEXPORT __attribute__((visibility("default")))

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/elog.h"
#include "utils/memutils.h"
}
