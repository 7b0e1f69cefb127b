#include "engine/audit/audit_chain.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/common/crypto.hpp"

namespace jiuzhu {
namespace {

constexpr CaseId kCase = 42;

AuditEventRecord Unsealed(CaseId case_id, int i) {
  static const char* const kActions[] = {"discover", "claim_task", "assess",
                                         "commit",   "approve",    "refer"};
  static const char* const kStates[] = {"",        "discover", "assess",  "commit",
                                        "approve", "refer",    "feedback"};
  AuditEventRecord e;
  e.case_id = case_id;
  e.at = 1'770'000'000'000'000 + i * 3'600'000'000LL;
  e.actor = "user" + std::to_string(i % 3);
  e.role = i % 2 == 0 ? "village_worker" : "street_reviewer";
  e.org_unit_id = "640202001";
  e.action = kActions[i % 6];
  e.from_state = kStates[i % 7];
  e.to_state = kStates[(i + 1) % 7];
  e.payload = "{\"note\":\"第" + std::to_string(i) + "步\",\"n\":" + std::to_string(i) + "}";
  return e;
}

// A genuine chain of `n` events for `case_id`, sealed one after the other.
std::vector<AuditEventRecord> BuildChain(int n, CaseId case_id = kCase) {
  std::vector<AuditEventRecord> chain;
  std::int64_t seq = 0;
  std::string prev;
  for (int i = 0; i < n; ++i) {
    AuditEventRecord e = Unsealed(case_id, i);
    SealAuditEvent(e, seq, prev);
    seq = e.seq;
    prev = e.hash;
    chain.push_back(std::move(e));
  }
  return chain;
}

// "kind@seq" per problem, in the verifier's order, for readable assertions.
std::vector<std::string> Summary(const std::vector<AuditProblem>& problems) {
  std::vector<std::string> out;
  for (const AuditProblem& p : problems) {
    EXPECT_EQ(p.case_id, kCase);
    EXPECT_FALSE(p.detail.empty());
    out.push_back(std::string(AuditProblemKindName(p.kind)) + "@" + std::to_string(p.seq));
  }
  return out;
}

std::string Details(const std::vector<AuditProblem>& problems) {
  std::string out;
  for (const AuditProblem& p : problems) {
    out += "\n  " + std::string(AuditProblemKindName(p.kind)) + "@" + std::to_string(p.seq) + ": " +
           p.detail;
  }
  return out;
}

class AuditChainTest : public ::testing::Test {
 protected:
  // A case of six events whose head matches.
  std::vector<AuditEventRecord> chain_ = BuildChain(6);
  std::int64_t head_seq_ = 6;
  std::string head_hash_ = chain_.back().hash;

