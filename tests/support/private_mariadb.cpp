#include "tests/support/private_mariadb.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "engine/store/mysql/mysql_url.hpp"

namespace jiuzhu::testing {

namespace {

namespace fs = std::filesystem;

constexpr int kStartAttempts = 3;  // a new port each time: another process may take ours
constexpr auto kReadyTimeout = std::chrono::seconds(60);
constexpr auto kStopTimeout = std::chrono::seconds(60);
constexpr char kUser[] = "jiuzhu";

bool EnvIsOne(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && std::string(v) == "1";
}

std::string FindProgram(const std::string& name) {
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  path += ":/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin:/sbin";
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

std::string RandomHex(size_t bytes) {
  std::random_device rd;
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes; ++i) {
    const unsigned v = rd() & 0xff;
    out.push_back(kDigits[v >> 4]);
    out.push_back(kDigits[v & 0xf]);
  }
  return out;
}

std::string Tail(const std::string& path, size_t max_bytes = 2000) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "(no " + path + ")";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > max_bytes) text = "..." + text.substr(text.size() - max_bytes);
  return text;
}

Result<int> FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Unavailable(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string err = std::strerror(errno);
    ::close(fd);
    return Unavailable("cannot find a free port: " + err);
  }
  ::close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

bool PortAccepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

// Who the server runs as: mariadbd refuses root, so root runs it as `mysql`. The child drops
// to that user itself rather than through `runuser -u mysql --`: runuser stays in between as
// the parent, and on SIGTERM it passes the signal on and exits without waiting for the
// server, so "stop by pid and wait" would not wait for the server.
struct RunAs {
  bool drop = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

struct SpawnOptions {
  const RunAs* run_as = nullptr;
  int out_fd = -1;  // stdout and stderr of the child; -1: /dev/null
  bool die_with_parent = false;
  std::vector<std::string> extra_env;  // NAME=value added to the child's environment
};

// fork + exec of argv (argv[0] a full path). Between fork and exec only async-signal-safe
// calls: everything is prepared before the fork.
Result<pid_t> Spawn(const std::vector<std::string>& argv, const SpawnOptions& options) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) env.push_back(*e);
  for (const std::string& e : options.extra_env) env.push_back(const_cast<char*>(e.c_str()));
  env.push_back(nullptr);
  const int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  const int out = options.out_fd >= 0 ? options.out_fd : devnull;
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    if (devnull >= 0) ::close(devnull);
    return Unavailable(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::dup2(devnull, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(out, STDERR_FILENO);
    ::setpgid(0, 0);  // the terminal's Ctrl-C goes to the tests, not to the server
    if (options.run_as != nullptr && options.run_as->drop) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(options.run_as->gid) != 0 ||
          ::setuid(options.run_as->uid) != 0) {
        ::_exit(126);
      }
    }
    // After setuid: changing credentials clears the parent-death signal.
    if (options.die_with_parent) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(125);
    }
    ::execve(args[0], args.data(), env.data());
    ::_exit(127);
  }
  if (devnull >= 0) ::close(devnull);
  return pid;
}

// Exit code of a child, or -1 if it did not exit normally.
int WaitExit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs argv to completion; returns its combined output, or kUnavailable with it.
Result<std::string> RunCapture(const std::vector<std::string>& argv, const RunAs* run_as,
                               std::vector<std::string> extra_env = {}) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return Unavailable(std::string("pipe: ") + std::strerror(errno));
  SpawnOptions options;
  options.run_as = run_as;
  options.extra_env = std::move(extra_env);
  options.out_fd = fds[1];
  Result<pid_t> pid = Spawn(argv, options);
  ::close(fds[1]);
  if (!pid.ok()) {
    ::close(fds[0]);
    return pid.status();
  }
  std::string output;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fds[0], buf, sizeof(buf));
    if (n > 0) {
      output.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(fds[0]);
  const int code = WaitExit(*pid);
  if (code != 0) {
    return Unavailable(argv[0] + " exited with " + std::to_string(code) + ": " + output);
  }
  return output;
}

class PrivateMariaDb {
 public:
  static PrivateMariaDb& Instance() {
    // Never destroyed: the atexit handler stops the server while everything still exists.
    static PrivateMariaDb* const instance = new PrivateMariaDb();
    return *instance;
  }

