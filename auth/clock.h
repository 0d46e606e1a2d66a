// Time behind an interface, so token expiry, refresh-ahead and retry backoff are tested without
// sleeping (DESIGN.md section 2, pattern 7).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <vector>

namespace lakebase::auth {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time: token expiry times come from the server as absolute UTC instants.
  virtual std::chrono::system_clock::time_point SystemNow() const = 0;
  // Monotonic time: deadlines and backoff schedules.
  virtual std::chrono::steady_clock::time_point SteadyNow() const = 0;
  // Sleeps for duration or until stop is requested, whichever comes first. Returns false when it
  // was woken by stop (so a background refresh in backoff does not delay auth::Shutdown()).
  virtual bool SleepFor(std::chrono::steady_clock::duration duration, std::stop_token stop) = 0;
};

class RealClock final : public Clock {
 public:
  std::chrono::system_clock::time_point SystemNow() const override;
  std::chrono::steady_clock::time_point SteadyNow() const override;
  bool SleepFor(std::chrono::steady_clock::duration duration, std::stop_token stop) override;
};

// The process-wide real clock.
std::shared_ptr<Clock> RealClockInstance();

// A clock that only moves when told to. SleepFor advances it instantly and records the request,
// so tests assert on backoff schedules without waiting. Thread-safe.
class FakeClock final : public Clock {
 public:
  // Starts at the real current time, so steady deadlines built from it also make sense to code
  // that waits on real condition variables.
  FakeClock();

  std::chrono::system_clock::time_point SystemNow() const override;
  std::chrono::steady_clock::time_point SteadyNow() const override;
  bool SleepFor(std::chrono::steady_clock::duration duration, std::stop_token stop) override;

  void Advance(std::chrono::steady_clock::duration duration);
  std::vector<std::chrono::steady_clock::duration> Sleeps() const;
  std::chrono::steady_clock::duration TotalSlept() const;

 private:
  mutable std::mutex mutex_;
  std::chrono::system_clock::time_point system_now_;
  std::chrono::steady_clock::time_point steady_now_;
  std::vector<std::chrono::steady_clock::duration> sleeps_;
};

}  // namespace lakebase::auth