  AuditEventRecord& Event(std::int64_t seq) {
    auto it = std::find_if(chain_.begin(), chain_.end(),
                           [&](const AuditEventRecord& e) { return e.seq == seq; });
    EXPECT_NE(it, chain_.end()) << seq;
    return *it;
  }
  void Remove(std::int64_t seq) {
    chain_.erase(std::find_if(chain_.begin(), chain_.end(),
                              [&](const AuditEventRecord& e) { return e.seq == seq; }));
  }
  void Renumber(std::int64_t from_seq, std::int64_t by) {
    for (AuditEventRecord& e : chain_) {
      if (e.seq >= from_seq) e.seq += by;
    }
  }
  std::vector<AuditProblem> Verify() const {
    return VerifyCaseChain(kCase, chain_, head_seq_, head_hash_);
  }
  // Asserts the exact problems; returns them for detail checks.
  std::vector<AuditProblem> ExpectProblems(const std::vector<std::string>& expected) const {
    std::vector<AuditProblem> problems = Verify();
    EXPECT_EQ(Summary(problems), expected) << Details(problems);
    return problems;
  }
};

bool Mentions(const AuditProblem& p, const std::string& text) {
  return p.detail.find(text) != std::string::npos;
}

TEST(AuditEncodingTest, EncodingIsExactlyAsDocumented) {
  AuditEventRecord e;
  e.case_id = 7;
  e.at = 1'700'000'000'000'000;
  e.actor = "张三";
  e.role = "r";
  e.org_unit_id = "640202001";
  e.action = "discover";
  e.to_state = "assess";
  e.payload = "{}";
  SealAuditEvent(e, 0, "");
  const std::string expected =
      "jiuzhu-audit-v1"
      "1:7\n1:1\n16:1700000000000000\n6:张三\n1:r\n9:640202001\n8:discover\n0:\n6:assess\n"
      "2:{}\n0:\n";
  EXPECT_EQ(CanonicalAuditEncoding(e), expected);
  EXPECT_EQ(ComputeAuditHash(e), Sha256Hex(expected));
  // Pinned, so a change of encoding cannot pass unnoticed.
  EXPECT_EQ(e.hash, "ba98c153fe2e3741e454dc4ddc0842e0a0c162e177ce892168bdcecc074f1ade");
}

TEST(AuditEncodingTest, LengthPrefixesKeepFieldBoundaries) {
  AuditEventRecord a, b;
  a.actor = "ab";
  a.role = "c";
  b.actor = "a";
  b.role = "bc";
  EXPECT_NE(CanonicalAuditEncoding(a), CanonicalAuditEncoding(b));
  EXPECT_NE(ComputeAuditHash(a), ComputeAuditHash(b));
}

TEST(AuditEncodingTest, SealLinksEachEventToThePrevious) {
  const std::vector<AuditEventRecord> chain = BuildChain(4);
  EXPECT_EQ(chain[0].seq, 1);
  EXPECT_EQ(chain[0].prev_hash, "");
  for (std::size_t i = 0; i < chain.size(); ++i) {
    EXPECT_EQ(chain[i].hash, ComputeAuditHash(chain[i]));
    EXPECT_EQ(chain[i].hash.size(), 64u);
    if (i > 0) {
      EXPECT_EQ(chain[i].seq, chain[i - 1].seq + 1);
      EXPECT_EQ(chain[i].prev_hash, chain[i - 1].hash);
    }
  }
}

TEST(AuditEncodingTest, HashCoversEveryField) {
  const AuditEventRecord base = BuildChain(3)[2];
  const std::vector<std::pair<const char*, std::function<void(AuditEventRecord&)>>> edits = {
      {"case_id", [](AuditEventRecord& e) { e.case_id += 1; }},
      {"seq", [](AuditEventRecord& e) { e.seq += 1; }},
      {"at", [](AuditEventRecord& e) { e.at += 1; }},
      {"actor", [](AuditEventRecord& e) { e.actor += "x"; }},
      {"role", [](AuditEventRecord& e) { e.role += "x"; }},
      {"org_unit_id", [](AuditEventRecord& e) { e.org_unit_id += "x"; }},
      {"action", [](AuditEventRecord& e) { e.action += "x"; }},
      {"from_state", [](AuditEventRecord& e) { e.from_state += "x"; }},
      {"to_state", [](AuditEventRecord& e) { e.to_state += "x"; }},
      {"payload", [](AuditEventRecord& e) { e.payload += " "; }},
      {"prev_hash", [](AuditEventRecord& e) { e.prev_hash[0] ^= 1; }},
  };
  for (const auto& [field, edit] : edits) {
    AuditEventRecord e = base;
    edit(e);
    EXPECT_NE(ComputeAuditHash(e), base.hash) << field;
  }
  AuditEventRecord e = base;
  e.hash = "tampered";
  EXPECT_EQ(ComputeAuditHash(e), base.hash) << "the hash field itself is not hashed";
}

TEST(AuditKindTest, NamesAreStable) {
  EXPECT_STREQ(AuditProblemKindName(AuditProblemKind::kEdited), "edited");
  EXPECT_STREQ(AuditProblemKindName(AuditProblemKind::kDeleted), "deleted");
  EXPECT_STREQ(AuditProblemKindName(AuditProblemKind::kInserted), "inserted");
  EXPECT_STREQ(AuditProblemKindName(AuditProblemKind::kReordered), "reordered");
  EXPECT_STREQ(AuditProblemKindName(AuditProblemKind::kHeadMismatch), "head_mismatch");
}

TEST_F(AuditChainTest, CleanChainVerifiesInAnyOrder) {
  ExpectProblems({});
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(chain_.begin(), chain_.end(), rng);
    ExpectProblems({});
  }
}

TEST_F(AuditChainTest, EmptyCaseWithEmptyHeadVerifies) {
  chain_.clear();
  head_seq_ = 0;
  head_hash_.clear();
  ExpectProblems({});
}

TEST_F(AuditChainTest, EditedPayloadIsReportedOnce) {
  Event(3).payload = "{\"note\":\"改过\"}";
  const auto problems = ExpectProblems({"edited@3"});
  EXPECT_TRUE(Mentions(problems.at(0), "does not match its hash"));
}

// Every field of every position, in turn: exactly one kEdited, at the row.
TEST_F(AuditChainTest, EditOfAnyFieldIsReportedAsThatOneEdit) {
  const std::vector<AuditEventRecord> clean = chain_;
  const std::vector<std::pair<const char*, std::function<void(AuditEventRecord&)>>> edits = {
      {"case_id", [](AuditEventRecord& e) { e.case_id = 43; }},
      {"at", [](AuditEventRecord& e) { e.at -= 1; }},
      {"actor", [](AuditEventRecord& e) { e.actor = "mallory"; }},
      {"role", [](AuditEventRecord& e) { e.role = "district_approver"; }},
      {"org_unit_id", [](AuditEventRecord& e) { e.org_unit_id = "640202002"; }},
      {"action", [](AuditEventRecord& e) { e.action = "approve"; }},
      {"from_state", [](AuditEventRecord& e) { e.from_state = "monitor"; }},
      {"to_state", [](AuditEventRecord& e) { e.to_state = "closed"; }},
      {"payload", [](AuditEventRecord& e) { e.payload += " "; }},
      {"prev_hash", [](AuditEventRecord& e) { e.prev_hash = Sha256Hex("elsewhere"); }},
      {"hash", [](AuditEventRecord& e) { e.hash = Sha256Hex("made up"); }},
  };
  for (std::int64_t seq : {1, 3, 6}) {
    for (const auto& [field, edit] : edits) {
      chain_ = clean;
      edit(Event(seq));
      const std::vector<AuditProblem> problems = Verify();
      EXPECT_EQ(Summary(problems), std::vector<std::string>{"edited@" + std::to_string(seq)})
          << field << " of event " << seq << Details(problems);
    }
    // The seq field: the row keeps its content, so it is recognised as event
    // `seq` with a changed seq, reported at the seq it now carries.
    chain_ = clean;
    Event(seq).seq = 9;
    const std::vector<AuditProblem> problems = Verify();
    EXPECT_EQ(Summary(problems), std::vector<std::string>{"edited@9"})
        << "seq of event " << seq << Details(problems);
    if (!problems.empty()) {
      EXPECT_TRUE(Mentions(problems[0], "seq was changed"));
    }
  }
}

TEST_F(AuditChainTest, SeqChangedToAnotherEventsSeqIsAnEdit) {
  Event(3).seq = 2;
  const auto problems = ExpectProblems({"edited@2"});
  EXPECT_TRUE(Mentions(problems.at(0), "is event 3"));
}

TEST_F(AuditChainTest, ReHashedEditIsReportedAtTheEditedEvent) {
  AuditEventRecord& e = Event(3);
  e.payload = "{\"forged\":true}";
  e.hash = ComputeAuditHash(e);
  const auto problems = ExpectProblems({"edited@3"});
  EXPECT_TRUE(Mentions(problems.at(0), "re-hashed"));
}

TEST_F(AuditChainTest, ReHashedEditOfTheLastEventShowsAtTheHead) {
  AuditEventRecord& e = Event(6);
  e.payload = "{\"forged\":true}";
  e.hash = ComputeAuditHash(e);
  const auto problems = ExpectProblems({"head_mismatch@6"});
  EXPECT_TRUE(Mentions(problems.at(0), "re-hashed"));
}

TEST_F(AuditChainTest, RelinkedEventIsOneEdit) {
  AuditEventRecord& e = Event(4);
  e.prev_hash = Event(2).hash;  // skip event 3, and re-hash to match
  e.hash = ComputeAuditHash(e);
  const auto problems = ExpectProblems({"edited@4"});
  EXPECT_TRUE(Mentions(problems.at(0), "links to the row at seq 2 instead of event 3"));
}

TEST_F(AuditChainTest, RenumberingWithoutCauseIsAnEditOfEachSeq) {
  Renumber(5, +1);  // a gap at 5, but events 5 and 6 are both there
  ExpectProblems({"edited@6", "edited@7"});
}

TEST_F(AuditChainTest, RowWithAnAbsurdSeqIsAnInsertion) {
  AuditEventRecord forged = Unsealed(kCase, 9);
  forged.seq = std::numeric_limits<std::int64_t>::max();
  forged.prev_hash = Event(6).hash;
  forged.hash = ComputeAuditHash(forged);
  chain_.push_back(forged);
  head_hash_ = Sha256Hex("also tampered");  // no head to cut the chain off
  ExpectProblems({"head_mismatch@6", "inserted@9223372036854775807"});
}

TEST_F(AuditChainTest, DeletedMiddleEventIsNamed) {
  Remove(3);
  const auto problems = ExpectProblems({"deleted@3"});
  EXPECT_TRUE(Mentions(problems.at(0), "event 3 is missing"));
}

TEST_F(AuditChainTest, DeletedFirstEventIsNamed) {
  Remove(1);
  ExpectProblems({"deleted@1"});
}

TEST_F(AuditChainTest, AdjacentDeletionsAreOneRange) {
  Remove(3);
  Remove(4);
  const auto problems = ExpectProblems({"deleted@3"});
  EXPECT_TRUE(Mentions(problems.at(0), "events 3 to 4 are missing"));
}

TEST_F(AuditChainTest, DeletedLastEventIsCaughtByTheHead) {
  Remove(6);
  const auto problems = ExpectProblems({"deleted@6"});
  EXPECT_TRUE(Mentions(problems.at(0), "tail"));
}

TEST_F(AuditChainTest, DeletedTailOfTwoIsCaughtByTheHead) {
  Remove(6);
  Remove(5);
  const auto problems = ExpectProblems({"deleted@5"});
  EXPECT_TRUE(Mentions(problems.at(0), "events 5 to 6 are missing"));
  EXPECT_TRUE(Mentions(problems.at(0), "tail"));
}

TEST_F(AuditChainTest, AllEventsDeleted) {
  chain_.clear();
  const auto problems = ExpectProblems({"deleted@1"});
  EXPECT_TRUE(Mentions(problems.at(0), "whole chain"));
}

TEST_F(AuditChainTest, DeletionWithLaterEventsRenumberedIsOneDeletion) {
  Remove(3);
  Renumber(4, -1);
  ExpectProblems({"deleted@3"});
}

TEST_F(AuditChainTest, DeletedFirstEventWithRenumberingIsOneDeletion) {
  Remove(1);
  Renumber(2, -1);
  ExpectProblems({"deleted@1"});
}

TEST_F(AuditChainTest, ForgedEventAppendedBehindTheHead) {
  AuditEventRecord forged = Unsealed(kCase, 6);
  SealAuditEvent(forged, 6, Event(6).hash);
  chain_.push_back(forged);
  const auto problems = ExpectProblems({"inserted@7"});
  EXPECT_TRUE(Mentions(problems.at(0), "after the case head"));
}

TEST_F(AuditChainTest, UnsealedRowAppendedBehindTheHead) {
  AuditEventRecord forged = Unsealed(kCase, 6);
  forged.seq = 7;
  forged.prev_hash = Event(6).hash;
  forged.hash = Sha256Hex("anything");
  chain_.push_back(forged);
  ExpectProblems({"inserted@7"});
}

TEST_F(AuditChainTest, ForgedEventInsertedInTheMiddleWithRenumbering) {
  AuditEventRecord forged = Unsealed(kCase, 9);
  SealAuditEvent(forged, 3, Event(3).hash);  // a perfect seal at seq 4, after event 3
  Renumber(4, +1);
  chain_.push_back(forged);
  ExpectProblems({"inserted@4"});
}

TEST_F(AuditChainTest, TwoForgedEventsInsertedWithRenumbering) {
  AuditEventRecord x = Unsealed(kCase, 9), y = Unsealed(kCase, 10);
  SealAuditEvent(x, 3, Event(3).hash);
  SealAuditEvent(y, x.seq, x.hash);  // y links to x: a forged branch of two
  Renumber(4, +2);
  chain_.push_back(x);
  chain_.push_back(y);
  ExpectProblems({"inserted@4", "inserted@5"});
}

TEST_F(AuditChainTest, UnsealedRowInsertedInTheMiddleWithRenumbering) {
  AuditEventRecord forged = Unsealed(kCase, 9);
  forged.seq = 4;
  forged.prev_hash = Event(3).hash;
  forged.hash = Sha256Hex("anything");
  Renumber(4, +1);
  chain_.push_back(forged);
  ExpectProblems({"inserted@4"});
}

TEST_F(AuditChainTest, ForgedEventWithADuplicateSeq) {
  AuditEventRecord forged = Unsealed(kCase, 9);
  SealAuditEvent(forged, 2, Event(2).hash);   // claims seq 3 beside the genuine one
  chain_.insert(chain_.begin() + 1, forged);  // stored before the genuine row
  ExpectProblems({"inserted@3"});
}

TEST_F(AuditChainTest, DuplicatedRow) {
  chain_.push_back(Event(3));
  ExpectProblems({"inserted@3"});
}

TEST_F(AuditChainTest, EditedCopyOfARowIsAnInsertion) {
  AuditEventRecord copy = Event(3);
  copy.payload = "{\"forged\":true}";
  chain_.insert(chain_.begin(), copy);
  ExpectProblems({"inserted@3"});
}

TEST_F(AuditChainTest, EventOfAnotherCaseIsAnInsertion) {
  const std::vector<AuditEventRecord> other = BuildChain(6, kCase + 1);
  chain_.push_back(other[3]);
  const auto problems = ExpectProblems({"inserted@4"});
  EXPECT_TRUE(Mentions(problems.at(0), "case 43"));
}

TEST_F(AuditChainTest, SwappedSeqsAreReorderedNamingBoth) {
  std::swap(Event(3).seq, Event(5).seq);
  const auto problems = ExpectProblems({"reordered@3", "reordered@5"});
  for (const AuditProblem& p : problems) {
    EXPECT_TRUE(Mentions(p, "events 3 and 5 swapped")) << p.detail;
  }
}

TEST_F(AuditChainTest, AdjacentSwapIsReordered) {
  std::swap(Event(2).seq, Event(3).seq);
  ExpectProblems({"reordered@2", "reordered@3"});
}

TEST_F(AuditChainTest, SwapOfFirstAndLastIsReordered) {
  std::swap(Event(1).seq, Event(6).seq);
  ExpectProblems({"reordered@1", "reordered@6"});
}

TEST_F(AuditChainTest, RotationOfThreeIsReordered) {
  Event(2).seq = 102;
  Event(3).seq = 2;
  Event(4).seq = 3;
  Event(102).seq = 4;  // stored 2,3,4 now hold events 3,4,2
  ExpectProblems({"reordered@2", "reordered@3", "reordered@4"});
}

TEST_F(AuditChainTest, HeadWithAnotherHash) {
  head_hash_ = Sha256Hex("not the head");
  ExpectProblems({"head_mismatch@6"});
}

TEST_F(AuditChainTest, HeadWithAnotherSeq) {
  head_seq_ = 5;
  auto problems = ExpectProblems({"head_mismatch@5"});
  EXPECT_TRUE(Mentions(problems.at(0), "that of event 6"));
  head_seq_ = 7;
  problems = ExpectProblems({"head_mismatch@7"});
  EXPECT_TRUE(Mentions(problems.at(0), "that of event 6"));
}

TEST_F(AuditChainTest, EmptyHeadWithEvents) {
  head_seq_ = 0;
  head_hash_.clear();
  ExpectProblems({"head_mismatch@0"});
  head_seq_ = -1;
  ExpectProblems({"head_mismatch@-1"});
}

TEST_F(AuditChainTest, HeadRolledBackLeavesLaterEventsUnanchored) {
  head_seq_ = 4;
  head_hash_ = Event(4).hash;
  ExpectProblems({"inserted@5", "inserted@6"});
}

TEST_F(AuditChainTest, SeparateTamperingsAreEachReported) {
  Event(2).actor = "mallory";
  Remove(4);
  Remove(6);
  ExpectProblems({"edited@2", "deleted@4", "deleted@6"});
}

TEST(AuditChainScaleTest, LongChainVerifiesAndPinpointsADeletion) {
  std::vector<AuditEventRecord> chain = BuildChain(3000);
  const std::string head_hash = chain.back().hash;
  EXPECT_TRUE(VerifyCaseChain(kCase, chain, 3000, head_hash).empty());

  chain.erase(chain.begin() + 1499);  // event 1500, and every later one renumbered
  for (std::size_t i = 1499; i < chain.size(); ++i) chain[i].seq -= 1;
  const std::vector<AuditProblem> problems = VerifyCaseChain(kCase, chain, 3000, head_hash);
  EXPECT_EQ(Summary(problems), std::vector<std::string>{"deleted@1500"}) << Details(problems);
}

}  // namespace
}  // namespace jiuzhu
