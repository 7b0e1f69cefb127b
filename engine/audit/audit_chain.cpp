#include "engine/audit/audit_chain.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "engine/common/crypto.hpp"

namespace jiuzhu {
namespace {

constexpr char kEncodingTag[] = "jiuzhu-audit-v1";

void AppendField(std::string& out, const std::string& bytes) {
  out += std::to_string(bytes.size());
  out += ':';
  out += bytes;
  out += '\n';
}

// The canonical encoding of `e` as if its seq were `seq`: the verifier asks
// which seq an event was sealed with without copying the record.
std::string EncodeAs(const AuditEventRecord& e, std::int64_t seq) {
  std::string out = kEncodingTag;
  out.reserve(out.size() + 128 + e.payload.size());
  AppendField(out, std::to_string(e.case_id));
  AppendField(out, std::to_string(seq));
  AppendField(out, std::to_string(e.at));
  AppendField(out, e.actor);
  AppendField(out, e.role);
  AppendField(out, e.org_unit_id);
  AppendField(out, e.action);
  AppendField(out, e.from_state);
  AppendField(out, e.to_state);
  AppendField(out, e.payload);
  AppendField(out, e.prev_hash);
  return out;
}

std::string HashAs(const AuditEventRecord& e, std::int64_t seq) {
  return Sha256Hex(EncodeAs(e, seq));
}

std::string Short(const std::string& hash) {
  return hash.size() > 12 ? hash.substr(0, 12) + "..." : hash.empty() ? "(empty)" : hash;
}

std::string Num(std::int64_t v) { return std::to_string(v); }

// Hash computations one case may spend searching for the seq an unlinked
// row was sealed with: a few per row, so even a badly damaged case costs
// O(n) hashes like a clean one (which never searches). Rows renumbered after
// a deletion sit within a few places of their sealed seq.
constexpr std::int64_t kSeqSearchBase = 64;
constexpr std::int64_t kSeqSearchPerRow = 8;

// Seqs beyond this are forged (no case has 2^62 events); keeping them out of
// the arithmetic keeps every seq ± count far from overflow.
constexpr std::int64_t kMaxSeq = std::int64_t{1} << 62;
bool PlausibleSeq(std::int64_t seq) { return seq >= 1 && seq <= kMaxSeq; }

// One run of VerifyCaseChain. Works in two coordinate systems: the *stored*
// seq of each row and the *sealed* seq (the seq its hash was computed with,
// when that can be recovered). The chain is rebuilt in sealed seqs, so a row
// whose seq was changed is still recognised as the genuine event it is, and
// each anomaly is then reported once, by its cause, not by its echoes.
class ChainVerifier {
 public:
  ChainVerifier(CaseId case_id, std::vector<AuditEventRecord> events, std::int64_t head_seq,
                const std::string& head_hash)
      : case_id_(case_id), events_(std::move(events)), head_seq_(head_seq), head_hash_(head_hash) {}

  std::vector<AuditProblem> Run() {
    std::stable_sort(
        events_.begin(), events_.end(),
        [](const AuditEventRecord& a, const AuditEventRecord& b) { return a.seq < b.seq; });
    entries_.reserve(events_.size());
    for (const AuditEventRecord& e : events_) {
      Entry x;
      x.e = &e;
      x.intact = ComputeAuditHash(e) == e.hash;
      if (x.intact) {
        x.seal = Seal::kSealed;
        x.sealed_seq = e.seq;
      }
      entries_.push_back(x);
    }
    search_budget_ = kSeqSearchBase + kSeqSearchPerRow * static_cast<std::int64_t>(entries_.size());
    IndexHashes();
    for (std::size_t i = 0; i < entries_.size(); ++i) Resolve(i);
    MarkHeadPath();
    PlaceInChain();
    CheckHead();
    ReportGaps();
    CheckLinks();
    ReportPendingHeadProblem();
    ClassifyMoved();
    ReportEntries();
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const AuditProblem& a, const AuditProblem& b) {
                       return std::make_pair(a.seq, static_cast<int>(a.kind)) <
                              std::make_pair(b.seq, static_cast<int>(b.kind));
                     });
    return std::move(problems_);
  }

