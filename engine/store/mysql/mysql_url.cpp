#include "engine/store/mysql/mysql_url.hpp"

#include <cctype>

namespace jiuzhu {

namespace {

constexpr char kScheme[] = "mysql://";
constexpr char kShape[] = "database URL must look like mysql://user:password@host:port/database";

Status Bad(const std::string& why) {
  return InvalidArgument(std::string(kShape) + ": " + why, "url");
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(const std::string& in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

}  // namespace

std::string MysqlUrl::Redacted() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(kScheme) + user + "@" + (v6 ? "[" + host + "]" : host) + ":" +
         std::to_string(port) + "/" + database;
}

Result<MysqlUrl> ParseMysqlUrl(const std::string& url) {
  const std::string scheme = kScheme;
  if (url.compare(0, scheme.size(), scheme) != 0) return Bad("it must start with mysql://");
  const std::string rest = url.substr(scheme.size());

  // The last '@' ends the user part, so an unencoded '@' in a password still parses.
  const size_t at = rest.rfind('@');
  if (at == std::string::npos) return Bad("the user is missing");
  const std::string userinfo = rest.substr(0, at);
  const std::string after = rest.substr(at + 1);

  MysqlUrl out;
  const size_t colon = userinfo.find(':');
  if (!PercentDecode(userinfo.substr(0, colon), &out.user)) return Bad("bad %-escape in the user");
  if (colon != std::string::npos && !PercentDecode(userinfo.substr(colon + 1), &out.password)) {
    return Bad("bad %-escape in the password");
  }
  if (out.user.empty()) return Bad("the user is missing");

  const size_t slash = after.find('/');
  if (slash == std::string::npos) return Bad("the database is missing");
  const std::string hostport = after.substr(0, slash);
  out.database = after.substr(slash + 1);
  if (out.database.empty()) return Bad("the database is missing");
  for (char c : out.database) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '$' && c != '-') {
      return Bad("the database name may hold only letters, digits, '_', '$' and '-'");
    }
  }

  std::string port_text;
  if (!hostport.empty() && hostport[0] == '[') {
    const size_t close = hostport.find(']');
    if (close == std::string::npos) return Bad("unclosed '[' in the host");
    out.host = hostport.substr(1, close - 1);
    const std::string tail = hostport.substr(close + 1);
    if (!tail.empty()) {
      if (tail[0] != ':') return Bad("unexpected text after the host");
      port_text = tail.substr(1);
      if (port_text.empty()) return Bad("the port is empty");
    }
  } else {
    const size_t pc = hostport.find(':');
    out.host = hostport.substr(0, pc);
    if (pc != std::string::npos) {
      port_text = hostport.substr(pc + 1);
      if (port_text.empty()) return Bad("the port is empty");
    }
  }
  if (out.host.empty()) return Bad("the host is missing");
  if (!port_text.empty()) {
    if (port_text.size() > 5) return Bad("the port must be a number from 1 to 65535");
    int port = 0;
    for (char c : port_text) {
      if (!std::isdigit(static_cast<unsigned char>(c))) {
        return Bad("the port must be a number from 1 to 65535");
      }
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return Bad("the port must be a number from 1 to 65535");
    out.port = port;
  }
  return out;
}

}  // namespace jiuzhu
