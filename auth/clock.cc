#include "auth/clock.h"

#include <condition_variable>
#include <numeric>

namespace lakebase::auth {

std::chrono::system_clock::time_point RealClock::SystemNow() const {
  return std::chrono::system_clock::now();
}

std::chrono::steady_clock::time_point RealClock::SteadyNow() const {
  return std::chrono::steady_clock::now();
}

bool RealClock::SleepFor(std::chrono::steady_clock::duration duration, std::stop_token stop) {
  if (duration <= std::chrono::steady_clock::duration::zero()) return !stop.stop_requested();
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  // wait_for with a stop_token returns early (true from the predicate's point of view) on stop.
  cv.wait_for(lock, stop, duration, [] { return false; });
  return !stop.stop_requested();
}

std::shared_ptr<Clock> RealClockInstance() {
  // Never destroyed: background threads may still read the clock while the process exits.
  static auto* clock = new std::shared_ptr<Clock>(std::make_shared<RealClock>());
  return *clock;
}

FakeClock::FakeClock()
    : system_now_(std::chrono::system_clock::now()),
      steady_now_(std::chrono::steady_clock::now()) {}

std::chrono::system_clock::time_point FakeClock::SystemNow() const {
  std::lock_guard lock(mutex_);
  return system_now_;
}

std::chrono::steady_clock::time_point FakeClock::SteadyNow() const {
  std::lock_guard lock(mutex_);
  return steady_now_;
}

bool FakeClock::SleepFor(std::chrono::steady_clock::duration duration, std::stop_token stop) {
  if (stop.stop_requested()) return false;
  std::lock_guard lock(mutex_);
  sleeps_.push_back(duration);
  if (duration > std::chrono::steady_clock::duration::zero()) {
    system_now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(duration);
    steady_now_ += duration;
  }
  return true;
}

void FakeClock::Advance(std::chrono::steady_clock::duration duration) {
  std::lock_guard lock(mutex_);
  system_now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(duration);
  steady_now_ += duration;
}

std::vector<std::chrono::steady_clock::duration> FakeClock::Sleeps() const {
  std::lock_guard lock(mutex_);
  return sleeps_;
}

std::chrono::steady_clock::duration FakeClock::TotalSlept() const {
  std::lock_guard lock(mutex_);
  return std::accumulate(sleeps_.begin(), sleeps_.end(), std::chrono::steady_clock::duration{});
}

}  // namespace lakebase::auth
