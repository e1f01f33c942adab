// Core headers first: the pg/ headers below include postgres.h (STYLE.md §3).
#include "persistence/audit/checkpoint.hpp"
#include "persistence/audit/merkle_log.hpp"
#include "persistence/datom/datom.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/hash/sha256.hpp"
#include "pg/audit/keys.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "persistence/hash/sha256.hpp"

#include "pg/boundary.hpp"
#include "pg/guc.hpp"

extern "C" {
#include "access/xact.h"
#include "miscadmin.h"
}

namespace persistence::pg {

namespace {

core::Error file_error(const std::string& what, const std::string& path) {
    return core::Error("58P01", what + " \"" + path + "\": " + strerror(errno),
                       "Check persistence.signing_key_file and the permissions of its directory.");
}

std::string directory_of(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

core::Result<std::string> read_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return file_error("could not open", path);
    std::string text;
    char buf[512];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            core::Error e = file_error("could not read", path);
            ::close(fd);
            return e;
        }
        if (n == 0) break;
        text.append(buf, size_t(n));
        if (text.size() > 4096) break;  // a key file is ~90 bytes
    }
    ::close(fd);
    return text;
}

// Writes `text` to `path` through a temporary file, fsynced and renamed into place.
core::Status write_file_atomically(const std::string& path, const std::string& text, bool exclusive) {
    std::string tmp = path + ".tmp." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return file_error("could not create", tmp);
    bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size()) && ::fsync(fd) == 0;
    core::Error e = ok ? core::Error() : file_error("could not write", tmp);
    ::close(fd);
    if (!ok) {
        ::unlink(tmp.c_str());
        return e;
    }
    // exclusive: link() fails if another process created the file first; that file wins.
    int rc = exclusive ? ::link(tmp.c_str(), path.c_str()) : ::rename(tmp.c_str(), path.c_str());
    int saved = errno;
    if (exclusive) ::unlink(tmp.c_str());
    errno = saved;
    if (rc != 0 && !(exclusive && errno == EEXIST)) return file_error("could not install", path);
    return {};
}

// What this transaction leaves for its commit: plain data, acted on by the callback.
struct PendingWitness {
    bool pending;
    bool callback_registered;
    int64_t size;
    uint8_t hash[32];
    bool key_pending;  // rename signing.key.pending over signing.key at commit
};
PendingWitness pending_witness;

void register_callback();

void write_witness_now() {
    char line[128];
    int n = snprintf(line, sizeof line, "%lld ", static_cast<long long>(pending_witness.size));
    for (int i = 0; i < 32; ++i) n += snprintf(line + n, sizeof line - size_t(n), "%02x", pending_witness.hash[i]);
    line[n++] = '\n';
    std::string path = witness_path();
    core::Status st = write_file_atomically(path, std::string(line, size_t(n)), false);
    if (!st.ok()) {
        std::string msg = st.error().message;
        ereport(WARNING, (errmsg("persistence: could not record the checkpoint witness: %s", msg.c_str())));
    }
}

void commit_key() {
    std::string path = signing_key_path();
    std::string pending = path + ".pending";
    if (::rename(pending.c_str(), path.c_str()) != 0)
        ereport(WARNING, (errmsg("persistence: could not install the rotated signing key \"%s\": %m", pending.c_str()),
                          errhint("Rename it to \"%s\" by hand before the next checkpoint.", path.c_str())));
}

void witness_callback(XactEvent event, void*) {
    if (!pending_witness.pending && !pending_witness.key_pending) return;
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT) {
        try {
            if (pending_witness.key_pending) commit_key();
            if (pending_witness.pending) write_witness_now();
        } catch (...) {
            // Out of memory after commit: the witness stays behind, which verify does not
            // flag (only a witness newer than the log is a problem).
        }
        pending_witness.pending = pending_witness.key_pending = false;
    } else if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT) {
        if (pending_witness.key_pending) ::unlink((signing_key_path() + ".pending").c_str());
        pending_witness.pending = pending_witness.key_pending = false;
    }
}

void register_callback() {
    if (pending_witness.callback_registered) return;
    call_pg([] { RegisterXactCallback(witness_callback, nullptr); });
    pending_witness.callback_registered = true;
}

}  // namespace

std::string signing_key_path() {
    const char* configured = signing_key_file();
    if (configured != nullptr && configured[0] != '\0') return configured;
    return std::string(DataDir) + "/persistence/signing.key";
}

std::string witness_path() { return directory_of(signing_key_path()) + "/checkpoint.witness"; }

core::Result<audit::SigningKey> load_signing_key(bool create) {
    std::string path = signing_key_path();
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
        if (errno != ENOENT || !create) return file_error("could not read the signing key", path);
        std::string dir = directory_of(path);
        if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return file_error("could not create directory", dir);
        audit::SigningKey fresh = audit::SigningKey::generate();
        core::Status written = write_file_atomically(path, fresh.key_file_text(), true);
        if (!written.ok()) return written.error();
    }
    auto text = read_file(path);
    if (!text.ok()) return text.error();
    auto key = audit::SigningKey::from_file_text(text.value());
    std::fill(text.value().begin(), text.value().end(), '\0');
    return key;
}

core::Status replace_signing_key_at_commit(const audit::SigningKey& old_key, const audit::SigningKey& new_key) {
    std::string path = signing_key_path();
    std::string retired = path + "." + hash::to_hex(audit::key_id(old_key.public_key())) + ".retired";
    core::Status kept = write_file_atomically(retired, old_key.key_file_text(), false);
    if (!kept.ok()) return kept;
    core::Status staged = write_file_atomically(path + ".pending", new_key.key_file_text(), false);
    if (!staged.ok()) return staged;
    register_callback();
    pending_witness.key_pending = true;
    return {};
}

std::optional<Witness> read_witness() {
    auto text = read_file(witness_path());
    if (!text.ok()) return std::nullopt;
    const std::string& s = text.value();
    size_t space = s.find(' ');
    if (space == std::string::npos || s.size() < space + 65) return std::nullopt;
    Witness w;
    try {
        w.size = std::stoll(s.substr(0, space));
    } catch (...) {
        return std::nullopt;
    }
    for (int i = 0; i < 32; ++i) {
        unsigned byte;
        if (sscanf(s.c_str() + space + 1 + 2 * i, "%2x", &byte) != 1) return std::nullopt;
        w.hash[size_t(i)] = uint8_t(byte);
    }
    return w;
}

void witness_at_commit(int64_t size, const audit::Digest& hash) {
    register_callback();
    pending_witness.pending = true;
    pending_witness.size = size;
    std::memcpy(pending_witness.hash, hash.data(), 32);
}

}  // namespace persistence::pg
