#ifndef CUPSTREAMCA_H
#define CUPSTREAMCA_H

/// `openai-mock record --upstream-ca FILE` on Linux. FoundationNetworking's URLSession is libcurl, which
/// verifies the upstream against the system CA bundle, and offers no way to name another one: no server-trust
/// challenge, no environment variable (OpenSSL's `OPENSSL_CONF` cannot add trust anchors either — its
/// `system_default` section refuses `VerifyCAFile`). So this binary defines `curl_easy_setopt` itself: the
/// dynamic linker binds FoundationNetworking's calls to it (the executable comes first in symbol lookup), and it
/// passes every option on to libcurl's own (`dlsym(RTLD_NEXT)`), setting the CA file on every handle that is
/// given a URL. Without `--upstream-ca` it only passes options on.

/// Makes `path` the only CA file libcurl verifies upstream certificates against (CAINFO = path, no CAPATH).
/// Call before the first URLSession exists. Returns 1 when the interposition is in effect, 0 when it is not
/// (libcurl not loaded, or the linker bound libcurl's symbol past this one): then nothing is changed.
int openai_mock_upstream_ca(const char *path);

/// How many curl handles were given the CA file so far (a check that the interposition really happened).
long openai_mock_upstream_ca_applied(void);

#endif
