// validate() and explain(): the collecting walk's problems as owned, encoded EDN.
#include "explain.hpp"

#include "persistence/edn/encoder.hpp"

namespace persistence::spec {

namespace detail {

namespace {

// Problems quote the value and the schema, which may be nested as deeply as EDN allows.
edn::Limits output_limits() {
    edn::Limits l;
    l.max_depth = edn::max_depth_ceiling;
    return l;
}

void add_path(edn::Encoder& e, const std::vector<Seg>& path) {
    e.begin(edn::Tag::vector);
    for (const Seg& s : path) {
        switch (s.t) {
            case Seg::T::kind:
                e.keyword(kind_name(s.kind));
                break;
            case Seg::T::value:
            case Seg::T::member:
                e.raw(s.v);
                break;
            case Seg::T::index:
                e.integer(s.i);
                break;
            case Seg::T::keyword:
                e.keyword(s.text);
                break;
        }
    }
    e.end();
}

std::string take(edn::Encoder& e) {
    auto r = e.finish();
    if (!r) return {};
    return r.take();
}

}  // namespace

core::Status walk(const Spec& spec, edn::ValueRef value, Walker& w) {
    const Compiled& c = spec.compiled();
    w.check(c, c.root, value);
    if (w.failed()) return w.error();
    return {};
}

Problem to_problem(const RawProblem& p) {
    Problem out;
    out.kind = p.kind;
    edn::Encoder e(output_limits());
    add_path(e, p.path);
    out.path = take(e);
    e.reset();
    add_path(e, p.in);
    out.in = take(e);
    out.schema.assign(reinterpret_cast<const char*>(p.node->schema.data()), p.node->schema.size());
    if (p.value.data()) out.value.assign(reinterpret_cast<const char*>(p.value.data()), p.value.size());
    return out;
}

}  // namespace detail

core::Result<Report> validate(const Spec& spec, edn::ValueRef value, const Options& options) {
    detail::Walker w(options, true);
    core::Status s = detail::walk(spec, value, w);
    if (!s) return s.error();
    Report r;
    r.truncated = w.truncated();
    for (const detail::RawProblem& p : w.problems()) r.problems.push_back(detail::to_problem(p));
    return r;
}

core::Result<std::string> explain(const Spec& spec, edn::ValueRef value, const Options& options) {
    detail::Walker w(options, true);
    core::Status s = detail::walk(spec, value, w);
    if (!s) return s.error();
    edn::Encoder e(detail::output_limits());
    e.begin(edn::Tag::vector);
    for (const detail::RawProblem& p : w.problems()) {
        e.begin(edn::Tag::map);
        e.keyword("path");
        detail::add_path(e, p.path);
        e.keyword("in");
        detail::add_path(e, p.in);
        e.keyword("schema");
        e.raw(p.node->schema);
        if (p.value.data()) {
            e.keyword("value");
            e.raw(p.value);
        }
        e.keyword("problem");
        e.keyword(problem_name(p.kind));
        e.end();
    }
    e.end();
    return e.finish();
}

}  // namespace persistence::spec
