// The OTA Profile Service's challenges: one phase 2, then one phase 3 of the same UDID, within a
// day; HMAC-bound to the server's secret, so another server's (or an edited) one is unknown.
#include <boost/test/unit_test.hpp>

#include "server/apple/ota_challenge_book.hpp"

using mdmlab::VirtualClock;
using mdmlab::server::apple::OtaChallengeBook;
using Use = OtaChallengeBook::Use;

BOOST_AUTO_TEST_SUITE(ota_challenge_book)

BOOST_AUTO_TEST_CASE(a_challenge_is_good_for_one_phase_2_and_one_phase_3_of_its_device) {
  auto clock = std::make_shared<VirtualClock>();
  OtaChallengeBook book("secret-1", clock);
  const auto c = book.issue();
  BOOST_TEST(c != book.issue());
  BOOST_TEST((book.finish(c, "UDID-A") == Use::unknown));  // no phase 2 yet
  BOOST_TEST((book.begin(c, "UDID-A") == Use::ok));
  BOOST_TEST((book.begin(c, "UDID-A") == Use::reused));
  BOOST_TEST((book.begin(c, "UDID-B") == Use::reused));
  BOOST_TEST((book.finish(c, "UDID-B") == Use::other_device));
  BOOST_TEST((book.finish(c, "UDID-A") == Use::ok));
  BOOST_TEST((book.finish(c, "UDID-A") == Use::reused));
}

BOOST_AUTO_TEST_CASE(edited_foreign_and_old_challenges_are_refused) {
  auto clock = std::make_shared<VirtualClock>();
  OtaChallengeBook book("secret-1", clock);
  OtaChallengeBook other("secret-2", clock);
  auto c = book.issue();
  BOOST_TEST((book.begin(other.issue(), "UDID-A") == Use::unknown));
  BOOST_TEST((book.begin("", "UDID-A") == Use::unknown));
  BOOST_TEST((book.begin("not.a.challenge", "UDID-A") == Use::unknown));
  auto edited = c;
  edited[0] = edited[0] == '1' ? '2' : '1';  // the issue time moved
  BOOST_TEST((book.begin(edited, "UDID-A") == Use::unknown));
  clock->advance(std::chrono::hours(25));
  BOOST_TEST((book.begin(c, "UDID-A") == Use::expired));
  // A restart (a new book, same secret) still knows fresh challenges as ours.
  OtaChallengeBook restarted("secret-1", clock);
  BOOST_TEST((restarted.begin(book.issue(), "UDID-A") == Use::ok));
}

BOOST_AUTO_TEST_SUITE_END()