 private:
  enum class Seal {
    kUnknown,    // not yet resolved
    kResolving,  // on the resolution stack (guards against forged link cycles)
    kSealed,     // its hash matches its content at sealed_seq
    kUnsealed,   // its hash matches its content at no seq we know of
  };

  struct Entry {
    const AuditEventRecord* e = nullptr;
    bool intact = false;  // hash matches content at the stored seq
    Seal seal = Seal::kUnknown;
    // Sealed: the seq the hash was computed with. Unsealed: the stored seq,
    // the only position it can be presumed to hold.
    std::int64_t sealed_seq = 0;
    bool on_head_path = false;  // reached from the case head through prev_hash links
    std::string inserted_why;   // set when the row is not part of the chain
    std::string edited_why;     // set when a sealed row was nonetheless changed
  };

  bool Sealed(const Entry& x) const { return x.seal == Seal::kSealed; }

  void Add(AuditProblemKind kind, std::int64_t seq, std::string detail) {
    problems_.push_back(AuditProblem{case_id_, seq, kind, std::move(detail)});
  }

  // One entry per distinct stored hash, preferring an intact row, so a
  // duplicate or forged copy of a hash does not shadow the genuine event.
  void IndexHashes() {
    for (int pass = 0; pass < 2; ++pass) {
      for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (entries_[i].intact == (pass == 0)) by_hash_.emplace(entries_[i].e->hash, i);
      }
    }
  }

  // Finds the seq entry i was sealed with. A genuine event follows its
  // predecessor, so when prev_hash names a present event the only possible
  // seq is the predecessor's plus one: edited rows are recognised without
  // searching. Only rows whose predecessor is absent are searched for.
  void Resolve(std::size_t i) {
    std::vector<std::size_t> stack{i};
    while (!stack.empty()) {
      const std::size_t j = stack.back();
      Entry& x = entries_[j];
      if (x.seal == Seal::kSealed || x.seal == Seal::kUnsealed) {
        stack.pop_back();
        continue;
      }
      x.seal = Seal::kResolving;
      std::optional<std::int64_t> from_link;
      if (x.e->prev_hash.empty()) {
        from_link = 1;
      } else if (auto it = by_hash_.find(x.e->prev_hash); it != by_hash_.end() && it->second != j) {
        const Entry& p = entries_[it->second];
        if (p.seal == Seal::kUnknown) {
          stack.push_back(it->second);
          continue;
        }
        if (p.seal != Seal::kResolving && PlausibleSeq(p.sealed_seq)) {
          from_link = p.sealed_seq + 1;
        }
      }
      Settle(x, from_link);
      stack.pop_back();
    }
  }

  void Settle(Entry& x, std::optional<std::int64_t> from_link) {
    const AuditEventRecord& e = *x.e;
    std::optional<std::int64_t> found;
    if (from_link) {
      if (*from_link != e.seq && HashAs(e, *from_link) == e.hash) found = from_link;
    } else if (e.hash == head_hash_ && head_seq_ >= 1 && head_seq_ != e.seq &&
               HashAs(e, head_seq_) == e.hash) {
      found = head_seq_;
    } else {
      found = SearchSealedSeq(e);
    }
    x.seal = found ? Seal::kSealed : Seal::kUnsealed;
    x.sealed_seq = found ? *found : e.seq;
  }

  // Tries seqs outward from the stored one (renumbered rows sit close to
  // their sealed seq) within [1, max(head, rows) + 1].
  std::optional<std::int64_t> SearchSealedSeq(const AuditEventRecord& e) {
    const std::int64_t hi = std::max<std::int64_t>(std::min(head_seq_, kMaxSeq),
                                                   static_cast<std::int64_t>(entries_.size())) +
                            1;
    const std::int64_t center = std::clamp<std::int64_t>(e.seq, 1, hi);
    auto sealed_with = [&](std::int64_t k) {
      if (k == e.seq || search_budget_ <= 0) return false;
      --search_budget_;
      return HashAs(e, k) == e.hash;
    };
    for (std::int64_t d = 0; search_budget_ > 0 && (center - d >= 1 || center + d <= hi); ++d) {
      if (center - d >= 1 && sealed_with(center - d)) return center - d;
      if (d > 0 && center + d <= hi && sealed_with(center + d)) return center + d;
    }
    return std::nullopt;
  }

  void MarkHeadPath() {
    std::string_view h = head_hash_;
    while (!h.empty()) {
      auto it = by_hash_.find(h);
      if (it == by_hash_.end() || entries_[it->second].on_head_path) break;
      entries_[it->second].on_head_path = true;
      h = entries_[it->second].e->prev_hash;
    }
  }

  // Gives every position of the chain (by sealed seq) at most one row. When
  // several rows claim one position, the genuine one is the one the chain
  // itself vouches for: reached from the head, else named as predecessor by
  // a sealed event or the head, else named by any row, else intact; the
  // others were inserted.
  void PlaceInChain() {
    std::unordered_set<std::string_view> strong{head_hash_}, weak;
    for (const Entry& x : entries_) {
      weak.insert(x.e->prev_hash);
      if (Sealed(x)) strong.insert(x.e->prev_hash);
    }
    auto rank = [&](std::size_t i) {
      const Entry& x = entries_[i];
      return std::make_tuple(x.on_head_path, strong.count(x.e->hash) > 0, weak.count(x.e->hash) > 0,
                             x.intact, -static_cast<long long>(i));
    };
    auto place = [&](const std::map<std::int64_t, std::vector<std::size_t>>& claims,
                     const char* what) {
      for (const auto& [slot, claimants] : claims) {
        if (!PlausibleSeq(slot)) {
          for (std::size_t i : claimants) {
            entries_[i].inserted_why =
                "the row at seq " + Num(entries_[i].e->seq) + " has a seq no chain can hold";
          }
          continue;
        }
        if (const auto held = chain_.find(slot); held != chain_.end()) {
          // Unsealed rows where a sealed event already sits.
          for (std::size_t i : claimants) {
            Entry& x = entries_[i];
            x.inserted_why = "the row at seq " + Num(x.e->seq) + " is ";
            x.inserted_why += x.e->hash == entries_[held->second].e->hash
                                  ? "an altered copy of event " + Num(slot)
                                  : std::string(what) + " for position " + Num(slot) +
                                        "; the genuine event " + Num(slot) + " is present";
          }
          continue;
        }
        const std::size_t winner =
            *std::max_element(claimants.begin(), claimants.end(),
                              [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
        chain_[slot] = winner;
        for (std::size_t i : claimants) {
          if (i == winner) continue;
          Entry& x = entries_[i];
          x.inserted_why = "the row at seq " + Num(x.e->seq) + " is ";
          x.inserted_why += x.e->hash == entries_[winner].e->hash
                                ? "a duplicate of event " + Num(slot)
                                : std::string(what) + " for position " + Num(slot) +
                                      " that the chain does not pass through";
        }
      }
    };

    std::map<std::int64_t, std::vector<std::size_t>> sealed_claims, unsealed_claims;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      Entry& x = entries_[i];
      if (Sealed(x) && x.e->case_id != case_id_) {
        x.inserted_why =
            "the row at seq " + Num(x.e->seq) + " is an event of case " + Num(x.e->case_id);
      } else if (Sealed(x)) {
        sealed_claims[x.sealed_seq].push_back(i);
      } else {
        unsealed_claims[x.sealed_seq].push_back(i);
      }
    }
    place(sealed_claims, "a second, forged event");
    place(unsealed_claims, "a second event, not matching its hash,");
  }

  // Settles where the chain ends (end_) by the case head. Rows past a head
  // that matches were appended behind the head's back.
  void CheckHead() {
    const std::int64_t last = chain_.empty() ? 0 : chain_.rbegin()->first;
    end_ = last;
    const std::string head =
        "the case head (seq " + Num(head_seq_) + ", hash " + Short(head_hash_) + ")";
    if (head_seq_ < 0 || head_seq_ > kMaxSeq ||
        (head_seq_ == 0 && !(chain_.empty() && head_hash_.empty()))) {
      Add(AuditProblemKind::kHeadMismatch, head_seq_,
          head + " does not match the " + Num(static_cast<std::int64_t>(chain_.size())) +
              " stored events, the last of which is " + Num(last));
      return;
    }
    if (head_seq_ == 0) return;  // no events, and none expected

    const auto at = chain_.find(head_seq_);
    const std::optional<std::int64_t> holder = SlotHoldingHash(head_hash_);
    if (at != chain_.end()) {
      const Entry& o = entries_[at->second];
      // An unsealed head event is reported as edited; the head agrees on where the chain ends.
      if (o.e->hash == head_hash_ || !Sealed(o)) {
        EndChainAt(head_seq_);
        return;
      }
    } else if (!holder) {
      // The event the head names is gone; ReportGaps names the missing seqs.
      EndChainAt(head_seq_);
      return;
    }
    std::string detail = head + " does not match ";
    detail += at != chain_.end() ? "event " + Num(head_seq_) + " (hash " +
                                       Short(entries_[at->second].e->hash) + ")"
                                 : "the chain, which ends at seq " + Num(last);
    if (holder) {
      detail += "; the head's hash is that of event " + Num(*holder) + ": the head was changed";
      Add(AuditProblemKind::kHeadMismatch, head_seq_, std::move(detail));
      return;
    }
    // Either the head or its event changed; if CheckLinks finds the event
    // re-hashed, that edit is the cause and the mismatch its echo.
    detail += ": the head was changed, or event " + Num(head_seq_) + " was re-hashed";
    pending_head_problem_ =
        AuditProblem{case_id_, head_seq_, AuditProblemKind::kHeadMismatch, std::move(detail)};
    head_event_ = at->second;
  }

  void ReportPendingHeadProblem() {
    if (pending_head_problem_ && entries_[head_event_].edited_why.empty()) {
      problems_.push_back(std::move(*pending_head_problem_));
    }
  }

  std::optional<std::int64_t> SlotHoldingHash(const std::string& hash) const {
    for (const auto& [slot, i] : chain_) {
      if (entries_[i].e->hash == hash) return slot;
    }
    return std::nullopt;
  }

  void EndChainAt(std::int64_t end) {
    end_ = end;
    for (auto it = chain_.upper_bound(end); it != chain_.end(); it = chain_.erase(it)) {
      Entry& x = entries_[it->second];
      x.inserted_why = "the row at seq " + Num(x.e->seq) + " comes after the case head (seq " +
                       Num(end) + "): appended without updating the head, or the head was " +
                       "rolled back";
    }
  }

  void ReportGaps() {
    std::int64_t expected = 1;
    for (const auto& [slot, i] : chain_) {
      if (slot > expected) AddDeleted(expected, slot - 1, /*tail=*/false);
      expected = slot + 1;
    }
    if (end_ >= expected) AddDeleted(expected, end_, /*tail=*/true);
  }

  void AddDeleted(std::int64_t first, std::int64_t last, bool tail) {
    std::string what = first == last ? "event " + Num(first) + " is missing"
                                     : "events " + Num(first) + " to " + Num(last) + " are missing";
    if (tail) {
      what += first == 1 ? ": the whole chain is gone" : ": the tail of the chain is gone";
      what += " (the case head names seq " + Num(head_seq_) + " as the last event)";
    }
    Add(AuditProblemKind::kDeleted, first, std::move(what));
  }

  // Two neighbouring sealed events that do not link. A sealed row's
  // prev_hash is covered by its own hash, so the row to blame is the one
  // whose re-hash explains the break: the later row if its prev_hash names
  // another row that is present (it was relinked and re-hashed; its
  // successor's link then breaks too and is the same problem), else the
  // earlier row (changed and re-hashed, or replaced: no row has the hash the
  // later one names). Breaks next to an unsealed row or across a gap are
  // already explained by the edit or the deletion.
  void CheckLinks() {
    Entry* before = nullptr;
    std::int64_t before_slot = 0;
    for (const auto& [slot, i] : chain_) {
      Entry& x = entries_[i];
      if (slot == 1 && Sealed(x) && !x.e->prev_hash.empty()) {
        x.edited_why = "event " + Num(x.e->seq) + " is the first of the chain but links to a " +
                       "predecessor: it was forged or re-hashed";
      } else if (before != nullptr && before_slot == slot - 1 && Sealed(x) && Sealed(*before) &&
                 x.e->prev_hash != before->e->hash) {
        const auto named = by_hash_.find(x.e->prev_hash);
        if (named != by_hash_.end() && &entries_[named->second] != before) {
          x.edited_why = "event " + Num(x.e->seq) + " links to the row at seq " +
                         Num(entries_[named->second].e->seq) + " instead of event " +
                         Num(before->e->seq) + ": its prev_hash was changed and it was re-hashed";
        } else if (before->edited_why.empty()) {
          before->edited_why = "event " + Num(before->e->seq) + " has hash " +
                               Short(before->e->hash) + " but event " + Num(x.e->seq) +
                               " links to " + Short(x.e->prev_hash) +
                               ": it was changed and re-hashed, or replaced";
        }
      }
      before = &x;
      before_slot = slot;
    }
  }

  // Rows whose stored seq differs from their sealed seq. Renumbering that
  // follows an insertion or a deletion (rows shifted up by at most the
  // insertions before them, down by at most the deletions before them,
  // still in order) is explained by that problem. Otherwise rows that took
  // each other's places are kReordered, and any other moved row is an edit
  // of its seq.
  void ClassifyMoved() {
    std::vector<std::int64_t> inserted_at;
    for (const Entry& x : entries_) {
      if (!x.inserted_why.empty()) inserted_at.push_back(x.e->seq);
    }
    std::sort(inserted_at.begin(), inserted_at.end());

    std::vector<std::size_t> by_stored;
    for (const auto& [slot, i] : chain_) by_stored.push_back(i);
    std::sort(by_stored.begin(), by_stored.end(), [&](std::size_t a, std::size_t b) {
      return std::make_pair(entries_[a].e->seq, entries_[a].sealed_seq) <
             std::make_pair(entries_[b].e->seq, entries_[b].sealed_seq);
    });
    std::vector<bool> in_order(entries_.size());
    for (std::size_t k = 0; k < by_stored.size(); ++k) {
      const std::int64_t s = entries_[by_stored[k]].sealed_seq;
      in_order[by_stored[k]] =
          (k == 0 || entries_[by_stored[k - 1]].sealed_seq < s) &&
          (k + 1 == by_stored.size() || s < entries_[by_stored[k + 1]].sealed_seq);
    }

    std::vector<std::size_t> unexplained;
    std::int64_t rank = 0;
    for (const auto& [slot, i] : chain_) {
      const Entry& x = entries_[i];
      const std::int64_t deleted_before = slot - 1 - rank++;
      if (!Sealed(x) || x.sealed_seq == x.e->seq || !x.edited_why.empty()) continue;
      if (!PlausibleSeq(x.e->seq)) {
        unexplained.push_back(i);
        continue;
      }
      const std::int64_t shift = x.e->seq - x.sealed_seq;
      const std::int64_t inserted_before =
          std::lower_bound(inserted_at.begin(), inserted_at.end(), x.e->seq) - inserted_at.begin();
      if (in_order[i] && -deleted_before <= shift && shift <= inserted_before) continue;
      unexplained.push_back(i);
    }

    // Row x took the place of row next(x), the one sealed with x's stored
    // seq. Rows on a cycle of next() exchanged places; on an open path a row
    // was renumbered into a place no other genuine event left.
    std::unordered_map<std::int64_t, std::size_t> unexplained_by_sealed;
    for (std::size_t i : unexplained) unexplained_by_sealed[entries_[i].sealed_seq] = i;
    auto next = [&](std::size_t i) -> std::optional<std::size_t> {
      const auto it = unexplained_by_sealed.find(entries_[i].e->seq);
      if (it == unexplained_by_sealed.end()) return std::nullopt;
      return it->second;
    };
    enum class Visit { kNew, kOnPath, kDone };
    std::unordered_map<std::size_t, Visit> visit;
    std::unordered_set<std::size_t> on_cycle;
    for (std::size_t start : unexplained) {
      std::vector<std::size_t> path;
      std::optional<std::size_t> at = start;
      while (at && visit[*at] == Visit::kNew) {
        visit[*at] = Visit::kOnPath;
        path.push_back(*at);
        at = next(*at);
      }
      if (at && visit[*at] == Visit::kOnPath) {
        on_cycle.insert(std::find(path.begin(), path.end(), *at), path.end());
      }
      for (std::size_t i : path) visit[i] = Visit::kDone;
    }

    for (std::size_t i : unexplained) {
      Entry& x = entries_[i];
      const std::string moved = "the row at seq " + Num(x.e->seq) + " is event " +
                                Num(x.sealed_seq) + " (it was sealed with that seq)";
      if (!on_cycle.count(i)) {
        x.edited_why = moved + ": its seq was changed";
        continue;
      }
      const Entry& y = entries_[*next(i)];
      Add(AuditProblemKind::kReordered, x.e->seq,
          y.e->seq == x.sealed_seq
              ? moved + ", and the row at seq " + Num(y.e->seq) + " is event " + Num(y.sealed_seq) +
                    ": events " + Num(std::min(x.e->seq, y.e->seq)) + " and " +
                    Num(std::max(x.e->seq, y.e->seq)) + " swapped seq values"
              : moved + ", and event " + Num(y.sealed_seq) + " is now the row at seq " +
                    Num(y.e->seq) + ": events were moved around");
    }
  }

  void ReportEntries() {
    for (const Entry& x : entries_) {
      if (!x.inserted_why.empty()) {
        Add(AuditProblemKind::kInserted, x.e->seq, x.inserted_why);
      } else if (!Sealed(x)) {
        Add(AuditProblemKind::kEdited, x.e->seq,
            "event " + Num(x.e->seq) + " does not match its hash: a field (or the hash) " +
                "was changed after it was sealed");
      } else if (!x.edited_why.empty()) {
        Add(AuditProblemKind::kEdited, x.e->seq, x.edited_why);
      }
    }
  }

  const CaseId case_id_;
  std::vector<AuditEventRecord> events_;  // sorted by stored seq; entries_ point into it
  const std::int64_t head_seq_;
  const std::string head_hash_;

  std::vector<Entry> entries_;
  std::unordered_map<std::string_view, std::size_t> by_hash_;  // stored hash -> entry
  std::map<std::int64_t, std::size_t> chain_;                  // sealed seq -> entry
  std::int64_t end_ = 0;                                       // last seq the chain should have
  std::optional<AuditProblem> pending_head_problem_;
  std::size_t head_event_ = 0;  // the entry pending_head_problem_ is about
  std::int64_t search_budget_ = 0;
  std::vector<AuditProblem> problems_;
};

}  // namespace

std::string CanonicalAuditEncoding(const AuditEventRecord& e) { return EncodeAs(e, e.seq); }

std::string ComputeAuditHash(const AuditEventRecord& e) { return HashAs(e, e.seq); }

void SealAuditEvent(AuditEventRecord& e, std::int64_t prev_seq, const std::string& prev_hash) {
  e.seq = prev_seq + 1;
  e.prev_hash = prev_hash;
  e.hash = ComputeAuditHash(e);
}

const char* AuditProblemKindName(AuditProblemKind k) {
  switch (k) {
    case AuditProblemKind::kEdited:
      return "edited";
    case AuditProblemKind::kDeleted:
      return "deleted";
    case AuditProblemKind::kInserted:
      return "inserted";
    case AuditProblemKind::kReordered:
      return "reordered";
    case AuditProblemKind::kHeadMismatch:
      return "head_mismatch";
  }
  return "unknown";
}

std::vector<AuditProblem> VerifyCaseChain(CaseId case_id, std::vector<AuditEventRecord> events,
                                          std::int64_t head_seq, const std::string& head_hash) {
  return ChainVerifier(case_id, std::move(events), head_seq, head_hash).Run();
}

}  // namespace jiuzhu
