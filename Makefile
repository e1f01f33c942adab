# persistence: PGXS build of persistence.so plus the test, fuzz and bench targets.
# The two commands users need are `make demo` and `make check` (README.md).

# These goals only run scripts. They must work before PostgreSQL's development files are
# installed (scripts/deps.sh installs them), so they never include PGXS; the scripts
# call `make all` / `make install` themselves.
SCRIPT_GOALS = demo check installcheck bench bench-edn bench-fact bench-branch bench-audit bench-spec
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(SCRIPT_GOALS),$(MAKECMDGOALS)),)
SCRIPTS_ONLY = 1
endif
endif

ifdef SCRIPTS_ONLY
.PHONY: $(SCRIPT_GOALS)
demo:
	bash scripts/demo.sh
check:
	bash scripts/check.sh
installcheck:
	bash scripts/installcheck.sh
bench: bench-edn bench-fact bench-branch bench-audit bench-spec
bench-edn:
	bash bench/run.sh edn
bench-fact:
	bash bench/fact.sh
bench-branch:
	bash bench/branch.sh
bench-audit:
	bash bench/audit.sh
bench-spec:
	bash bench/spec.sh
else

EXTENSION  = persistence
MODULE_big = persistence
# The install script is built from one fragment per module (sql/install/NN_module.sql,
# concatenated in name order) so modules do not share one growing file. Upgrade
# scripts (sql/persistence--A--B.sql), once there are releases, are checked in as is.
# The other sql/*.sql are pg_regress inputs.
EXT_INSTALL_SQL = sql/persistence--0.1.0.sql
DATA_built = $(EXT_INSTALL_SQL)
DATA       = $(filter-out $(EXT_INSTALL_SQL),$(sort $(wildcard sql/persistence--*.sql)))

CORE_SRCS  = $(sort $(wildcard src/core/*/*.cpp))
PG_SRCS    = $(sort $(wildcard src/pg/*.cpp src/pg/*/*.cpp))
OBJS       = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

# -isystem: PostgreSQL's C headers are not ours to warn about under -Wextra.
PG_CPPFLAGS = -Iinclude -Isrc -isystem $(shell $(PG_CONFIG) --includedir-server)
# Hidden visibility: only the extern "C" entry points marked PGDLLEXPORT are exported
# (src/pg/pg_headers.hpp), which keeps the backend's symbol space clean.
PG_CXXFLAGS = -std=c++17 -Wall -Wextra -Wno-register \
              -fvisibility=hidden -fvisibility-inlines-hidden -MMD -MP
SHLIB_LINK  = -lstdc++ -lssl -lcrypto -lsodium -lre2
EXTRA_CLEAN = build src/core/*/*.d src/pg/*.d src/pg/*/*.d

comma := ,
PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
NO_INSTALLCHECK = 1
include $(PGXS)

# Link with the C++ driver; clang builds the JIT bitcode and needs our C++ flags too
# (PostgreSQL 15 headers use `register`, hence -Wno-register).
COMPILER = $(CXX) $(CXXFLAGS)
COMPILE.cxx.bc += -std=c++17 -Wno-register -Iinclude -Isrc

-include $(OBJS:.o=.d)

$(EXT_INSTALL_SQL): $(sort $(wildcard sql/install/*.sql))
	cat $^ > $@

# ---------------------------------------------------------------- unit tests
UNIT_SRCS  = $(sort $(wildcard test/unit/*.cpp))
UNIT_FLAGS = -std=c++17 -Wall -Wextra -Iinclude -MMD -MP
UNIT_LIBS  = -lssl -lcrypto -lsodium -lre2

define unit_build
build/$(1)/%.o: %.cpp
	@mkdir -p $$(@D)
	$(CXX) $(UNIT_FLAGS) $(2) -c $$< -o $$@
build/$(1)/unit_tests: $(addprefix build/$(1)/,$(CORE_SRCS:.cpp=.o) $(UNIT_SRCS:.cpp=.o))
	$(CXX) $(2) $$^ $(UNIT_LIBS) -o $$@
-include $(addprefix build/$(1)/,$(CORE_SRCS:.cpp=.d) $(UNIT_SRCS:.cpp=.d))
endef
$(eval $(call unit_build,unit,-O2 -g))
$(eval $(call unit_build,unit-asan,-O1 -g -fno-omit-frame-pointer -fsanitize=address$(comma)undefined -fno-sanitize-recover=all))


# bench/audit's core half (proof verification latency), from the unit build's objects.
build/audit_core_bench: $(addprefix build/unit/,$(CORE_SRCS:.cpp=.o)) bench/audit/core_bench.cpp
	$(CXX) $(UNIT_FLAGS) -O2 $^ $(UNIT_LIBS) -o $@

.PHONY: unit-build unit
unit-build: build/unit/unit_tests build/unit-asan/unit_tests
unit: unit-build
	build/unit/unit_tests
	build/unit-asan/unit_tests

# ---------------------------------------------------------------- persistence-verify
# The offline verifier of export_chain() files (docs/audit.md): the extension's own core
# objects (so `make` compiles the core once) plus its main, built by `make` and installed
# next to PostgreSQL's programs by `make install`.
build/tools/persistence_verify.o: src/tools/persistence_verify.cpp
	@mkdir -p $(@D)
	$(CXX) $(UNIT_FLAGS) -O2 -g -c $< -o $@
build/persistence-verify: $(CORE_SRCS:.cpp=.o) build/tools/persistence_verify.o
	$(CXX) -O2 -g $^ $(UNIT_LIBS) -o $@
-include build/tools/persistence_verify.d
all: build/persistence-verify
install: install-verify
.PHONY: install-verify
install-verify: build/persistence-verify
	$(MKDIR_P) '$(DESTDIR)$(bindir)'
	$(INSTALL_PROGRAM) build/persistence-verify '$(DESTDIR)$(bindir)/persistence-verify'

# ---------------------------------------------------------------- fuzzing (clang, libFuzzer)
FUZZ_TARGETS = $(basename $(notdir $(wildcard test/fuzz/*.cpp)))
FUZZ_FLAGS   = -std=c++17 -g -O1 -Iinclude -fsanitize=address,undefined -fno-sanitize-recover=all
# The core is compiled once (instrumented for coverage, no libFuzzer main) and linked into
# every target: compiling it again per target made the smoke run mostly compiling.
FUZZ_OBJS    = $(addprefix build/fuzz/obj/,$(CORE_SRCS:.cpp=.o))

build/fuzz/obj/%.o: %.cpp
	@mkdir -p $(@D)
	clang++ $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
-include $(FUZZ_OBJS:.o=.d)

build/fuzz/%: test/fuzz/%.cpp $(FUZZ_OBJS)
	@mkdir -p $(@D)
	clang++ $(FUZZ_FLAGS) -fsanitize=fuzzer $< $(FUZZ_OBJS) $(UNIT_LIBS) -o $@

.PHONY: fuzz fuzz-smoke
fuzz: $(addprefix build/fuzz/,$(FUZZ_TARGETS))
	bash scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=10

endif
