// The database address MysqlStore::Open takes:
//   mysql://user:password@host[:port]/database
// user and password may be percent-encoded (a password with '@', ':' or '/' must be);
// host may be a name, an IPv4 address or a bracketed IPv6 address; port defaults to 3306.
#pragma once

#include <string>

#include "engine/common/status.hpp"

namespace jiuzhu {

struct MysqlUrl {
  std::string user;
  std::string password;
  std::string host;  // without brackets
  int port = 3306;
  std::string database;

  // "mysql://user@host:port/database": safe for messages and logs (no password).
  std::string Redacted() const;
};

// kInvalidArgument (field "url") when the text is not such a URL. Error messages never quote
// the input, which holds the password.
Result<MysqlUrl> ParseMysqlUrl(const std::string& url);

}  // namespace jiuzhu
