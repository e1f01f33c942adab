// valid() costs: no heap allocation on the happy path (counted through a replaced global
// operator new), and a hidden microbenchmark ([.bench]: run it with
// `build/unit/unit_tests "[.bench]"`).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "spec_helpers.hpp"

using namespace spec_test;

// The counting operator new replaces the global one for the whole binary, which would
// switch off ASan's new/delete mismatch checks for every other test: it is built only
// without ASan (the allocation test then only runs in the plain build).
#if defined(__SANITIZE_ADDRESS__)
#define SPEC_COUNT_ALLOCATIONS 0
#else
#define SPEC_COUNT_ALLOCATIONS 1
#endif

namespace {
// Counts allocations only while a test asks for it; every other test is unaffected.
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace

#if SPEC_COUNT_ALLOCATIONS
void* operator new(std::size_t n) {
    if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#endif

namespace {

const char* const task_schema = R"([:map {:closed true}
 [:summary [:string {:min 1 :max 80}]]
 [:priority [:enum :low :medium :high]]
 [:assignee [:map [:name [:string {:min 1}]] [:email [:re "[^@\\s]+@[^@\\s]+\\.[a-z]{2,}"]]]]
 [:tags {:optional true} [:vector {:max 5} :keyword]]
 [:steps [:vector {:min 1} [:map [:id pos-int?] [:action [:enum :search :read :write]] [:args [:map-of :keyword :any]]]]]
 [:confidence [:double {:min 0 :max 1}]]
 [:due {:optional true} [:maybe :inst]]])";

const char* const task_value = R"({:summary "Book the venue for the offsite" :priority :high
 :assignee {:name "Ann" :email "ann@example.org"} :tags [:ops :q3]
 :steps [{:id 1 :action :search :args {:q "venues"}} {:id 2 :action :read :args {:url "https://example.org"}}
         {:id 3 :action :write :args {}}]
 :confidence 0.8 :due #inst "2026-05-01T09:00:00Z"})";

long allocations_of_valid(const spec::SpecPtr& s, const std::string& value, const spec::Options& o = {}) {
    std::string v = rd(value);
    REQUIRE(spec::valid(*s, vref(v), o).value());  // warm-up (RE2 builds its DFA lazily)
    allocations = 0;
    counting = true;
    bool ok = spec::valid(*s, vref(v), o).value();
    counting = false;
    CHECK(ok);
    return allocations.load();
}

}  // namespace

TEST_CASE("spec valid: no allocation on the happy path", "[spec][alloc]") {
    if (!SPEC_COUNT_ALLOCATIONS) {
        WARN("allocation counting is off under ASan; the plain unit build checks it");
        return;
    }
    CHECK(allocations_of_valid(S(":int"), "1") == 0);
    CHECK(allocations_of_valid(S("[:string {:min 1 :max 10}]"), "\"abc\"") == 0);
    CHECK(allocations_of_valid(S("[:enum :a :b :c]"), ":b") == 0);
    CHECK(allocations_of_valid(S("[:map [:a :int] [:b {:optional true} :string] [:c [:maybe :keyword]]]"),
                               "{:a 1 :c nil}") == 0);
    CHECK(allocations_of_valid(S("[:map {:closed true} [:a :int]]"), "{:a 1}") == 0);
    CHECK(allocations_of_valid(S("[:vector [:map [:x :double]]]"), "[{:x 1.0} {:x 2.0}]") == 0);
    CHECK(allocations_of_valid(S("[:or :int :string]"), "\"s\"") == 0);
    CHECK(allocations_of_valid(S("[:map [:a :int]]"), "{\"a\" 1}", json()) == 0);
    CHECK(allocations_of_valid(S(task_schema), task_value) == 0);
}

TEST_CASE("spec valid: microbenchmark on the task schema", "[.bench][spec]") {
    auto s = S(task_schema);
    std::string v = rd(task_value);
    std::string bad =
        rd(R"({:summary "" :priority :urgent :assignee {:name "Ann"} :steps [] :confidence 2.0})");
    auto time_ns = [](auto&& f, int n) {
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < n; ++i) f();
        auto t1 = std::chrono::steady_clock::now();
        return std::chrono::duration<double, std::nano>(t1 - t0).count() / n;
    };
    int n = 200000;
    volatile bool sink = false;
    double valid_ns = time_ns([&] { sink = spec::valid(*s, vref(v)).value(); }, n);
    double invalid_ns = time_ns([&] { sink = spec::valid(*s, vref(bad)).value(); }, n);
    double llm_ns = time_ns([&] { sink = spec::explain_for_llm(*s, vref(bad)).value().empty(); }, n / 10);
    std::string text(task_schema);
    double compile_ns = time_ns([&] { sink = spec::compile_text(text).ok(); }, n / 20);
    std::string json_value = rd(R"({"summary" "Book the venue for the offsite" "priority" "high"
        "assignee" {"name" "Ann" "email" "ann@example.org"} "tags" ["ops" "q3"]
        "steps" [{"id" 1 "action" "search" "args" {"q" "venues"}} {"id" 2 "action" "read" "args" {}}]
        "confidence" 0.8M "due" "2026-05-01T09:00:00Z"})");
    double coerce_ns = time_ns([&] { sink = spec::coerce(*s, vref(json_value), json()).ok(); }, n / 10);
    std::printf("spec bench (task schema, %zu-byte value):\n", v.size());
    std::printf("  valid, conforming value      %8.0f ns\n", valid_ns);
    std::printf("  valid, non-conforming value  %8.0f ns (stops at the first problem)\n", invalid_ns);
    std::printf("  explain_for_llm, 6 problems  %8.0f ns\n", llm_ns);
    std::printf("  coerce + validate, json mode %8.0f ns\n", coerce_ns);
    std::printf("  compile                      %8.0f ns\n", compile_ns);
    CHECK(valid_ns > 0);
}
