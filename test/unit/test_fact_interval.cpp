// Interval arithmetic and the working-copy piece operations (src/core/fact/pieces.hpp):
// hand-written cases, then random operation sequences against a model that stores the
// value set at every instant of a small time line.
#include <random>
#include <set>

#include "../../src/core/fact/pieces.hpp"
#include "memory_store.hpp"

using namespace fact_test;
using persistence::fact::detail::add_piece;
using persistence::fact::detail::piece_at;
using persistence::fact::detail::retract_pieces;
using persistence::fact::detail::WorkPiece;
using persistence::fact::detail::WorkPieces;

namespace {

Digest vh(int v) {
    Digest d{};
    d[0] = uint8_t(v);
    return d;
}

WorkPiece wp(int v, Micros from, Micros to = open_end) {
    return WorkPiece{vh(v), Interval{from, to}, {}, {}};
}

// "v@from-to" for each piece, sorted; "inf" for open.
std::vector<std::string> show(const WorkPieces& ps) {
    std::vector<std::string> out;
    for (const auto& p : ps)
        out.push_back(std::to_string(p.vhash[0]) + "@" + std::to_string(p.valid.from) + "-" +
                      (p.valid.to == open_end ? std::string("inf") : std::to_string(p.valid.to)));
    std::sort(out.begin(), out.end());
    return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("intervals are half-open", "[fact][interval]") {
    Interval a{10, 20};
    CHECK(a.contains(10));
    CHECK(a.contains(19));
    CHECK_FALSE(a.contains(20));
    CHECK_FALSE(a.contains(9));
    CHECK(a.overlaps(Interval{19, 30}));
    CHECK_FALSE(a.overlaps(Interval{20, 30}));  // touching is not overlapping
    CHECK_FALSE(a.overlaps(Interval{0, 10}));
    CHECK(a.overlaps(Interval{0, 11}));
    CHECK(a.overlaps(Interval{12, 13}));
    CHECK(a.covers(Interval{10, 20}));
    CHECK(a.covers(Interval{12, 13}));
    CHECK_FALSE(a.covers(Interval{9, 13}));
    CHECK_FALSE(a.covers(Interval{12, 21}));
    Interval open{5, open_end};
    CHECK(open.contains(open_end - 1));
    CHECK(open.covers(Interval{6, open_end}));
    CHECK(open.overlaps(a));
    CHECK_FALSE(a.covers(open));
    CHECK(Interval{} == Interval{0, open_end});
}

TEST_CASE("pieces: add, cardinality one", "[fact][interval]") {
    WorkPieces ps;
    CHECK(add_piece(ps, wp(1, 0), false));
    CHECK(show(ps) == V{"1@0-inf"});
    CHECK_FALSE(add_piece(ps, wp(1, 5, 10), false));  // covered: no change
    CHECK(show(ps) == V{"1@0-inf"});
    // Another value inside: the old piece is cut around it.
    CHECK(add_piece(ps, wp(2, 5, 10), false));
    CHECK(show(ps) == V{"1@0-5", "1@10-inf", "2@5-10"});
    // Overlapping its own pieces: merged into their hull, replacing what lies inside.
    CHECK(add_piece(ps, wp(1, 3, 12), false));
    CHECK(show(ps) == V{"1@0-inf"});
    // A value starting exactly at another's start removes it from there on.
    CHECK(add_piece(ps, wp(3, 0), false));
    CHECK(show(ps) == V{"3@0-inf"});
    // Adjacent pieces of one value are not merged (they do not overlap).
    ps = {wp(1, 0, 5)};
    CHECK(add_piece(ps, wp(1, 5, 8), false));
    CHECK(show(ps) == V{"1@0-5", "1@5-8"});
    // One add spanning several pieces of several values.
    ps = {wp(1, 0, 5), wp(2, 5, 8), wp(1, 8, 12), wp(3, 12, 20)};
    CHECK(add_piece(ps, wp(4, 3, 14), false));
    CHECK(show(ps) == V{"1@0-3", "3@14-20", "4@3-14"});
    ps = {wp(1, 0, 5), wp(2, 5, 8), wp(1, 8, 12), wp(3, 12, 20)};
    CHECK(add_piece(ps, wp(1, 3, 14), false));
    CHECK(show(ps) == V{"1@0-14", "3@14-20"});
}

TEST_CASE("pieces: add, cardinality many", "[fact][interval]") {
    WorkPieces ps = {wp(1, 0, 10), wp(2, 0)};
    CHECK(add_piece(ps, wp(3, 5), true));
    CHECK(show(ps) == V{"1@0-10", "2@0-inf", "3@5-inf"});
    CHECK_FALSE(add_piece(ps, wp(2, 100, 200), true));
    CHECK(add_piece(ps, wp(1, 8, 15), true));
    CHECK(show(ps) == V{"1@0-15", "2@0-inf", "3@5-inf"});
}

TEST_CASE("pieces: retract and lookup", "[fact][interval]") {
    WorkPieces ps = {wp(1, 0, 10), wp(2, 10)};
    CHECK_FALSE(retract_pieces(ps, nullptr, Interval{-5, 0}));
    Digest two = vh(2), three = vh(3);
    CHECK_FALSE(retract_pieces(ps, &three, Interval{0, open_end}));
    CHECK(retract_pieces(ps, &two, Interval{20, 30}));
    CHECK(show(ps) == V{"1@0-10", "2@10-20", "2@30-inf"});
    CHECK(retract_pieces(ps, nullptr, Interval{5, 15}));
    CHECK(show(ps) == V{"1@0-5", "2@15-20", "2@30-inf"});
    REQUIRE(piece_at(ps, 16));
    CHECK(piece_at(ps, 16)->vhash == two);
    CHECK(piece_at(ps, 20) == nullptr);
    CHECK(piece_at(ps, 5) == nullptr);
    CHECK(piece_at(ps, 4)->vhash == vh(1));
    CHECK(retract_pieces(ps, nullptr, Interval{0, open_end}));
    CHECK(ps.empty());
}

TEST_CASE("pieces: random operations agree with an instant-by-instant model", "[fact][interval]") {
    // Endpoints 0..N or open; instant N stands for everything from N on.
    constexpr int N = 12;
    for (uint32_t seed = 1; seed <= 400; ++seed) {
        std::mt19937 rng(seed);
        bool many = seed % 2 == 0;
        WorkPieces ps;
        std::vector<std::set<int>> model(N + 1);
        for (int step = 0; step < 30; ++step) {
            int from = int(rng() % N);
            int to_pick = int(rng() % (N - from + 1));
            Micros to = to_pick == 0 ? open_end : Micros(from + to_pick);
            Interval iv{from, to};
            int v = 1 + int(rng() % 3);
            int kind = int(rng() % 4);
            INFO("seed " << seed << " step " << step << " kind " << kind << " v " << v << " [" << from << ", "
                         << (to == open_end ? -1 : to) << ")");
            auto in = [&](int t) { return t >= from && (to == open_end || t < to); };
            if (kind <= 1) {
                bool covered = std::any_of(ps.begin(), ps.end(), [&](const WorkPiece& p) {
                    return p.vhash == vh(v) && p.valid.covers(iv);
                });
                CHECK(add_piece(ps, wp(v, from, to), many) == !covered);
                for (int t = 0; t <= N; ++t) {
                    if (!in(t)) continue;
                    if (!many) model[t].clear();
                    model[t].insert(v);
                }
            } else if (kind == 2) {
                Digest d = vh(v);
                retract_pieces(ps, &d, iv);
                for (int t = 0; t <= N; ++t)
                    if (in(t)) model[t].erase(v);
            } else {
                retract_pieces(ps, nullptr, iv);
                for (int t = 0; t <= N; ++t)
                    if (in(t)) model[t].clear();
            }
            for (int t = 0; t <= N; ++t) {
                std::set<int> got;
                for (const auto& p : ps)
                    if (p.valid.contains(t))
                        CHECK(got.insert(p.vhash[0]).second);  // same value never overlaps
                CHECK(got == model[t]);
            }
            for (size_t i = 0; i < ps.size(); ++i) {
                CHECK(ps[i].valid.from < ps[i].valid.to);
                for (size_t j = i + 1; j < ps.size(); ++j)
                    if (!many || ps[i].vhash == ps[j].vhash) CHECK_FALSE(ps[i].valid.overlaps(ps[j].valid));
            }
        }
    }
}
