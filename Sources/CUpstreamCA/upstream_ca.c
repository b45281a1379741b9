#ifdef __linux__
#define _GNU_SOURCE 1
#endif
#include "CUpstreamCA.h"

#ifdef __linux__
#include <dlfcn.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

// libcurl's ABI, which is stable (curl.h is not needed: the headers may be absent where this builds).
typedef void CURL;
typedef int CURLcode;
typedef int CURLoption;
enum {
    OPT_OBJECTPOINT = 10000, OPT_FUNCTIONPOINT = 20000, OPT_OFF_T = 30000, OPT_BLOB = 40000,
    OPT_URL = OPT_OBJECTPOINT + 2,
    OPT_CAINFO = OPT_OBJECTPOINT + 65,
    OPT_CAPATH = OPT_OBJECTPOINT + 97,
};
typedef CURLcode (*setopt_fn)(CURL *, CURLoption, ...);

static _Atomic(char *) ca_file;
static _Atomic long applied;

static setopt_fn libcurl_setopt(void) {
    static _Atomic(setopt_fn) real;
    setopt_fn f = atomic_load(&real);
    if (f == NULL) {
        f = (setopt_fn)dlsym(RTLD_NEXT, "curl_easy_setopt");
        atomic_store(&real, f);
    }
    return f;
}

// Interposes libcurl's: FoundationNetworking's calls land here. Each option's one argument is read with the
// type libcurl's option number range gives it (long, pointer, function pointer, curl_off_t, blob pointer).
__attribute__((visibility("default"), used, retain))
CURLcode curl_easy_setopt(CURL *handle, CURLoption option, ...) {
    setopt_fn real = libcurl_setopt();
    if (real == NULL) return 48; // CURLE_UNKNOWN_OPTION: cannot happen while FoundationNetworking is linked
    char *ca = atomic_load(&ca_file);
    va_list ap;
    va_start(ap, option);
    CURLcode rc;
    if (option < OPT_OBJECTPOINT) {
        long value = va_arg(ap, long);
        rc = real(handle, option, value);
    } else if (option < OPT_FUNCTIONPOINT || (option >= OPT_BLOB)) {
        void *value = va_arg(ap, void *);
        if (ca != NULL && option == OPT_CAINFO) value = ca;       // FoundationNetworking's bundle → ours
        if (ca != NULL && option == OPT_CAPATH) value = NULL;
        rc = real(handle, option, value);
    } else if (option < OPT_OFF_T) {
        void (*value)(void) = va_arg(ap, void (*)(void));
        rc = real(handle, option, value);
    } else {
        long long value = va_arg(ap, long long);
        rc = real(handle, option, value);
    }
    va_end(ap);
    if (ca != NULL && option == OPT_URL && rc == 0) {
        // libcurl's built-in defaults (its compiled-in bundle and directory) are used unless set: set both.
        if (real(handle, OPT_CAINFO, ca) == 0 && real(handle, OPT_CAPATH, (void *)NULL) == 0) atomic_fetch_add(&applied, 1);
    }
    return rc;
}

int openai_mock_upstream_ca(const char *path) {
    void *ours = (void *)&curl_easy_setopt;
    void *bound = dlsym(RTLD_DEFAULT, "curl_easy_setopt");
    if (bound != ours || libcurl_setopt() == NULL) return 0;
    atomic_store(&ca_file, strdup(path));
    return 1;
}

long openai_mock_upstream_ca_applied(void) { return atomic_load(&applied); }

#else

int openai_mock_upstream_ca(const char *path) { (void)path; return 0; }
long openai_mock_upstream_ca_applied(void) { return 0; }

#endif
