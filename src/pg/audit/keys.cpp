// Core headers first: the pg/ headers below include postgres.h (STYLE.md §3).
#include "persistence/audit/checkpoint.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/hash/sha256.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg/audit/keys.hpp"
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
                       "Check persistence.signing_key_directory and the permissions of that directory.");
}

std::string key_directory() {
    const char* configured = signing_key_directory();
    if (configured != nullptr && configured[0] != '\0') return configured;
    return std::string(DataDir) + "/persistence";
}

std::string log_hex(const audit::LogId& log) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (uint8_t b : log) out += digits[b >> 4], out += digits[b & 15];
    return out;
}

std::string witness_path(const audit::LogId& log) { return key_directory() + "/" + log_hex(log) + ".witness"; }

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
        if (n == 0 || text.size() > 4096) break;  // a key file is ~90 bytes
        text.append(buf, size_t(n));
    }
    ::close(fd);
    return text;
}

// Writes `text` to `path` through a temporary file, fsynced and renamed into place;
// `exclusive`: link() instead of rename(), so that a file another process created first
// wins and is kept.
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
    int rc = exclusive ? ::link(tmp.c_str(), path.c_str()) : ::rename(tmp.c_str(), path.c_str());
    int saved = errno;
    if (exclusive) ::unlink(tmp.c_str());
    errno = saved;
    if (rc != 0 && !(exclusive && errno == EEXIST)) return file_error("could not install", path);
    return {};
}

// What this transaction leaves for its commit: plain data (no C++ object may live in a
// static), acted on by the transaction callback.
struct PendingFiles {
    bool callback_registered;
    bool witness_pending;
    char witness_path[MAXPGPATH];
    char witness_line[128];
    bool key_pending;  // rename key_pending_path over key_path at commit
    char key_path[MAXPGPATH];
};
PendingFiles pending;

void warn_file(const char* what, const char* path) {
    ereport(WARNING, (errmsg("persistence: could not %s \"%s\": %m", what, path),
                      errhint("The audit chain's files are in persistence.signing_key_directory.")));
}

// Plain C file calls only: this runs after the commit, where nothing may throw.
void write_witness_now() {
    char tmp[MAXPGPATH + 32];
    snprintf(tmp, sizeof tmp, "%s.tmp.%d", pending.witness_path, int(getpid()));
    int fd = ::open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    size_t n = strlen(pending.witness_line);
    if (fd < 0 || ::write(fd, pending.witness_line, n) != ssize_t(n) || ::fsync(fd) != 0 ||
        ::rename(tmp, pending.witness_path) != 0) {
        warn_file("record the checkpoint witness", pending.witness_path);
        ::unlink(tmp);
    }
    if (fd >= 0) ::close(fd);
}

void install_pending_key() {
    char staged[MAXPGPATH + 16];
    snprintf(staged, sizeof staged, "%s.pending", pending.key_path);
    if (::rename(staged, pending.key_path) != 0) warn_file("install the rotated signing key", staged);
}

void files_callback(XactEvent event, void*) {
    if (!pending.witness_pending && !pending.key_pending) return;
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT) {
        if (pending.key_pending) install_pending_key();
        if (pending.witness_pending) write_witness_now();
    } else if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT) {
        if (pending.key_pending) {
            char staged[MAXPGPATH + 16];
            snprintf(staged, sizeof staged, "%s.pending", pending.key_path);
            ::unlink(staged);
        }
    } else {
        return;
    }
    pending.witness_pending = pending.key_pending = false;
}

void register_callback() {
    if (pending.callback_registered) return;
    call_pg([] { RegisterXactCallback(files_callback, nullptr); });
    pending.callback_registered = true;
}

void copy_path(char* dst, const std::string& src) {
    if (src.size() >= MAXPGPATH)
        raise(core::Error("58P01", "path too long: " + src, "Choose a shorter persistence.signing_key_directory."));
    std::memcpy(dst, src.c_str(), src.size() + 1);
}

}  // namespace

std::string signing_key_path(const audit::LogId& log) { return key_directory() + "/" + log_hex(log) + ".key"; }

core::Result<audit::SigningKey> load_signing_key(const audit::LogId& log, bool create) {
    std::string path = signing_key_path(log);
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
        if (errno != ENOENT || !create) return file_error("could not read the signing key", path);
        std::string dir = key_directory();
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

core::Status replace_signing_key_at_commit(const audit::LogId& log, const audit::SigningKey& old_key,
                                           const audit::SigningKey& new_key) {
    std::string path = signing_key_path(log);
    std::string retired = key_directory() + "/" + log_hex(log) + "." +
                          hash::to_hex(audit::key_id(old_key.public_key())) + ".retired";
    core::Status kept = write_file_atomically(retired, old_key.key_file_text(), false);
    if (!kept.ok()) return kept;
    core::Status staged = write_file_atomically(path + ".pending", new_key.key_file_text(), false);
    if (!staged.ok()) return staged;
    register_callback();
    copy_path(pending.key_path, path);
    pending.key_pending = true;
    return {};
}

std::optional<Witness> read_witness(const audit::LogId& log) {
    auto text = read_file(witness_path(log));
    if (!text.ok()) return std::nullopt;
    const std::string& s = text.value();
    size_t space = s.find(' ');
    if (space == std::string::npos || s.size() < space + 65) return std::nullopt;
    Witness w;
    char* end = nullptr;
    w.size = std::strtoll(s.c_str(), &end, 10);
    if (end != s.c_str() + space) return std::nullopt;
    for (size_t i = 0; i < 32; ++i) {
        unsigned byte;
        if (sscanf(s.c_str() + space + 1 + 2 * i, "%2x", &byte) != 1) return std::nullopt;
        w.hash[i] = uint8_t(byte);
    }
    return w;
}

void witness_at_commit(const audit::LogId& log, int64_t size, const audit::Digest& hash) {
    register_callback();
    copy_path(pending.witness_path, witness_path(log));
    std::string line = std::to_string(size) + " " + hash::to_hex(hash) + "\n";
    std::memcpy(pending.witness_line, line.c_str(), line.size() + 1);
    pending.witness_pending = true;
}

}  // namespace persistence::pg
