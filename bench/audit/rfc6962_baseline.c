/*
 * The baseline of bench/audit (1): the same leaves verify_chain() recomputes, hashed by a
 * plain C program with OpenSSL's low-level SHA-256 and nothing else. Reads the `datom`
 * lines of an export (docs/audit.md "Export format"), builds each datom's canonical bytes
 * (docs/datom.md) in memory, then, timed: per transaction, SHA-256 of each datom's bytes,
 * the hashes sorted, and the RFC 6962 root over them. Prints "LEAVES SECONDS" of the best
 * of 3 rounds. Usage: rfc6962_baseline FILE
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    unsigned char h[32];
} digest;

static int hexval(int c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Appends the bytes of a hex field; returns the number of bytes. */
static size_t unhex(const char *s, size_t n, unsigned char *out) {
    size_t i;
    for (i = 0; i + 1 < n + 1 && 2 * i + 1 < n; ++i) out[i] = (unsigned char)(hexval(s[2 * i]) * 16 + hexval(s[2 * i + 1]));
    return n / 2;
}

static void put_be(unsigned char *p, uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i, v >>= 8) p[i] = (unsigned char)(v & 0xff);
}

static void node(const digest *l, const digest *r, digest *out) {
    unsigned char buf[65];
    buf[0] = 1;
    memcpy(buf + 1, l->h, 32);
    memcpy(buf + 33, r->h, 32);
    SHA256(buf, 65, out->h);
}

/* RFC 6962 MTH over leaf data d[0..n) (each 32 bytes), in place into scratch. */
static void mth(const digest *d, size_t n, digest *scratch, digest *out) {
    unsigned char buf[33];
    if (n == 0) {
        SHA256(NULL, 0, out->h);
        return;
    }
    for (size_t i = 0; i < n; ++i) {
        buf[0] = 0;
        memcpy(buf + 1, d[i].h, 32);
        SHA256(buf, 33, scratch[i].h);
    }
    /* Pairwise levels; an odd last node is promoted, which is RFC 6962's split. */
    while (n > 1) {
        size_t m = 0;
        for (size_t i = 0; i + 1 < n; i += 2) node(&scratch[i], &scratch[i + 1], &scratch[m++]);
        if (n & 1) scratch[m++] = scratch[n - 1];
        n = m;
    }
    *out = scratch[0];
}

static int cmp(const void *a, const void *b) { return memcmp(a, b, 32); }

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s EXPORT_FILE\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    size_t cap = 1 << 20, n = 0, bytes_cap = 1 << 26, bytes_len = 0;
    size_t *off = malloc(cap * sizeof *off), *len = malloc(cap * sizeof *len);
    int64_t *txs = malloc(cap * sizeof *txs);
    unsigned char *bytes = malloc(bytes_cap);
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t got;
    while ((got = getline(&line, &line_cap, f)) > 0) {
        if (strncmp(line, "datom ", 6) != 0) continue;
        char *field[9];
        int k = 0;
        for (char *p = strtok(line, " \n"); p && k < 9; p = strtok(NULL, " \n")) field[k++] = p;
        if (k != 9) continue;
        if (n == cap) {
            cap *= 2;
            off = realloc(off, cap * sizeof *off);
            len = realloc(len, cap * sizeof *len);
            txs = realloc(txs, cap * sizeof *txs);
        }
        size_t el = strlen(field[2]) / 2, al = strlen(field[3]) / 2;
        while (bytes_len + 64 + el + al + 64 > bytes_cap) bytes = realloc(bytes, bytes_cap *= 2);
        unsigned char *p = bytes + bytes_len;
        size_t at = 0;
        p[at++] = 1;
        put_be(p + at, el, 4), at += 4;
        at += unhex(field[2], 2 * el, p + at);
        put_be(p + at, al, 4), at += 4;
        at += unhex(field[3], 2 * al, p + at);
        at += unhex(field[4], 64, p + at);
        int64_t tx = strtoll(field[1], NULL, 10);
        put_be(p + at, (uint64_t)tx, 8), at += 8;
        put_be(p + at, (uint64_t)strtoll(field[5], NULL, 10), 8), at += 8;
        put_be(p + at, strcmp(field[6], "-") == 0 ? (uint64_t)INT64_MAX : (uint64_t)strtoll(field[6], NULL, 10), 8),
            at += 8;
        p[at++] = field[7][0] == '1' ? 1 : 0;
        off[n] = bytes_len, len[n] = at, txs[n] = tx;
        bytes_len += at;
        ++n;
    }
    fclose(f);
    digest *hashes = malloc((n + 1) * sizeof *hashes), *scratch = malloc((n + 1) * sizeof *scratch), root;
    double best = 1e30;
    unsigned char check = 0;
    for (int round = 0; round < 3; ++round) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && txs[j] == txs[i]) {
                SHA256(bytes + off[j], len[j], hashes[j].h);
                ++j;
            }
            qsort(hashes + i, j - i, sizeof *hashes, cmp);
            mth(hashes + i, j - i, scratch, &root);
            check ^= root.h[0];
            i = j;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (s < best) best = s;
    }
    printf("%zu %.6f %u\n", n, best, check);
    return 0;
}