  Result<std::string> FreshDatabase() {
    JZ_RETURN_IF_ERROR(EnsureStarted());
    const std::string name = "t_" + RandomHex(8);
    JZ_RETURN_IF_ERROR(
        AdminSql("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            .status());
    return "mysql://" + user_ + ":" + password_ + "@" + host_ + ":" + std::to_string(port_) + "/" +
           name;
  }

  Result<std::string> AdminSql(const std::string& sql) {
    JZ_RETURN_IF_ERROR(EnsureStarted());
    return AdminSqlUnlocked(sql);
  }

 private:
  PrivateMariaDb() = default;

  Status EnsureStarted() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!tried_) {
      tried_ = true;
      const char* shared = std::getenv("JIUZHU_MARIADB_URL");
      start_status_ = shared != nullptr && *shared != '\0' ? UseShared(shared) : Start();
      if (!start_status_.ok() && !dir_.empty()) {
        const bool keep = EnvIsOne("JIUZHU_KEEP_MARIADB");
        start_status_ =
            Unavailable(start_status_.message() + "\n(" + dir_ +
                        (keep ? " kept" : " removed; JIUZHU_KEEP_MARIADB=1 keeps it") + ")");
        Stop();
      }
      if (!start_status_.ok()) {
        std::fprintf(stderr, "\n*** no MariaDB server for the tests: %s\n",
                     start_status_.message().c_str());
      }
    }
    return start_status_;
  }

  // A server someone else runs (JIUZHU_MARIADB_URL): its user must be allowed to create
  // databases; nothing is started or stopped.
  Status UseShared(const std::string& url) {
    Result<MysqlUrl> parsed = ParseMysqlUrl(url);
    if (!parsed.ok()) return Unavailable("JIUZHU_MARIADB_URL: " + parsed.status().message());
    client_ = FindProgram("mariadb");
    if (client_.empty()) return Unavailable("the mariadb client is not installed");
    user_ = parsed->user;
    password_ = parsed->password;
    host_ = parsed->host;
    port_ = parsed->port;
    client_args_ = {"--no-defaults",   "--protocol=TCP",
                    "--host=" + host_, "--port=" + std::to_string(port_),
                    "--user=" + user_, "--default-character-set=utf8mb4"};
    Result<std::string> ping = AdminSqlUnlocked("SELECT 1");
    if (!ping.ok()) {
      return Unavailable("JIUZHU_MARIADB_URL (" + parsed->Redacted() +
                         ") does not answer: " + ping.status().message());
    }
    return Status::Ok();
  }

  Status Start() {
    const std::string install_db = FindProgram("mariadb-install-db");
    const std::string mariadbd = FindProgram("mariadbd");
    client_ = FindProgram("mariadb");
    if (install_db.empty() || mariadbd.empty() || client_.empty()) {
      return Unavailable(
          "mariadb-install-db, mariadbd or mariadb not found (package mariadb-server)");
    }
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("mysql");
      if (pw == nullptr) return Unavailable("running as root but there is no 'mysql' user");
      run_as_.drop = true;
      run_as_.uid = pw->pw_uid;
      run_as_.gid = pw->pw_gid;
    }
    std::error_code tmp_error;
    fs::path tmp = fs::temp_directory_path(tmp_error);
    if (tmp_error) tmp = "/tmp";
    std::string tmpl = (tmp / "jiuzhu-mariadb-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      return Unavailable(std::string("mkdtemp: ") + std::strerror(errno));
    }
    dir_ = tmpl;
    cnf_ = dir_ + "/my.cnf";
    client_args_ = {"--defaults-file=" + cnf_};
    // Only the main thread lives as long as the process; a server started from another
    // thread must not die with that thread.
    const bool main_thread = ::syscall(SYS_gettid) == ::getpid();

