// A private, throw-away MariaDB server for the tests of one process, and a fresh database per
// test on it (STYLE.md: each test gets its own database).
//
// The server starts on first use: mariadb-install-db and mariadbd with a defaults file in a
// new temporary folder, listening on 127.0.0.1 at a port the kernel chose as free, as the
// `mysql` user when the tests run as root. It is stopped (SIGTERM, then waited for) and its
// folder removed when the process exits; set JIUZHU_KEEP_MARIADB=1 to keep the folder (logs).
// If the test process dies without exiting, the server gets SIGTERM from the kernel
// (PR_SET_PDEATHSIG) and only the folder stays behind.
//
// With JIUZHU_MARIADB_URL=mysql://user:password@host:port/any set, no server is started: the
// databases are made on that server, whose user must be allowed to create databases. One
// server for a whole `ctest` run saves every test process the ~1 s start, e.g.
//   export JIUZHU_MARIADB_URL=$(scripts/mariadb-private.sh start /tmp/jiuzhu-mariadb)
// (scripts/mariadb-private.sh runs the same recipe for manual runs and benchmarks).
//
// No server (binaries missing, start failed, shared URL not answering): tests FAIL, so CI
// really runs them, unless the environment has JIUZHU_SKIP_MYSQL=1, which turns them into
// loud SKIPs.
//
// Thread-safe. Call it first from the main thread (the kernel sends the parent-death signal
// when the thread that started the server ends).
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "engine/common/status.hpp"

namespace jiuzhu::testing {

// The mysql:// URL of a new, empty database (utf8mb4_bin) on this process's server, which
// starts on the first call. kUnavailable with the reason (and the log to read) if there is no
// server; a failed start is not retried by later calls.
Result<std::string> FreshMariaDbDatabase();

// Runs SQL as the server's root user (the shared server's user) through the `mariadb` client
// and returns its output
// (tab-separated rows, no header). For test set-up and inspection, never for the code under
// test.
Result<std::string> RunMariaDbAdminSql(const std::string& sql);

// JIUZHU_SKIP_MYSQL=1 is set: tests without a server skip instead of failing.
bool MariaDbSkipAllowed();

}  // namespace jiuzhu::testing

// In a test body or SetUp(): assigns a fresh database's URL to `url_lvalue`, or ends the test,
// skipped when JIUZHU_SKIP_MYSQL=1 and failed otherwise.
#define JZ_FRESH_MARIADB_OR_RETURN(url_lvalue)                                                  \
  do {                                                                                          \
    auto jz_fresh_db_ = ::jiuzhu::testing::FreshMariaDbDatabase();                              \
    if (!jz_fresh_db_.ok()) {                                                                   \
      if (::jiuzhu::testing::MariaDbSkipAllowed()) {                                            \
        GTEST_SKIP() << "*** MariaDB test SKIPPED because JIUZHU_SKIP_MYSQL=1: "                \
                     << jz_fresh_db_.status().message();                                        \
      }                                                                                         \
      FAIL() << "no private MariaDB server for this test: " << jz_fresh_db_.status().message()  \
             << "\n(install mariadb-server, or set JIUZHU_SKIP_MYSQL=1 to skip MariaDB tests)"; \
    }                                                                                           \
    url_lvalue = std::move(jz_fresh_db_).value();                                               \
  } while (0)