    Status last;
    for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
      JZ_ASSIGN_OR_RETURN(port_, FreePort());
      JZ_RETURN_IF_ERROR(WriteConfig());
      if (attempt == 0) {
        Result<std::string> installed =
            RunCapture({install_db, "--defaults-file=" + cnf_, "--skip-test-db",
                        "--skip-name-resolve", "--auth-root-authentication-method=normal"},
                       &run_as_);
        JZ_RETURN_IF_ERROR(installed.status());
        // When it cannot read the defaults file it falls back to the system's datadir and
        // may still exit 0.
        std::error_code ec;
        if (!fs::is_directory(dir_ + "/data/mysql", ec)) {
          return Unavailable("mariadb-install-db did not create " + dir_ + "/data:\n" + *installed);
        }
      }
      last = StartServer(mariadbd, main_thread);
      if (last.ok()) break;
    }
    JZ_RETURN_IF_ERROR(last);
    user_ = kUser;
    host_ = "127.0.0.1";
    password_ = RandomHex(16);
    Result<std::string> setup =
        AdminSqlUnlocked("CREATE USER '" + user_ + "'@'127.0.0.1' IDENTIFIED BY '" + password_ +
                         "'; GRANT ALL PRIVILEGES ON *.* TO '" + user_ + "'@'127.0.0.1';");
    if (!setup.ok()) return setup.status();
    std::atexit([] { Instance().Stop(); });
    return Status::Ok();
  }

  Status WriteConfig() {
    std::ofstream out(cnf_);
    out << "[client]\n"
        << "socket=" << dir_ << "/mariadbd.sock\n"
        << "port=" << port_ << "\n"
        << "user=root\n"
        << "default-character-set=utf8mb4\n"
        << "\n[mariadbd]\n"
        << "datadir=" << dir_ << "/data\n"
        << "socket=" << dir_ << "/mariadbd.sock\n"
        << "port=" << port_ << "\n"
        << "bind-address=127.0.0.1\n"
        << "pid-file=" << dir_
        << "/mariadbd.pid\n"
        // Its own temporary files too: servers of other test processes (perhaps in other PID
        // namespaces, where temporary-table names collide) share /tmp.
        << "tmpdir=" << dir_ << "/tmp\n"
        << "log-error=" << dir_ << "/mariadbd.err\n"
        << "skip-name-resolve\n"
        << "character-set-server=utf8mb4\n"
        << "collation-server=utf8mb4_bin\n"
        // A throw-away server: small, and no flush at every commit.
        << "innodb_buffer_pool_size=64M\n"
        << "innodb_log_file_size=16M\n"
        << "innodb_flush_log_at_trx_commit=2\n"
        << "max_connections=200\n";
    out.close();
    if (!out) return Unavailable("cannot write " + cnf_);
    std::error_code mkdir_error;
    fs::create_directories(dir_ + "/tmp", mkdir_error);
    if (mkdir_error) return Unavailable("cannot create " + dir_ + "/tmp");
    if (run_as_.drop) {
      std::error_code ec;
      for (const auto& entry : fs::recursive_directory_iterator(dir_, ec)) {
        if (::chown(entry.path().c_str(), run_as_.uid, run_as_.gid) != 0) break;
      }
      if (::chown(dir_.c_str(), run_as_.uid, run_as_.gid) != 0) {
        return Unavailable("cannot give " + dir_ + " to the mysql user");
      }
    }
    return Status::Ok();
  }

  Status StartServer(const std::string& mariadbd, bool die_with_parent) {
    const std::string out_path = dir_ + "/mariadbd.out";
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    SpawnOptions options;
    options.run_as = &run_as_;
    options.out_fd = out;
    options.die_with_parent = die_with_parent;
    Result<pid_t> pid = Spawn({mariadbd, "--defaults-file=" + cnf_}, options);
    if (out >= 0) ::close(out);
    if (!pid.ok()) return pid.status();
    pid_ = *pid;

    const auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return Unavailable("mariadbd exited at start.\n" + dir_ + "/mariadbd.err:\n" +
                           Tail(dir_ + "/mariadbd.err") + "\n" + out_path + ":\n" + Tail(out_path));
      }
      if (PortAccepts(port_)) {
        // Listening; the client confirms the server answers.
        if (AdminSqlUnlocked("SELECT 1").ok()) return Status::Ok();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    StopServer();
    return Unavailable("mariadbd did not accept connections within 60 s.\n" + dir_ +
                       "/mariadbd.err:\n" + Tail(dir_ + "/mariadbd.err"));
  }

  // As root over the private server's socket, or as the shared server's user; the password
  // goes through the environment, not the command line other users can read.
  Result<std::string> AdminSqlUnlocked(const std::string& sql) {
    std::vector<std::string> argv = {client_};
    argv.insert(argv.end(), client_args_.begin(), client_args_.end());
    argv.insert(argv.end(), {"--batch", "--skip-column-names", "-e", sql});
    std::vector<std::string> env;
    if (dir_.empty()) env.push_back("MYSQL_PWD=" + password_);
    return RunCapture(argv, nullptr, std::move(env));
  }

  // Stops the server and removes its folder (unless JIUZHU_KEEP_MARIADB=1).
  void Stop() {
    StopServer();
    if (!dir_.empty() && !EnvIsOne("JIUZHU_KEEP_MARIADB")) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  // SIGTERM, then waits for the server to finish its shutdown.
  void StopServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
      int status = 0;
      while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
          std::fprintf(stderr, "private MariaDB server %d did not stop; killing it\n", pid_);
          ::kill(pid_, SIGKILL);
          ::waitpid(pid_, &status, 0);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      pid_ = -1;
    }
  }

  std::mutex mu_;
  bool tried_ = false;  // guarded by mu_
  Status start_status_;
  RunAs run_as_;
  std::string dir_;
  std::string cnf_;
  std::string client_;
  std::vector<std::string> client_args_;  // how the client reaches the server as admin
  std::string user_;
  std::string password_;
  std::string host_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace

Result<std::string> FreshMariaDbDatabase() { return PrivateMariaDb::Instance().FreshDatabase(); }

Result<std::string> RunMariaDbAdminSql(const std::string& sql) {
  return PrivateMariaDb::Instance().AdminSql(sql);
}

bool MariaDbSkipAllowed() { return EnvIsOne("JIUZHU_SKIP_MYSQL"); }

}  // namespace jiuzhu::testing
